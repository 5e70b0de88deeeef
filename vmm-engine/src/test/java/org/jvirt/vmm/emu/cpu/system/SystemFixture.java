package org.jvirt.vmm.emu.cpu.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirt.vmm.emu.cpu.AddressTranslator;
import org.jvirt.vmm.emu.cpu.ArrayBus;
import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.FlatMemory;
import org.junit.jupiter.api.function.Executable;

/**
 * Hand-built descriptor tables in a 1 MiB flat memory (paging off) for the system-unit tests:
 * GDT at 0x1000, IDT at 0x2000, TSS at 0x3000, and helpers to encode descriptors and gates.
 */
abstract class SystemFixture {
    static final long GDT = 0x1000, IDT = 0x2000, TSS = 0x3000;

    final ArrayBus bus = new ArrayBus(1 << 20);
    final CpuState st = new CpuState();
    final RecordingTranslator tlb = new RecordingTranslator();
    long tsc = 1000;
    final X86SystemUnit unit = new X86SystemUnit(st, new FlatMemory(bus), tlb, () -> tsc, 2, 4);

    /** Counts the TLB operations the unit asks for. */
    static final class RecordingTranslator implements AddressTranslator {
        int flushes, fullFlushes;
        long lastInvalidated = -1;

        @Override public long translate(long linear, int access, boolean user) { return linear; }
        @Override public void flush() { flushes++; }
        @Override public void flushAll() { fullFlushes++; }
        @Override public void invalidate(long linear) { lastInvalidated = linear; }
    }

    /** A code/data (s = true) or system descriptor. */
    static long desc(long base, long limit, int type, boolean s, int dpl, boolean present, boolean db, boolean l,
                     boolean g) {
        long w0 = (limit & 0xffff) | (base & 0xffff) << 16;
        long w1 = (base >>> 16 & 0xff) | (long) type << 8 | (s ? 1L << 12 : 0) | (long) dpl << 13
                | (present ? 1L << 15 : 0) | (limit & 0xf0000) | (db ? 1L << 22 : 0) | (l ? 1L << 21 : 0)
                | (g ? 1L << 23 : 0) | (base & 0xff000000L);
        return w0 | w1 << 32;
    }

    static long code32(int dpl) { return desc(0, 0xfffff, 0xa, true, dpl, true, true, false, true); }

    static long data32(int dpl) { return desc(0, 0xfffff, 0x2, true, dpl, true, true, false, true); }

    static long code64(int dpl) { return desc(0, 0xfffff, 0xa, true, dpl, true, false, true, true); }

    /** A 16/32-bit gate (type 4/12 call gate, 6/7/14/15 interrupt/trap, 5 task). */
    static long gate(int selector, long offset, int type, int dpl, int params) {
        long w0 = (offset & 0xffff) | (long) selector << 16;
        long w1 = params | (long) type << 8 | (long) dpl << 13 | 1L << 15 | (offset & 0xffff0000L);
        return w0 | w1 << 32;
    }

    void gdt(int index, long descriptor) { bus.write64(GDT + index * 8L, descriptor); }

    void idt(int vector, long gate) { bus.write64(IDT + vector * 8L, gate); }

    /** A 16-byte long-mode IDT gate. */
    void idt64(int vector, int selector, long offset, int type, int dpl, int ist) {
        long w0 = (offset & 0xffff) | (long) selector << 16;
        long w1 = ist | (long) type << 8 | (long) dpl << 13 | 1L << 15 | (offset & 0xffff0000L);
        bus.write64(IDT + vector * 16L, w0 | w1 << 32);
        bus.write64(IDT + vector * 16L + 8, offset >>> 32);
    }

    void enterProtectedMode() {
        st.cr0 = CpuState.CR0_PE | CpuState.CR0_ET;
        st.gdtBase = GDT;
        st.gdtLimit = 0xff;
        st.idtBase = IDT;
        st.idtLimit = 0x7ff;
    }

    static CpuFault fault(Executable e) { return assertThrows(CpuFault.class, e); }

    static void assertFault(int vector, int errorCode, Executable e) {
        CpuFault f = fault(e);
        assertEquals(vector, f.vector, "vector");
        assertEquals(errorCode, f.errorCode, "error code");
    }

    long read32(long a) { return bus.read32(a) & 0xffffffffL; }
}
