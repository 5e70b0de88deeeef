package org.jvirt.vmm.emu.cpu.system;

import static org.jvirt.vmm.emu.cpu.CpuState.CS;
import static org.jvirt.vmm.emu.cpu.CpuState.RSP;
import static org.jvirt.vmm.emu.cpu.CpuState.SS;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.LinearMemory;
import org.jvirt.vmm.emu.cpu.SegmentRegister;

/**
 * Far JMP, CALL and RET: direct to code segments (conforming and not), through call gates
 * (16/32-bit with parameter copy and the inner stack from the TSS; 64-bit 16-byte gates), in
 * real, virtual-8086, protected and long mode. Registers change only after every check and
 * every stack access has succeeded.
 */
final class FarTransfers {
    private final CpuState st;
    private final LinearMemory mem;
    private final Segments segs;
    private final TaskState tss;
    private final TaskSwitch tasks;
    private final Descriptor desc = new Descriptor(), target = new Descriptor(), stack = new Descriptor();
    private final SegmentRegister newSs = new SegmentRegister();
    private final StackCursor cur = new StackCursor(), oldStack = new StackCursor();

    FarTransfers(CpuState st, LinearMemory mem, Segments segs, TaskState tss, TaskSwitch tasks) {
        this.st = st;
        this.tasks = tasks;
        this.mem = mem;
        this.segs = segs;
        this.tss = tss;
    }

    private static long sizeMask(int size) { return size == 2 ? 0xffff : size == 4 ? 0xffffffffL : -1L; }

    private void realJump(int selector, long offset) {
        if (offset > st.seg[CS].limit && !st.v86Mode() || st.v86Mode() && offset > 0xffff) throw CpuFault.gp0();
        if (st.v86Mode()) Segments.loadV86(st.seg[CS], selector, true);
        else st.seg[CS].loadReal(selector);
        st.rip = offset;
    }

    void farJump(int selector, long offset, int size, long nextRip) {
        selector &= 0xffff;
        offset &= sizeMask(size);
        if (!st.protectedMode() || st.v86Mode()) {
            realJump(selector, offset);
            return;
        }
        readTarget(selector);
        if (desc.isCode()) {
            checkDirectCode(selector, desc);
            checkOffset(desc, offset);
            loadCs(desc, selector, st.cpl, offset);
            return;
        }
        int type = desc.type();
        if (isCallGate(type)) {
            checkGate(selector);
            int tsel = desc.gateSelector();
            fetchGateTarget(tsel);
            if (target.conforming() ? target.dpl() > st.cpl : target.dpl() != st.cpl) {
                throw Segments.fault(CpuFault.GP, tsel, 0);
            }
            if (!target.present()) throw Segments.fault(CpuFault.NP, tsel, 0);
            long off = gateOffset(type);
            checkOffset(target, off);
            loadCs(target, tsel, st.cpl, off);
            return;
        }
        if (!st.longMode() && (type == 5 || type == 1 || type == 9)) {
            taskTransfer(selector, type, TaskSwitch.JMP, nextRip);
            return;
        }
        throw Segments.fault(CpuFault.GP, selector, 0);
    }

    void farCall(int selector, long offset, int size, long nextRip) {
        selector &= 0xffff;
        offset &= sizeMask(size);
        if (!st.protectedMode() || st.v86Mode()) {
            StackCursor c = cur.on(mem, st.seg[SS], st.gpr[RSP], false, st.v86Mode(), 0);
            c.push(size, st.seg[CS].selector);
            c.push(size, nextRip);
            realJump(selector, offset);
            st.gpr[RSP] = c.merged(st.gpr[RSP]);
            return;
        }
        boolean m64 = st.mode64();
        readTarget(selector);
        if (desc.isCode()) {
            checkDirectCode(selector, desc);
            checkOffset(desc, offset);
            StackCursor c = cur.on(mem, st.seg[SS], st.gpr[RSP], m64, st.cpl == 3, 0);
            c.push(size, st.seg[CS].selector);
            c.push(size, nextRip);
            st.gpr[RSP] = c.merged(st.gpr[RSP]);
            loadCs(desc, selector, st.cpl, offset);
            return;
        }
        int type = desc.type();
        if (isCallGate(type)) {
            checkGate(selector);
            callThroughGate(type, nextRip, m64);
            return;
        }
        if (!st.longMode() && (type == 5 || type == 1 || type == 9)) {
            taskTransfer(selector, type, TaskSwitch.CALL, nextRip);
            return;
        }
        throw Segments.fault(CpuFault.GP, selector, 0);
    }

