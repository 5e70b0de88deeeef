package org.jvirt.vmm.emu.cpu.system;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.LinearMemory;
import org.jvirt.vmm.emu.cpu.SegmentRegister;

/**
 * A stack pointer being moved by a far transfer or interrupt, on the current stack or on a new
 * one taken from the TSS, without touching the registers: they are committed only when every
 * push and pop (and every check after them) has succeeded. Limit violations raise #SS with
 * the cursor's error code; 64-bit stacks check canonical addresses instead of limits.
 */
final class StackCursor {
    private LinearMemory mem;
    private SegmentRegister seg;
    long sp;
    /** 0xFFFF, 0xFFFFFFFF or all ones (64-bit mode). */
    private long mask;
    private boolean user;
    private int errorCode;

    StackCursor on(LinearMemory mem, SegmentRegister seg, long sp, boolean mode64, boolean user, int errorCode) {
        this.mem = mem;
        this.seg = seg;
        this.mask = mode64 ? -1L : seg.db ? 0xffffffffL : 0xffff;
        this.sp = sp & mask;
        this.user = user;
        this.errorCode = errorCode;
        return this;
    }

    private long address(long offset, int size) {
        if (mask == -1L) {
            if (!Segments.canonical(offset) || !Segments.canonical(offset + size - 1)) {
                throw CpuFault.withError(CpuFault.SS, errorCode);
            }
            return offset;
        }
        if (!Segments.withinLimit(seg, offset, size)) throw CpuFault.withError(CpuFault.SS, errorCode);
        return (seg.base + offset) & 0xffffffffL;
    }

    void push(int size, long value) {
        long nsp = (sp - size) & mask;
        long a = address(nsp, size);
        switch (size) {
            case 2 -> mem.write16(a, (int) value, user);
            case 4 -> mem.write32(a, (int) value, user);
            default -> mem.write64(a, value, user);
        }
        sp = nsp;
    }

    long pop(int size) {
        long a = address(sp, size);
        long v = switch (size) {
            case 2 -> mem.read16(a, user) & 0xffffL;
            case 4 -> mem.read32(a, user) & 0xffffffffL;
            default -> mem.read64(a, user);
        };
        sp = (sp + size) & mask;
        return v;
    }

    /** Reads without popping, at byte offset from the top (call-gate parameter copy). */
    long peek(int size, long offset) {
        long a = address((sp + offset) & mask, size);
        return size == 2 ? mem.read16(a, user) & 0xffffL : mem.read32(a, user) & 0xffffffffL;
    }

    void skip(long bytes) { sp = (sp + bytes) & mask; }

    /** The register value: the new pointer merged into old (a 16-bit stack changes only SP). */
    long merged(long oldRsp) {
        return mask == 0xffff ? (oldRsp & ~0xffffL) | sp : sp;
    }
}
