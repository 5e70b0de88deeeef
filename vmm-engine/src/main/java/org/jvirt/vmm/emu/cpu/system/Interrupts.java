package org.jvirt.vmm.emu.cpu.system;

import static org.jvirt.vmm.emu.cpu.CpuState.CS;
import static org.jvirt.vmm.emu.cpu.CpuState.DS;
import static org.jvirt.vmm.emu.cpu.CpuState.ES;
import static org.jvirt.vmm.emu.cpu.CpuState.FS;
import static org.jvirt.vmm.emu.cpu.CpuState.GS;
import static org.jvirt.vmm.emu.cpu.CpuState.RSP;
import static org.jvirt.vmm.emu.cpu.CpuState.SS;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.LinearMemory;
import org.jvirt.vmm.emu.cpu.SegmentRegister;
import org.jvirt.vmm.emu.cpu.SystemUnit;

/**
 * Interrupt and exception delivery (real-mode IVT, protected-mode IDT with 16/32-bit interrupt
 * and trap gates, long-mode 16-byte gates with IST) and IRET in every mode. A failure during
 * delivery is thrown as a {@link CpuFault}; the core turns a fault during delivery into #DF
 * (and a fault during #DF into a shutdown), so nothing here handles double faults.
 */
final class Interrupts {
    private final CpuState st;
    private final LinearMemory mem;
    private final Segments segs;
    private final TaskState tss;
    private final TaskSwitch tasks;
    private final Descriptor gate = new Descriptor(), code = new Descriptor(), stack = new Descriptor();
    private final SegmentRegister newSs = new SegmentRegister();
    private final StackCursor cur = new StackCursor();

    Interrupts(CpuState st, LinearMemory mem, Segments segs, TaskState tss, TaskSwitch tasks) {
        this.st = st;
        this.tasks = tasks;
        this.mem = mem;
        this.segs = segs;
        this.tss = tss;
    }

    static int iopl(long flags) { return (int) (flags >>> 12) & 3; }

    void deliver(int vector, int kind, boolean hasError, int errorCode, long returnRip) {
        vector &= 0xff;
        int ext = kind == SystemUnit.SOFTWARE_INTERRUPT ? 0 : 1;
        if (!st.protectedMode()) {
            deliverReal(vector, returnRip);
        } else if (st.longMode()) {
            deliverLong(vector, kind, hasError, errorCode, returnRip, ext);
        } else {
            // INT n, INT3 and INTO in virtual-8086 mode need IOPL 3 (no VME).
            if (kind == SystemUnit.SOFTWARE_INTERRUPT && st.v86Mode() && iopl(st.rflags()) < 3) throw CpuFault.gp0();
            deliverLegacy(vector, kind, hasError, errorCode, returnRip, ext);
        }
    }

    private void deliverReal(int vector, long returnRip) {
        int off = vector * 4;
        if (off + 3 > st.idtLimit) throw CpuFault.gp0();
        int ip = mem.read16(st.idtBase + off, false);
        int cs = mem.read16(st.idtBase + off + 2, false);
        StackCursor c = cur.on(mem, st.seg[SS], st.gpr[RSP], false, false, 0);
        long flags = st.rflags();
        c.push(2, flags);
        c.push(2, st.seg[CS].selector);
        c.push(2, returnRip);
        st.gpr[RSP] = c.merged(st.gpr[RSP]);
        st.setRflags(flags & ~(CpuState.IF | CpuState.TF | CpuState.AC | CpuState.RF));
        st.seg[CS].loadReal(cs);
        st.rip = ip & 0xffff;
    }

    private CpuFault idtFault(int vector, int ext) { return CpuFault.withError(CpuFault.GP, vector * 8 + 2 + ext); }

