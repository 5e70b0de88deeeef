package org.jvirt.vmm.emu.cpu.system;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.LinearMemory;
import org.jvirt.vmm.emu.cpu.SegmentRegister;

/**
 * Descriptor-table access and segment-register loads with the protection checks of MOV/POP
 * Sreg and LxS: descriptor fetch from the GDT or LDT (limit-checked), the Accessed bit, null
 * selectors, and the real-mode and virtual-8086 forms. Error codes carry the selector's index
 * and TI bits (RPL cleared) plus the EXT bit when the event came from outside the program.
 */
final class Segments {
    private final CpuState st;
    private final LinearMemory mem;

    Segments(CpuState st, LinearMemory mem) {
        this.st = st;
        this.mem = mem;
    }

    static int err(int selector, int ext) { return (selector & 0xfffc) | ext; }

    static CpuFault fault(int vector, int selector, int ext) { return CpuFault.withError(vector, err(selector, ext)); }

    /**
     * Reads the descriptor of selector (not null) into d. Returns false when the selector is
     * beyond its table's limit (or names an LDT while none is loaded); callers raise their own fault.
     * wide reads 16 bytes (long-mode system descriptors).
     */
    boolean read(int selector, Descriptor d, boolean wide) {
        long base;
        long limit;
        if ((selector & 4) != 0) {
            if (st.ldtr.unusable || (st.ldtr.selector & 0xfffc) == 0) return false;
            base = st.ldtr.base;
            limit = st.ldtr.limit;
        } else {
            base = st.gdtBase;
            limit = st.gdtLimit & 0xffffL;
        }
        long index = selector & 0xfff8;
        if (index + (wide ? 15 : 7) > limit) return false;
        d.address = base + index;
        d.w0 = mem.read32(d.address, false);
        d.w1 = mem.read32(d.address + 4, false);
        d.high = wide ? mem.read32(d.address + 8, false) : 0;
        return true;
    }

    /** read(), raising vector(selector|ext) when the selector is out of the table. */
    void fetch(int selector, Descriptor d, boolean wide, int vector, int ext) {
        if (!read(selector, d, wide)) throw fault(vector, selector, ext);
    }

    /** Whether a 16-byte form applies: system descriptors while long mode is active. */
    boolean wideSystem(Descriptor d) {
        return st.longMode() && !d.codeOrData();
    }

    /** Sets the Accessed bit in the descriptor in memory if it is clear (code/data only). */
    void markAccessed(Descriptor d) {
        if (!d.accessed()) {
            d.w1 |= 0x100;
            mem.write8(d.address + 5, (d.w1 >>> 8) & 0xff, false);
        }
    }

    /** MOV/POP Sreg, LxS: loads ES/SS/DS/FS/GS with every protection check. */
    void loadSegment(int segIndex, int selector, Descriptor d) {
        selector &= 0xffff;
        SegmentRegister r = st.seg[segIndex];
        if (!st.protectedMode()) {
            r.loadReal(selector);
            return;
        }
        if (st.v86Mode()) {
            loadV86(r, selector, segIndex == CpuState.CS);
            return;
        }
        int cpl = st.cpl;
        int rpl = selector & 3;
        if ((selector & 0xfffc) == 0) {
            if (segIndex == CpuState.SS && !(st.mode64() && cpl != 3 && rpl == cpl)) throw CpuFault.gp0();
            loadNull(r, selector);
            if (segIndex == CpuState.SS) makeLongModeNullStack(r, cpl);
            return;
        }
        fetch(selector, d, false, CpuFault.GP, 0);
        if (segIndex == CpuState.SS) {
            if (rpl != cpl || d.dpl() != cpl || !d.writableData()) throw fault(CpuFault.GP, selector, 0);
            if (!d.present()) throw fault(CpuFault.SS, selector, 0);
        } else {
            if (!d.readable()) throw fault(CpuFault.GP, selector, 0);
            if (!d.conforming() && (rpl > d.dpl() || cpl > d.dpl())) throw fault(CpuFault.GP, selector, 0);
            if (!d.present()) throw fault(CpuFault.NP, selector, 0);
        }
        markAccessed(d);
        d.loadInto(r, selector);
    }

    /** A null data-segment selector: any later access through it faults (the core checks unusable). */
    static void loadNull(SegmentRegister r, int selector) {
        r.selector = selector & 0xffff;
        r.base = 0;
        r.limit = 0;
        r.present = false;
        r.unusable = true;
    }

    /**
     * In 64-bit mode SS may hold a null selector (after an interrupt or SYSCALL-style entry to
     * ring 0..2): the stack still works, so the hidden part is a flat writable data segment.
     */
    static void makeLongModeNullStack(SegmentRegister r, int cpl) {
        r.selector = cpl;
        r.base = 0;
        r.limit = 0xffffffffL;
        r.type = 3;
        r.codeOrData = true;
        r.dpl = cpl;
        r.present = true;
        r.db = true;
        r.longMode = false;
        r.granularity = true;
        r.unusable = false;
    }

    /** Virtual-8086 load: base = selector * 16, 64 KiB limit, DPL 3, present, read/write (CS: code). */
    static void loadV86(SegmentRegister r, int selector, boolean code) {
        r.selector = selector & 0xffff;
        r.base = (long) r.selector << 4;
        r.limit = 0xffff;
        r.type = code ? 0xb : 0x3;
        r.codeOrData = true;
        r.dpl = 3;
        r.present = true;
        r.db = false;
        r.longMode = false;
        r.granularity = false;
        r.unusable = false;
    }

    /** Flat segment of SYSCALL/SYSENTER-style loads (the CPU does not read the descriptor). */
    static void loadFlat(SegmentRegister r, int selector, boolean code, int dpl, boolean longCode) {
        r.selector = selector & 0xffff;
        r.base = 0;
        r.limit = 0xffffffffL;
        r.type = code ? 0xb : 0x3;
        r.codeOrData = true;
        r.dpl = dpl;
        r.present = true;
        r.db = !longCode;
        r.longMode = longCode;
        r.granularity = true;
        r.unusable = false;
    }

    /**
     * After a return to an outer privilege level: ES, DS, FS, GS become null when they hold a
     * data or non-conforming code segment whose DPL is below the new CPL.
     */
    void nullInaccessibleDataSegments() {
        int cpl = st.cpl;
        for (int s : DATA_SEGS) {
            SegmentRegister r = st.seg[s];
            if (r.unusable || !r.codeOrData) continue;
            boolean conformingCode = (r.type & 0xc) == 0xc;
            if (!conformingCode && r.dpl < cpl) loadNull(r, 0);
        }
    }

    static final int[] DATA_SEGS = {CpuState.ES, CpuState.DS, CpuState.FS, CpuState.GS};

    /** Offset within the segment's limit (expand-down data segments count from limit+1 to the top). */
    static boolean withinLimit(SegmentRegister r, long offset, int size) {
        long last = offset + size - 1;
        if (r.codeOrData && (r.type & 0xc) == 0x4) {
            long top = r.db ? 0xffffffffL : 0xffff;
            return offset > r.limit && last <= top;
        }
        return offset >= 0 && last <= r.limit;
    }

    static boolean canonical(long v) { return (v << 16) >> 16 == v; }
}
