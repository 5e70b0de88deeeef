package org.jvirt.vmm.emu.cpu.system;

import static org.jvirt.vmm.emu.cpu.CpuState.CS;
import static org.jvirt.vmm.emu.cpu.CpuState.DS;
import static org.jvirt.vmm.emu.cpu.CpuState.ES;
import static org.jvirt.vmm.emu.cpu.CpuState.FS;
import static org.jvirt.vmm.emu.cpu.CpuState.GS;
import static org.jvirt.vmm.emu.cpu.CpuState.SS;

import org.jvirt.vmm.emu.cpu.AddressTranslator;
import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.LinearMemory;
import org.jvirt.vmm.emu.cpu.SegmentRegister;

/**
 * Hardware task switches between 16- and 32-bit TSSs (legacy protected mode only): JMP or CALL
 * to a TSS or task gate, interrupts through a task gate, and IRET with NT set. The outgoing
 * state goes to the current TSS, the incoming one comes from the new TSS (with CR3 and LDTR for
 * a 32-bit TSS); busy bits, the back link and NT follow the source of the switch, and CR0.TS is set.
 * Checks on the new TSS happen before anything changes; faults while loading the new task's
 * segments (#TS/#NP/#SS with the selector) come after the switch, as on hardware.
 */
final class TaskSwitch {
    static final int JMP = 0, CALL = 1, INT = 2, IRET = 3;
    private static final int[] SEGS_16 = {ES, CS, SS, DS}, DATA = {ES, DS, FS, GS};

    private final CpuState st;
    private final LinearMemory mem;
    private final Segments segs;
    private final AddressTranslator paging;
    private final Descriptor tss = new Descriptor(), oldTss = new Descriptor(), seg = new Descriptor();
    private final int[] selectors = new int[6];
    private final long[] regs = new long[8];

    TaskSwitch(CpuState st, LinearMemory mem, Segments segs, AddressTranslator paging) {
        this.st = st;
        this.mem = mem;
        this.segs = segs;
        this.paging = paging;
    }

    /** Whether the current TSS is a 32-bit one (after the switch: the new task's). */
    boolean current32() { return (st.tr.type & 8) != 0; }

    /**
     * Switches to the task whose TSS selector is given. source is JMP, CALL, INT or IRET;
     * returnRip is the outgoing task's EIP to save. ext is the EXT bit for error codes.
     */
    void switchTo(int selector, int source, long returnRip, int ext) {
        selector &= 0xffff;
        int faultVector = source == IRET ? CpuFault.TS : CpuFault.GP;
        if ((selector & 4) != 0 || (selector & 0xfffc) == 0) throw Segments.fault(faultVector, selector, ext);
        segs.fetch(selector, tss, false, faultVector, ext);
        int type = tss.type();
        boolean busy = (type & 2) != 0;
        if (tss.codeOrData() || (type & 5) != 1 || busy != (source == IRET)) throw Segments.fault(faultVector, selector, ext);
        if (!tss.present()) throw Segments.fault(CpuFault.NP, selector, ext);
        boolean new32 = (type & 8) != 0;
        if (tss.limit() < (new32 ? 0x67 : 0x2b)) throw Segments.fault(CpuFault.TS, selector, ext);
        long newBase = tss.base();

        // Save the outgoing task.
        long oldBase = st.tr.base;
        long flags = st.rflags();
        if (source == IRET) flags &= ~CpuState.NT;
        if (current32()) {
            mem.write32(oldBase + 0x20, (int) returnRip, false);
            mem.write32(oldBase + 0x24, (int) flags, false);
            for (int r = 0; r < 8; r++) mem.write32(oldBase + 0x28 + r * 4, (int) st.gpr[r], false);
            for (int s = 0; s < 6; s++) mem.write16(oldBase + 0x48 + s * 4, st.seg[s].selector, false);
        } else {
            mem.write16(oldBase + 0x0e, (int) returnRip, false);
            mem.write16(oldBase + 0x10, (int) flags, false);
            for (int r = 0; r < 8; r++) mem.write16(oldBase + 0x12 + r * 2, (int) st.gpr[r], false);
            for (int s : SEGS_16) mem.write16(oldBase + 0x22 + indexOf16(s) * 2, st.seg[s].selector, false);
        }
        if (source == JMP || source == IRET) setBusy(st.tr.selector, false);

        // Read the incoming task.
        long eip, eflags, cr3 = 0;
        int ldt;
        if (new32) {
            cr3 = mem.read32(newBase + 0x1c, false) & 0xffffffffL;
            eip = mem.read32(newBase + 0x20, false) & 0xffffffffL;
            eflags = mem.read32(newBase + 0x24, false) & 0xffffffffL;
            for (int r = 0; r < 8; r++) regs[r] = mem.read32(newBase + 0x28 + r * 4, false) & 0xffffffffL;
            for (int s = 0; s < 6; s++) selectors[s] = mem.read16(newBase + 0x48 + s * 4, false);
            ldt = mem.read16(newBase + 0x60, false);
        } else {
            eip = mem.read16(newBase + 0x0e, false);
            // as the 80386 does: EFLAGS' upper half is cleared, the registers' upper halves read 0xFFFF
            eflags = mem.read16(newBase + 0x10, false);
            for (int r = 0; r < 8; r++) regs[r] = 0xffff0000L | mem.read16(newBase + 0x12 + r * 2, false);
            for (int s = 0; s < 6; s++) selectors[s] = 0;
            for (int s : SEGS_16) selectors[s] = mem.read16(newBase + 0x22 + indexOf16(s) * 2, false);
            ldt = mem.read16(newBase + 0x2a, false);
        }
        if (source == CALL || source == INT) {
            mem.write16(newBase, st.tr.selector, false);
            eflags |= CpuState.NT;
        }
        if (source != IRET) setBusy(selector, true);

        // Commit: TR, CR0.TS, registers, CR3, then the segments of the new task (faults from here on
        // belong to the new task).
        segs.fetch(selector, tss, false, CpuFault.TS, ext);
        tss.loadInto(st.tr, selector);
        st.cr0 |= CpuState.CR0_TS;
        System.arraycopy(regs, 0, st.gpr, 0, 8);
        st.rip = eip;
        st.setRflags(eflags);
        if (new32 && (st.cr0 & CpuState.CR0_PG) != 0) {
            st.cr3 = cr3;
            paging.flush();
        }
        loadLdt(ldt, ext);
        if ((eflags & CpuState.VM) != 0) {
            for (int s = 0; s < 6; s++) Segments.loadV86(st.seg[s], selectors[s], s == CS);
            st.cpl = 3;
            return;
        }
        // Selectors first (so a fault leaves the new task's visible state), then descriptors.
        for (int s = 0; s < 6; s++) {
            st.seg[s].selector = selectors[s];
        }
        loadCode(selectors[CS], ext);
        loadStack(selectors[SS], ext);
        for (int s : DATA) loadData(st.seg[s], selectors[s], ext);
    }