    private void deliverLegacy(int vector, int kind, boolean hasError, int errorCode, long returnRip, int ext) {
        int off = vector * 8;
        if (off + 7 > st.idtLimit) throw idtFault(vector, ext);
        gate.address = st.idtBase + off;
        gate.w0 = mem.read32(gate.address, false);
        gate.w1 = mem.read32(gate.address + 4, false);
        int type = gate.type();
        if (gate.codeOrData() || !(type == 5 || type == 6 || type == 7 || type == 14 || type == 15)) {
            throw idtFault(vector, ext);
        }
        if (kind == SystemUnit.SOFTWARE_INTERRUPT && gate.dpl() < st.cpl) throw idtFault(vector, 0);
        if (!gate.present()) throw CpuFault.withError(CpuFault.NP, vector * 8 + 2 + ext);
        if (type == 5) {
            tasks.switchTo(gate.gateSelector(), TaskSwitch.INT, returnRip, ext);
            if (hasError) {
                StackCursor c = cur.on(mem, st.seg[SS], st.gpr[RSP], false, st.cpl == 3, ext);
                c.push(tasks.current32() ? 4 : 2, errorCode & 0xffffffffL);
                st.gpr[RSP] = c.merged(st.gpr[RSP]);
            }
            return;
        }
        boolean gate32 = type >= 14;
        long offset = gate32 ? gate.gateOffset32() : gate.w0 & 0xffff;
        int size = gate32 ? 4 : 2;
        int sel = gate.gateSelector();
        if ((sel & 0xfffc) == 0) throw CpuFault.withError(CpuFault.GP, ext);
        segs.fetch(sel, code, false, CpuFault.GP, ext);
        if (!code.isCode() || code.dpl() > st.cpl) throw Segments.fault(CpuFault.GP, sel, ext);
        if (!code.present()) throw Segments.fault(CpuFault.NP, sel, ext);
        if (offset > code.limit()) throw CpuFault.withError(CpuFault.GP, ext);
        boolean v86 = st.v86Mode();
        long flags = st.rflags();
        int newCpl;
        StackCursor c;
        boolean switchStack = !code.conforming() && code.dpl() < st.cpl;
        if (switchStack) {
            newCpl = code.dpl();
            if (v86 && newCpl != 0) throw Segments.fault(CpuFault.GP, sel, ext);
            tss.legacyStack(newCpl, ext);
            int ss = tss.stackSelector;
            loadStackForSwitch(ss, newCpl, ext, CpuFault.TS);
            c = cur.on(mem, newSs, tss.stackPointer, false, false, Segments.err(ss, ext));
            if (v86) {
                c.push(size, st.seg[GS].selector);
                c.push(size, st.seg[FS].selector);
                c.push(size, st.seg[DS].selector);
                c.push(size, st.seg[ES].selector);
            }
            c.push(size, st.seg[SS].selector);
            c.push(size, st.gpr[RSP]);
        } else {
            if (v86) throw Segments.fault(CpuFault.GP, sel, ext);
            newCpl = st.cpl;
            c = cur.on(mem, st.seg[SS], st.gpr[RSP], false, st.cpl == 3, ext);
        }
        c.push(size, flags);
        c.push(size, st.seg[CS].selector);
        c.push(size, returnRip);
        if (hasError) c.push(size, errorCode & 0xffffffffL);
        // Commit.
        if (switchStack) {
            if (v86) {
                for (int s : Segments.DATA_SEGS) Segments.loadNull(st.seg[s], 0);
            }
            segs.markAccessed(stack);
            st.seg[SS].copyFrom(newSs);
            st.gpr[RSP] = c.merged(tss.stackPointer);
        } else {
            st.gpr[RSP] = c.merged(st.gpr[RSP]);
        }
        enterCode(sel, newCpl, offset);
        long nf = flags & ~(CpuState.TF | CpuState.NT | CpuState.RF | CpuState.VM);
        if ((gate.type() & 1) == 0) nf &= ~CpuState.IF;
        st.setRflags(nf);
    }

    /** Checks the stack segment a privilege change switches to and decodes it into newSs. */
    private void loadStackForSwitch(int ss, int newCpl, int ext, int vector) {
        if ((ss & 0xfffc) == 0) throw CpuFault.withError(vector, ext);
        segs.fetch(ss, stack, false, vector, ext);
        if ((ss & 3) != newCpl || stack.dpl() != newCpl || !stack.writableData()) throw Segments.fault(vector, ss, ext);
        if (!stack.present()) throw Segments.fault(CpuFault.SS, ss, ext);
        stack.loadInto(newSs, ss);
    }

    private void enterCode(int sel, int newCpl, long offset) {
        segs.markAccessed(code);
        code.loadInto(st.seg[CS], (sel & 0xfffc) | newCpl);
        st.cpl = newCpl;
        st.rip = offset;
    }