    private void callThroughGate(int type, long nextRip, boolean m64) {
        int tsel = desc.gateSelector();
        fetchGateTarget(tsel);
        if (target.dpl() > st.cpl) throw Segments.fault(CpuFault.GP, tsel, 0);
        if (!target.present()) throw Segments.fault(CpuFault.NP, tsel, 0);
        long off = gateOffset(type);
        checkOffset(target, off);
        int cpl = st.cpl;
        boolean inner = !target.conforming() && target.dpl() < cpl;
        if (st.longMode()) {
            int newCpl = inner ? target.dpl() : cpl;
            long rsp = inner ? tss.longStack(4 + newCpl * 8, 0) : st.gpr[RSP];
            StackCursor c = cur.on(mem, st.seg[SS], rsp, true, newCpl == 3, 0);
            if (inner) {
                c.push(8, st.seg[SS].selector);
                c.push(8, st.gpr[RSP]);
            }
            c.push(8, st.seg[CS].selector);
            c.push(8, nextRip);
            if (inner) Segments.makeLongModeNullStack(st.seg[SS], newCpl);
            st.gpr[RSP] = c.sp;
            loadCs(target, tsel, newCpl, off);
            return;
        }
        int gsize = type == 12 ? 4 : 2;
        if (!inner) {
            StackCursor c = cur.on(mem, st.seg[SS], st.gpr[RSP], m64, cpl == 3, 0);
            c.push(gsize, st.seg[CS].selector);
            c.push(gsize, nextRip);
            st.gpr[RSP] = c.merged(st.gpr[RSP]);
            loadCs(target, tsel, cpl, off);
            return;
        }
        int newCpl = target.dpl();
        tss.legacyStack(newCpl, 0);
        int ss = tss.stackSelector;
        if ((ss & 0xfffc) == 0) throw CpuFault.withError(CpuFault.TS, 0);
        segs.fetch(ss, stack, false, CpuFault.TS, 0);
        if ((ss & 3) != newCpl || stack.dpl() != newCpl || !stack.writableData()) throw Segments.fault(CpuFault.TS, ss, 0);
        if (!stack.present()) throw Segments.fault(CpuFault.SS, ss, 0);
        stack.loadInto(newSs, ss);
        StackCursor c = cur.on(mem, newSs, tss.stackPointer, false, false, Segments.err(ss, 0));
        StackCursor old = oldStack.on(mem, st.seg[SS], st.gpr[RSP], false, cpl == 3, 0);
        c.push(gsize, st.seg[SS].selector);
        c.push(gsize, st.gpr[RSP]);
        int params = desc.gateParamCount();
        for (int i = params - 1; i >= 0; i--) c.push(gsize, old.peek(gsize, (long) i * gsize));
        c.push(gsize, st.seg[CS].selector);
        c.push(gsize, nextRip);
        segs.markAccessed(stack);
        st.seg[SS].copyFrom(newSs);
        st.gpr[RSP] = c.merged(tss.stackPointer);
        loadCs(target, tsel, newCpl, off);
    }