    /** Word index in the 16-bit TSS's ES, CS, SS, DS block. */
    private static int indexOf16(int s) {
        return switch (s) {
            case ES -> 0;
            case CS -> 1;
            case SS -> 2;
            default -> 3;
        };
    }

    private void setBusy(int selector, boolean on) {
        if (!segs.read(selector, oldTss, false)) return;
        int b = (oldTss.w1 >>> 8) & 0xff;
        int nb = on ? b | 2 : b & ~2;
        if (nb != b) mem.write8(oldTss.address + 5, nb, false);
    }

    private void loadLdt(int sel, int ext) {
        if ((sel & 0xfffc) == 0) {
            st.ldtr.selector = sel;
            st.ldtr.unusable = true;
            return;
        }
        if ((sel & 4) != 0 || !segs.read(sel, seg, false)) throw Segments.fault(CpuFault.TS, sel, ext);
        if (seg.codeOrData() || seg.type() != 2) throw Segments.fault(CpuFault.TS, sel, ext);
        if (!seg.present()) throw Segments.fault(CpuFault.TS, sel, ext);
        seg.loadInto(st.ldtr, sel);
    }

    private void loadCode(int sel, int ext) {
        if ((sel & 0xfffc) == 0 || !segs.read(sel, seg, false)) throw Segments.fault(CpuFault.TS, sel, ext);
        int rpl = sel & 3;
        if (!seg.isCode() || (seg.conforming() ? seg.dpl() > rpl : seg.dpl() != rpl)) {
            throw Segments.fault(CpuFault.TS, sel, ext);
        }
        if (!seg.present()) throw Segments.fault(CpuFault.NP, sel, ext);
        segs.markAccessed(seg);
        seg.loadInto(st.seg[CS], sel);
        st.cpl = rpl;
    }

    private void loadStack(int sel, int ext) {
        if ((sel & 0xfffc) == 0 || !segs.read(sel, seg, false)) throw Segments.fault(CpuFault.TS, sel, ext);
        if ((sel & 3) != st.cpl || seg.dpl() != st.cpl || !seg.writableData()) throw Segments.fault(CpuFault.TS, sel, ext);
        if (!seg.present()) throw Segments.fault(CpuFault.SS, sel, ext);
        segs.markAccessed(seg);
        seg.loadInto(st.seg[SS], sel);
    }

    private void loadData(SegmentRegister r, int sel, int ext) {
        if ((sel & 0xfffc) == 0) {
            Segments.loadNull(r, sel);
            return;
        }
        if (!segs.read(sel, seg, false) || !seg.readable()) throw Segments.fault(CpuFault.TS, sel, ext);
        if (!seg.conforming() && (seg.dpl() < st.cpl || seg.dpl() < (sel & 3))) throw Segments.fault(CpuFault.TS, sel, ext);
        if (!seg.present()) throw Segments.fault(CpuFault.NP, sel, ext);
        segs.markAccessed(seg);
        seg.loadInto(r, sel);
    }
}