    private void deliverLong(int vector, int kind, boolean hasError, int errorCode, long returnRip, int ext) {
        int off = vector * 16;
        if (off + 15 > st.idtLimit) throw idtFault(vector, ext);
        gate.address = st.idtBase + off;
        gate.w0 = mem.read32(gate.address, false);
        gate.w1 = mem.read32(gate.address + 4, false);
        gate.high = mem.read32(gate.address + 8, false);
        int type = gate.type();
        if (gate.codeOrData() || (type != 14 && type != 15)) throw idtFault(vector, ext);
        if (kind == SystemUnit.SOFTWARE_INTERRUPT && gate.dpl() < st.cpl) throw idtFault(vector, 0);
        if (!gate.present()) throw CpuFault.withError(CpuFault.NP, vector * 8 + 2 + ext);
        int sel = gate.gateSelector();
        long offset = gate.gateOffset64();
        if ((sel & 0xfffc) == 0) throw CpuFault.withError(CpuFault.GP, ext);
        segs.fetch(sel, code, false, CpuFault.GP, ext);
        if (!code.isCode() || code.dpl() > st.cpl || !code.longMode() || code.db()) {
            throw Segments.fault(CpuFault.GP, sel, ext);
        }
        if (!code.present()) throw Segments.fault(CpuFault.NP, sel, ext);
        if (!Segments.canonical(offset)) throw CpuFault.withError(CpuFault.GP, ext);
        int newCpl = code.conforming() ? st.cpl : code.dpl();
        boolean privilegeChange = newCpl < st.cpl;
        long rsp;
        int ist = gate.gateIst();
        if (ist != 0) rsp = tss.longStack(0x1c + ist * 8, ext);
        else if (privilegeChange) rsp = tss.longStack(4 + newCpl * 8, ext);
        else rsp = st.gpr[RSP];
        rsp &= ~15L;
        long flags = st.rflags();
        StackCursor c = cur.on(mem, st.seg[SS], rsp, true, newCpl == 3, ext);
        c.push(8, st.seg[SS].selector);
        c.push(8, st.gpr[RSP]);
        c.push(8, flags);
        c.push(8, st.seg[CS].selector);
        c.push(8, returnRip);
        if (hasError) c.push(8, errorCode & 0xffffffffL);
        if (privilegeChange) Segments.makeLongModeNullStack(st.seg[SS], newCpl);
        st.gpr[RSP] = c.sp;
        enterCode(sel, newCpl, offset);
        long nf = flags & ~(CpuState.TF | CpuState.NT | CpuState.RF | CpuState.VM);
        if (type == 14) nf &= ~CpuState.IF;
        st.setRflags(nf);
    }

    // ---- IRET ----

    void interruptReturn(int size) {
        if (!st.protectedMode()) {
            realModeReturn(size, false);
        } else if (st.v86Mode()) {
            if (iopl(st.rflags()) < 3) throw CpuFault.gp0();
            realModeReturn(size, true);
        } else if ((st.rflags() & CpuState.NT) != 0) {
            if (st.longMode()) throw CpuFault.gp0();
            // The back link; the outgoing task's saved EIP is st.rip as the core left it.
            int backLink = mem.read16(st.tr.base, false);
            tasks.switchTo(backLink, TaskSwitch.IRET, st.rip, 0);
        } else {
            protectedReturn(size);
        }
    }

    private void realModeReturn(int size, boolean v86) {
        StackCursor c = cur.on(mem, st.seg[SS], st.gpr[RSP], false, v86, 0);
        long ip = c.pop(size);
        int cs = (int) c.pop(size) & 0xffff;
        long fl = c.pop(size);
        if (ip > 0xffff && size == 4 || ip > st.seg[CS].limit) throw CpuFault.gp0();
        long old = st.rflags();
        long keep = v86 ? CpuState.IOPL : 0;
        long nf;
        if (size == 2) {
            nf = (old & ~0xffffL) | fl;
        } else {
            keep |= CpuState.VM | CpuState.VIF | CpuState.VIP;
            nf = (fl & 0x257fd5L) | (old & 0x1a0000L);
        }
        nf = (nf & ~keep) | (old & keep);
        st.gpr[RSP] = c.merged(st.gpr[RSP]);
        if (v86) Segments.loadV86(st.seg[CS], cs, true);
        else st.seg[CS].loadReal(cs);
        st.rip = ip;
        st.setRflags(nf);
    }