    void farReturn(int size, int popBytes) {
        if (!st.protectedMode() || st.v86Mode()) {
            StackCursor c = cur.on(mem, st.seg[SS], st.gpr[RSP], false, st.v86Mode(), 0);
            long ip = c.pop(size);
            int cs = (int) c.pop(size) & 0xffff;
            c.skip(popBytes);
            realJump(cs, ip);
            st.gpr[RSP] = c.merged(st.gpr[RSP]);
            return;
        }
        boolean m64 = st.mode64();
        int cpl = st.cpl;
        StackCursor c = cur.on(mem, st.seg[SS], st.gpr[RSP], m64, cpl == 3, 0);
        long nip = c.pop(size);
        int ncs = (int) c.pop(size) & 0xffff;
        if ((ncs & 0xfffc) == 0) throw CpuFault.gp0();
        segs.fetch(ncs, desc, false, CpuFault.GP, 0);
        int rpl = ncs & 3;
        if (!desc.isCode() || rpl < cpl) throw Segments.fault(CpuFault.GP, ncs, 0);
        if (desc.conforming() ? desc.dpl() > rpl : desc.dpl() != rpl) throw Segments.fault(CpuFault.GP, ncs, 0);
        if (!desc.present()) throw Segments.fault(CpuFault.NP, ncs, 0);
        checkOffset(desc, nip);
        if (rpl == cpl) {
            c.skip(popBytes);
            st.gpr[RSP] = c.merged(st.gpr[RSP]);
            loadCs(desc, ncs, cpl, nip);
            return;
        }
        c.skip(popBytes);
        long nsp = c.pop(size);
        int nss = (int) c.pop(size) & 0xffff;
        boolean nullSs = false;
        if ((nss & 0xfffc) == 0) {
            if (!(st.longMode() && desc.longMode() && rpl != 3)) throw CpuFault.gp0();
            nullSs = true;
        } else {
            segs.fetch(nss, stack, false, CpuFault.GP, 0);
            if ((nss & 3) != rpl || stack.dpl() != rpl || !stack.writableData()) throw Segments.fault(CpuFault.GP, nss, 0);
            if (!stack.present()) throw Segments.fault(CpuFault.SS, nss, 0);
        }
        loadCs(desc, ncs, rpl, nip);
        if (nullSs) {
            Segments.makeLongModeNullStack(st.seg[SS], rpl);
            st.seg[SS].selector = nss;
        } else {
            segs.markAccessed(stack);
            stack.loadInto(st.seg[SS], nss);
        }
        long sp = nsp + popBytes;
        st.gpr[RSP] = st.mode64() ? sp : st.seg[SS].db ? sp & 0xffffffffL : (nsp & ~0xffffL) | (sp & 0xffff);
        segs.nullInaccessibleDataSegments();
    }

    /** JMP/CALL to an available TSS or through a task gate: privilege checks, then the switch. */
    private void taskTransfer(int selector, int type, int source, long nextRip) {
        if (desc.dpl() < st.cpl || desc.dpl() < (selector & 3)) throw Segments.fault(CpuFault.GP, selector, 0);
        if (!desc.present()) throw Segments.fault(CpuFault.NP, selector, 0);
        tasks.switchTo(type == 5 ? desc.gateSelector() : selector, source, nextRip, 0);
        if (st.rip > st.seg[CS].limit) throw CpuFault.gp0();
    }

    // ---- helpers ----

    private static boolean isCallGate(int type) { return type == 4 || type == 12; }

    /** Reads the descriptor a far transfer names (16 bytes for a long-mode system descriptor). */
    private void readTarget(int selector) {
        if ((selector & 0xfffc) == 0) throw CpuFault.gp0();
        segs.fetch(selector, desc, false, CpuFault.GP, 0);
        if (!desc.codeOrData() && st.longMode()) {
            if (desc.type() != 12) throw Segments.fault(CpuFault.GP, selector, 0);
            segs.fetch(selector, desc, true, CpuFault.GP, 0);
        }
    }

    private void checkDirectCode(int selector, Descriptor d) {
        int rpl = selector & 3;
        if (d.conforming() ? d.dpl() > st.cpl : rpl > st.cpl || d.dpl() != st.cpl) {
            throw Segments.fault(CpuFault.GP, selector, 0);
        }
        if (!d.present()) throw Segments.fault(CpuFault.NP, selector, 0);
    }

    private void checkGate(int selector) {
        if (desc.dpl() < st.cpl || desc.dpl() < (selector & 3)) throw Segments.fault(CpuFault.GP, selector, 0);
        if (!desc.present()) throw Segments.fault(CpuFault.NP, selector, 0);
    }

    private void fetchGateTarget(int tsel) {
        if ((tsel & 0xfffc) == 0) throw CpuFault.gp0();
        segs.fetch(tsel, target, false, CpuFault.GP, 0);
        if (!target.isCode()) throw Segments.fault(CpuFault.GP, tsel, 0);
        if (st.longMode() && (!target.longMode() || target.db())) throw Segments.fault(CpuFault.GP, tsel, 0);
    }

    private long gateOffset(int type) {
        if (st.longMode()) return desc.gateOffset64();
        return type == 12 ? desc.gateOffset32() : desc.w0 & 0xffff;
    }

    private void checkOffset(Descriptor cd, long offset) {
        if (st.longMode() && cd.longMode()) {
            if (!Segments.canonical(offset)) throw CpuFault.gp0();
        } else if (offset > cd.limit()) {
            throw CpuFault.gp0();
        }
    }

    private void loadCs(Descriptor cd, int selector, int cpl, long offset) {
        segs.markAccessed(cd);
        cd.loadInto(st.seg[CS], (selector & 0xfffc) | cpl);
        st.cpl = cpl;
        st.rip = st.longMode() && cd.longMode() ? offset : offset & 0xffffffffL;
    }
}
