package org.jvirt.vmm.emu.cpu.system;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.LinearMemory;

/**
 * What the CPU reads from the current TSS: the inner-ring stacks of a privilege change (16-bit,
 * 32-bit and 64-bit TSS with IST), and the I/O permission bitmap.
 *
 * Task switches themselves are {@link TaskSwitch}'s.
 */
final class TaskState {
    private final CpuState st;
    private final LinearMemory mem;

    /** Result of {@link #legacyStack}. */
    int stackSelector;
    long stackPointer;

    TaskState(CpuState st, LinearMemory mem) {
        this.st = st;
        this.mem = mem;
    }

    private boolean tss32() { return (st.tr.type & 8) != 0; }

    /** SS:ESP for privilege level dpl from a 16- or 32-bit TSS; #TS(TR) when beyond its limit. */
    void legacyStack(int dpl, int ext) {
        if (tss32()) {
            long off = 4 + dpl * 8L;
            if (off + 5 > st.tr.limit) throw Segments.fault(CpuFault.TS, st.tr.selector, ext);
            stackPointer = mem.read32(st.tr.base + off, false) & 0xffffffffL;
            stackSelector = mem.read16(st.tr.base + off + 4, false);
        } else {
            long off = 2 + dpl * 4L;
            if (off + 3 > st.tr.limit) throw Segments.fault(CpuFault.TS, st.tr.selector, ext);
            stackPointer = mem.read16(st.tr.base + off, false);
            stackSelector = mem.read16(st.tr.base + off + 2, false);
        }
    }

    /** An RSPn or ISTn slot of the 64-bit TSS (at the given byte offset); canonical or #SS. */
    long longStack(int offset, int ext) {
        if (offset + 7 > st.tr.limit) throw Segments.fault(CpuFault.TS, st.tr.selector, ext);
        long rsp = mem.read64(st.tr.base + offset, false);
        if (!Segments.canonical(rsp)) throw CpuFault.withError(CpuFault.SS, ext);
        return rsp;
    }

    /** I/O bitmap check for port..port+size-1 (called when CPL > IOPL or in virtual-8086 mode). */
    void checkIoBitmap(int port, int size) {
        // Only a 32/64-bit TSS has a bitmap (types 9 and 11, available or busy).
        if (st.tr.unusable || (st.tr.type & 8) == 0 || st.tr.limit < 0x67) throw CpuFault.gp0();
        long bitmap = mem.read16(st.tr.base + 0x66, false);
        long byteOff = bitmap + (port >>> 3);
        if (byteOff + 1 > st.tr.limit) throw CpuFault.gp0();
        int bits = mem.read16(st.tr.base + byteOff, false);
        int mask = ((1 << size) - 1) << (port & 7);
        if ((bits & mask) != 0) throw CpuFault.gp0();
    }
}