    private void protectedReturn(int size) {
        boolean m64 = st.mode64();
        int cpl = st.cpl;
        StackCursor c = cur.on(mem, st.seg[SS], st.gpr[RSP], m64, cpl == 3, 0);
        long nip = c.pop(size);
        int ncs = (int) c.pop(size) & 0xffff;
        long nfl = c.pop(size);
        if (size == 4 && (nfl & CpuState.VM) != 0 && cpl == 0 && !st.longMode()) {
            returnToV86(c, nip, ncs, nfl);
            return;
        }
        if ((ncs & 0xfffc) == 0) throw CpuFault.gp0();
        segs.fetch(ncs, code, false, CpuFault.GP, 0);
        int rpl = ncs & 3;
        if (!code.isCode() || rpl < cpl) throw Segments.fault(CpuFault.GP, ncs, 0);
        if (code.conforming() ? code.dpl() > rpl : code.dpl() != rpl) throw Segments.fault(CpuFault.GP, ncs, 0);
        if (!code.present()) throw Segments.fault(CpuFault.NP, ncs, 0);
        boolean toLong = st.longMode() && code.longMode();
        boolean popStack = m64 || rpl > cpl;
        long nsp = 0;
        int nss = 0;
        boolean nullSs = false;
        if (popStack) {
            nsp = c.pop(size);
            nss = (int) c.pop(size) & 0xffff;
            if ((nss & 0xfffc) == 0) {
                if (!toLong || rpl == 3) throw CpuFault.gp0();
                nullSs = true;
            } else {
                segs.fetch(nss, stack, false, CpuFault.GP, 0);
                if ((nss & 3) != rpl || stack.dpl() != rpl || !stack.writableData()) {
                    throw Segments.fault(CpuFault.GP, nss, 0);
                }
                if (!stack.present()) throw Segments.fault(CpuFault.SS, nss, 0);
            }
        }
        if (toLong) {
            if (!Segments.canonical(nip)) throw CpuFault.gp0();
        } else {
            nip &= 0xffffffffL;
            if (nip > code.limit()) throw CpuFault.gp0();
        }
        long old = st.rflags();
        long changeable = CpuState.STATUS_FLAGS | CpuState.TF | CpuState.DF | CpuState.NT | CpuState.RF
                | CpuState.AC | CpuState.ID;
        if (cpl <= iopl(old)) changeable |= CpuState.IF;
        if (cpl == 0) changeable |= CpuState.IOPL | CpuState.VIF | CpuState.VIP;
        if (size == 2) changeable &= 0xffff;
        long nf = (old & ~changeable) | (nfl & changeable);
        // Commit.
        segs.markAccessed(code);
        code.loadInto(st.seg[CS], ncs);
        st.cpl = rpl;
        if (popStack) {
            if (nullSs) {
                Segments.makeLongModeNullStack(st.seg[SS], rpl);
                st.seg[SS].selector = nss;
            } else {
                segs.markAccessed(stack);
                stack.loadInto(st.seg[SS], nss);
            }
            st.gpr[RSP] = size == 8 ? nsp : size == 4 ? nsp & 0xffffffffL : (st.gpr[RSP] & ~0xffffL) | (nsp & 0xffff);
        } else {
            st.gpr[RSP] = c.merged(st.gpr[RSP]);
        }
        st.rip = nip;
        st.setRflags(nf);
        if (rpl > cpl) segs.nullInaccessibleDataSegments();
    }

    private void returnToV86(StackCursor c, long nip, int ncs, long nfl) {
        long nesp = c.pop(4);
        int nss = (int) c.pop(4) & 0xffff;
        int es = (int) c.pop(4) & 0xffff;
        int ds = (int) c.pop(4) & 0xffff;
        int fs = (int) c.pop(4) & 0xffff;
        int gs = (int) c.pop(4) & 0xffff;
        if (nip > 0xffff) throw CpuFault.gp0();
        st.setRflags(nfl);
        Segments.loadV86(st.seg[CS], ncs, true);
        Segments.loadV86(st.seg[SS], nss, false);
        Segments.loadV86(st.seg[ES], es, false);
        Segments.loadV86(st.seg[DS], ds, false);
        Segments.loadV86(st.seg[FS], fs, false);
        Segments.loadV86(st.seg[GS], gs, false);
        st.gpr[RSP] = nesp;
        st.cpl = 3;
        st.rip = nip;
    }
}
