package org.jvirt.vmm.emu;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.PhysicalBus;

import java.nio.ByteBuffer;

/**
 * One vCPU's view of the physical bus: the 4 KiB page IA32_APIC_BASE names (0xFEE00000 after
 * reset) reaches this vCPU's own local APIC, as on a real CPU; every other access goes to the
 * bus all vCPUs share. The APIC base is read from the vCPU's CpuState on each access (the MSR
 * may move or disable the window at any time), one compare per access. The window is in the
 * PCI hole, so it never hides RAM; accesses are not split at the window's edges (an aligned
 * LAPIC register never crosses them).
 */
public final class LocalApicWindow implements PhysicalBus {
    private static final long APIC_ENABLE = 1L << 11, PAGE_MASK = ~0xfffL, BASE_MASK = 0x000f_ffff_ffff_f000L;

    private final PhysicalBus shared;
    private final CpuState state;
    private final IoDevice apic;

    public LocalApicWindow(PhysicalBus shared, CpuState state, IoDevice apic) {
        this.shared = shared;
        this.state = state;
        this.apic = apic;
    }

    /** Whether pa falls in this vCPU's enabled APIC page. */
    private boolean mine(long pa) {
        long base = state.apicBase;
        return (base & APIC_ENABLE) != 0 && (pa & PAGE_MASK) == (base & BASE_MASK);
    }

    @Override public int read8(long pa) { return mine(pa) ? (int) apic.read(pa & 0xfff, 1) & 0xff : shared.read8(pa); }
    @Override public int read16(long pa) { return mine(pa) ? (int) apic.read(pa & 0xfff, 2) & 0xffff : shared.read16(pa); }
    @Override public int read32(long pa) { return mine(pa) ? (int) apic.read(pa & 0xfff, 4) : shared.read32(pa); }
    @Override public long read64(long pa) { return mine(pa) ? apic.read(pa & 0xfff, 8) : shared.read64(pa); }

    @Override
    public void write8(long pa, int value) {
        if (mine(pa)) apic.write(pa & 0xfff, 1, value & 0xffL);
        else shared.write8(pa, value);
    }

    @Override
    public void write16(long pa, int value) {
        if (mine(pa)) apic.write(pa & 0xfff, 2, value & 0xffffL);
        else shared.write16(pa, value);
    }

    @Override
    public void write32(long pa, int value) {
        if (mine(pa)) apic.write(pa & 0xfff, 4, value & 0xffffffffL);
        else shared.write32(pa, value);
    }

    @Override
    public void write64(long pa, long value) {
        if (mine(pa)) apic.write(pa & 0xfff, 8, value);
        else shared.write64(pa, value);
    }

    @Override
    public boolean compareAndSet(long pa, int size, long expected, long value) {
        if (!mine(pa)) return shared.compareAndSet(pa, size, expected, value);
        apic.write(pa & 0xfff, size, size == 8 ? value : value & ((1L << (8 * size)) - 1)); // a register, not memory: just stored
        return true;
    }

    @Override public int in(int port, int size) { return shared.in(port, size); }

    @Override public void out(int port, int size, int value) { shared.out(port, size, value); }

    @Override public long codeVersion() { return shared.codeVersion(); }

    @Override public long codeVersion(long pa) { return shared.codeVersion(pa); }

    @Override public void watchCode(long pa) { shared.watchCode(pa); }

    /** Never a view of the APIC page (the CPU's cache also drops its entries when the base moves). */
    @Override public ByteBuffer ramView(long pagePa) { return mine(pagePa) ? null : shared.ramView(pagePa); }

    @Override public int ramViewOffset(long pagePa) { return shared.ramViewOffset(pagePa); }

    @Override public void noteCpuWrite(long pa) { shared.noteCpuWrite(pa); }
}
