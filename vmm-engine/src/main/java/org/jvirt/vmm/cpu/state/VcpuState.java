package org.jvirt.vmm.cpu.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything a vCPU is, as plain values: general, segment, control and debug registers,
 * descriptor tables, EFER and APIC base ({@link SystemRegisters}), every saveable MSR by index
 * except the TSC, which is {@link #tsc} on its own, FPU/SSE/AVX state and XCRs, the local
 * APIC's 1 KiB register page (registers at 16-byte strides, as the xAPIC MMIO page), pending
 * events and the MP state. Immutable; arrays are copied in and out.
 */
public record VcpuState(GeneralRegisters general, SystemRegisters system, DebugRegisters debug,
                        SortedMap<Integer, Long> msrs, long tsc, ExtendedState extended, byte[] lapic,
                        PendingEvents events, MpState mpState) {
    public static final int LAPIC_SIZE = 1024;
    /** IA32_TSC: kept in {@link #tsc}, never in {@link #msrs}. */
    public static final int MSR_TSC = 0x10;

    public VcpuState {
        if (lapic.length != LAPIC_SIZE) throw new IllegalArgumentException("LAPIC page of " + lapic.length + " bytes");
        if (msrs.containsKey(MSR_TSC)) throw new IllegalArgumentException("the TSC goes in tsc, not in msrs");
        lapic = lapic.clone();
        msrs = byIndex(msrs);
    }

    /**
     * An unmodifiable copy ordered by unsigned index, so 0xC0000080 (EFER) sorts after 0x10 (TSC)
     * and the section lists registers in ascending order.
     */
    public static SortedMap<Integer, Long> byIndex(Map<Integer, Long> m) {
        TreeMap<Integer, Long> t = new TreeMap<>(Integer::compareUnsigned);
        t.putAll(m);
        return Collections.unmodifiableSortedMap(t);
    }

    @Override public byte[] lapic() { return lapic.clone(); }

    /** A LAPIC register by its offset in the page (e.g. 0x20 ID, 0xF0 SVR). */
    public int lapicRegister(int offset) {
        return (lapic[offset] & 0xff) | (lapic[offset + 1] & 0xff) << 8 | (lapic[offset + 2] & 0xff) << 16 | (lapic[offset + 3] & 0xff) << 24;
    }

    public VcpuState withGeneral(GeneralRegisters g) {
        return new VcpuState(g, system, debug, msrs, tsc, extended, lapic, events, mpState);
    }

    public VcpuState withTsc(long t) {
        return new VcpuState(general, system, debug, msrs, t, extended, lapic, events, mpState);
    }

    public VcpuState withMsrs(SortedMap<Integer, Long> m) {
        return new VcpuState(general, system, debug, m, tsc, extended, lapic, events, mpState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VcpuState v && general.equals(v.general) && system.equals(v.system) && debug.equals(v.debug)
                && msrs.equals(v.msrs) && tsc == v.tsc && extended.equals(v.extended) && Arrays.equals(lapic, v.lapic)
                && events.equals(v.events) && mpState == v.mpState;
    }

    @Override public int hashCode() { return general.hashCode() * 31 + system.hashCode(); }

    @Override
    public String toString() {
        StringBuilder m = new StringBuilder();
        msrs.forEach((k, v) -> m.append(String.format(" %x=%x", k, v)));
        return "VcpuState[" + general + "; " + system + "; " + debug + "; tsc=" + tsc + "; msrs:" + m + "; " + extended
                + "; lapic=" + Arrays.toString(lapic) + "; " + events + "; " + mpState + "]";
    }
}
