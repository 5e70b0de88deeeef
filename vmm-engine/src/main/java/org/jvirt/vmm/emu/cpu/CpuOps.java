package org.jvirt.vmm.emu.cpu;

import static org.jvirt.vmm.emu.cpu.CpuState.*;

/** Execution of the one-byte opcode map (the 0F maps are in {@link CpuOps0F}). */
abstract class CpuOps extends CpuOps0F {
    CpuOps(CpuState s, PhysicalBus b, CpuProfile p) { super(s, b, p); }

    /** The last segment register: the 80286 has no FS and GS. */
    private int maxSeg() { return profile.is286() ? DS : GS; }

    final void ud64() { if (mode64) throw ud(); }

    final void softInt(int vector) {
        if (st.v86Mode() && iopl() < 3) throw CpuFault.gp0();
        sys.deliver(vector, SystemUnit.SOFTWARE_INTERRUPT, false, 0, in.nextRip);
        eventDelivered = true;
    }

    /** Executes the decoded instruction; st.rip already points at the next one. */
    final void execute() {
        Insn d = in;
        int op = d.op;
        if (op >= 0x100) { execute0F(); return; }
        int os = d.opSize;
        if (op < 0x40 && (op & 7) < 6) { aluOp(op, os); return; }
        switch (op) {
            case 0x06, 0x0e, 0x16, 0x1e -> { ud64(); push(st.seg[op >> 3].selector, stackOpSize()); }
            case 0x07, 0x17, 0x1f -> { ud64(); popSeg(op >> 3); }
            case 0x27, 0x2f, 0x37, 0x3f -> { ud64(); bcd(op); }
            case 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f ->
                    setReg(op & 7, os, incDec(reg(op & 7, os), os, op >= 0x48));
            case 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57 -> {
                int sos = stackOpSize(), i = (op & 7) | ((d.rex & 1) << 3);
                push(reg(i, sos), sos);
            }
            case 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f -> {
                int sos = stackOpSize(), i = (op & 7) | ((d.rex & 1) << 3);
                long v = pop(sos);
                setReg(i, sos, v);
            }
            case 0x60 -> { ud64(); pusha(os); }
            case 0x61 -> { ud64(); popa(os); }
            case 0x62 -> { ud64(); bound(os); }
            case 0x63 -> {
                if (mode64) setReg(d.reg, os, sext(readRm(4), 4) & mask(os));
                else arpl();
            }
            case 0x68 -> { int sos = stackOpSize(); push(sext(d.imm, os == 2 ? 2 : 4) & mask(sos), sos); }
            case 0x6a -> { int sos = stackOpSize(); push(immB(sos), sos); }
            case 0x69 -> setReg(d.reg, os, imul(readRm(os), immZ(os) & mask(os), os));
            case 0x6b -> setReg(d.reg, os, imul(readRm(os), immB(os), os));
            case 0x6c, 0x6d, 0x6e, 0x6f, 0xa4, 0xa5, 0xa6, 0xa7, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf -> string(op);
            case 0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f -> {
                if (cond(op & 15)) jumpRel((byte) d.imm);
            }
            case 0x80, 0x81, 0x82, 0x83 -> {
                if (op == 0x82) ud64();
                int size = op == 0x81 || op == 0x83 ? os : 1;
                long src = op == 0x81 ? immZ(os) & mask(os) : op == 0x83 ? immB(os) : d.imm;
                int aop = d.reg & 7;
                if (aop == 7) alu(7, readRm(size), src, size);
                else { long v = readRmW(size); long res = alu(aop, v, src, size); writeRm(size, res); }
            }
            case 0x84, 0x85 -> { int size = op == 0x84 ? 1 : os; alu(4, readRm(size), reg(d.reg, size), size); }
            case 0x86, 0x87 -> {
                int size = op == 0x86 ? 1 : os;
                long a = readRmW(size), b = reg(d.reg, size);
                writeRm(size, b);
                setReg(d.reg, size, a);
            }
            case 0x88 -> writeRm(1, reg(d.reg, 1));
            case 0x89 -> writeRm(os, reg(d.reg, os));
            case 0x8a -> setReg(d.reg, 1, readRm(1));
            case 0x8b -> setReg(d.reg, os, readRm(os));
            case 0x8c -> {
                int s = d.reg & 7;
                if (s > maxSeg()) throw ud();
                int sel = st.seg[s].selector;
                if (d.mem) writeRm(2, sel); else setReg(d.rm, os == 2 ? 2 : os, sel);
            }
            case 0x8d -> { if (!d.mem) throw ud(); setReg(d.reg, os, offset()); }
            case 0x8e -> {
                int s = d.reg & 7;
                if (s == CS || s > maxSeg()) throw ud();
                sys.loadSegment(s, (int) readRm(2));
                if (s == SS) st.interruptShadow = true;
            }
            case 0x8f -> {
                if ((d.reg & 7) != 0) throw ud();
                int sos = stackOpSize();
                long v = peek(sos, 0);
                setSp(r[RSP] + sos); // the address of [rSP+x] uses the incremented rSP
                writeRm(sos, v);
            }
            case 0x90 -> {
                if ((d.rex & 1) != 0) { long a = reg(8, os); setReg(8, os, reg(RAX, os)); setReg(RAX, os, a); }
            }
            case 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97 -> {
                int i = (op & 7) | ((d.rex & 1) << 3);
                long a = reg(i, os);
                setReg(i, os, reg(RAX, os));
                setReg(RAX, os, a);
            }
            case 0x98 -> setReg(RAX, os, sext(reg(RAX, os / 2), os / 2) & mask(os));
            case 0x99 -> setReg(RDX, os, (reg(RAX, os) & LazyFlags.signBit(os)) != 0 ? -1 : 0);
            case 0x9a -> { ud64(); sys.farCall((int) d.imm2, d.imm, os, d.nextRip); }
            case 0x9b -> { if ((st.cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS)) throw CpuFault.of(CpuFault.NM); }
            case 0x9c -> {
                if (st.v86Mode() && iopl() < 3) throw CpuFault.gp0();
                int sos = stackOpSize();
                push(st.rflags() & ~(VM | RF) & mask(sos), sos);
            }
            case 0x9d -> popf(stackOpSize());
            case 0x9e -> setStatus(((r[RAX] >> 8) & (SF | ZF | AF | PF | CF)) | (st.rflags() & OF));
            case 0x9f -> setReg(RAX, 2, (r[RAX] & 0xff) | ((st.rflags() & 0xd5 | 2) << 8));
            case 0xa0, 0xa1, 0xa2, 0xa3 -> {
                int size = (op & 1) == 0 ? 1 : os;
                int seg = d.segOverride >= 0 ? d.segOverride : DS;
                long off = d.imm & addrMask();
                if (op < 0xa2) setReg(RAX, size, read(seg, off, size));
                else write(seg, off, size, reg(RAX, size));
            }
            case 0xa8 -> alu(4, reg(RAX, 1), d.imm, 1);
            case 0xa9 -> alu(4, reg(RAX, os), immZ(os) & mask(os), os);
            case 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7 -> setReg((op & 7) | ((d.rex & 1) << 3), 1, d.imm);
            case 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf -> setReg((op & 7) | ((d.rex & 1) << 3), os, d.imm);
            case 0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3 -> {
                int size = (op & 1) == 0 ? 1 : os;
                int count = op <= 0xc1 ? (int) d.imm : op <= 0xd1 ? 1 : (int) r[RCX] & 0xff;
                long v = readRmW(size);
                writeRm(size, shift(d.reg & 7, v, count, size));
            }
            case 0xc2, 0xc3 -> {
                int sos = stackOpSize();
                long target = peek(sos, 0);
                jumpNear(target, sos);
                setSp(r[RSP] + sos + (op == 0xc2 ? d.imm : 0));
            }
            case 0xc4, 0xc5 -> { ud64(); loadFarPointer(op == 0xc4 ? ES : DS, os); }
            case 0xc6, 0xc7 -> {
                if ((d.reg & 7) != 0) throw ud();
                int size = op == 0xc6 ? 1 : os;
                writeRm(size, op == 0xc6 ? d.imm : immZ(os) & mask(os));
            }
            case 0xc8 -> enter((int) d.imm, (int) d.imm2 & 31);
            case 0xc9 -> {
                int sos = stackOpSize(), sas = stackAddrSize();
                long bp = reg(RBP, sas);
                long v = read(SS, bp, sos);
                setSp(bp + sos);
                setReg(RBP, sos, v);
            }
            case 0xca, 0xcb -> sys.farReturn(os, op == 0xca ? (int) d.imm : 0);
            case 0xcc -> softInt(3);
            case 0xcd -> softInt((int) d.imm);
            case 0xce -> { ud64(); if (flag(OF)) softInt(4); }
            case 0xcf -> { sys.interruptReturn(os); nmiBlocked = false; }
            case 0xd4 -> {
                ud64();
                if (d.imm == 0) throw CpuFault.of(CpuFault.DE);
                int al = (int) r[RAX] & 0xff;
                int v = ((al / (int) d.imm) << 8) | (al % (int) d.imm);
                setReg(RAX, 2, v);
                setStatus(LazyFlags.szp(v & 0xff, 1));
            }
            case 0xd5 -> {
                ud64();
                int al = (int) r[RAX] & 0xff, ah = (int) (r[RAX] >> 8) & 0xff;
                long res = alu(0, al, (ah * d.imm) & 0xff, 1); // flags as the ADD the hardware does
                setReg(RAX, 2, res);
            }
            case 0xd6 -> { ud64(); setReg(RAX, 1, flag(CF) ? 0xff : 0); }
            case 0xd7 -> {
                int seg = d.segOverride >= 0 ? d.segOverride : DS;
                setReg(RAX, 1, read(seg, (r[RBX] + (r[RAX] & 0xff)) & addrMask(), 1));
            }
            case 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf -> x87(op);
            case 0xe0, 0xe1, 0xe2 -> {
                int as = d.addrSize;
                long c = (reg(RCX, as) - 1) & mask(as);
                boolean take = c != 0 && (op == 0xe2 || (op == 0xe1) == flag(ZF));
                if (take) jumpRel((byte) d.imm);
                setReg(RCX, as, c);
            }
            case 0xe3 -> { if (reg(RCX, d.addrSize) == 0) jumpRel((byte) d.imm); }
            case 0xe4, 0xe5, 0xec, 0xed -> {
                int size = (op & 1) == 0 ? 1 : os == 2 ? 2 : 4;
                int port = op < 0xe8 ? (int) d.imm : (int) r[RDX] & 0xffff;
                ioCheck(port, size);
                setReg(RAX, size, bus.in(port, size) & mask(size));
            }
            case 0xe6, 0xe7, 0xee, 0xef -> {
                int size = (op & 1) == 0 ? 1 : os == 2 ? 2 : 4;
                int port = op < 0xe8 ? (int) d.imm : (int) r[RDX] & 0xffff;
                ioCheck(port, size);
                bus.out(port, size, (int) reg(RAX, size));
            }
            case 0xe8 -> {
                int sos = stackOpSize();
                long target = (d.nextRip + rel()) & mask(sos);
                checkTarget(target);
                push(d.nextRip & mask(sos), sos);
                st.rip = target;
            }
            case 0xe9 -> jumpRel(rel());
            case 0xea -> { ud64(); sys.farJump((int) d.imm2, d.imm, os, d.nextRip); }
            case 0xeb -> jumpRel((byte) d.imm);
            case 0xf1 -> { sys.deliver(CpuFault.DB, SystemUnit.EXCEPTION, false, 0, d.nextRip); eventDelivered = true; }
            case 0xf4 -> { if (st.cpl != 0) throw CpuFault.gp0(); st.halted = true; }
            case 0xf5 -> setFlag(CF, !flag(CF));
            case 0xf6, 0xf7 -> group3(op == 0xf6 ? 1 : os);
            case 0xf8 -> setFlag(CF, false);
            case 0xf9 -> setFlag(CF, true);
            case 0xfa, 0xfb -> {
                // virtual-8086 code runs at CPL 3, so IOPL 3 lets it change IF
                if (st.protectedMode() && (st.v86Mode() ? iopl() < 3 : st.cpl > iopl())) throw CpuFault.gp0();
                if (op == 0xfb && (st.controlFlags() & IF) == 0) st.interruptShadow = true;
                setFlag(IF, op == 0xfb);
            }
            case 0xfc -> setFlag(DF, false);
            case 0xfd -> setFlag(DF, true);
            case 0xfe -> {
                if ((d.reg & 7) > 1) throw ud();
                long v = readRmW(1);
                writeRm(1, incDec(v, 1, (d.reg & 7) == 1));
            }
            case 0xff -> group5(os);
            default -> throw ud();
        }
    }

    private void aluOp(int op, int os) {
        Insn d = in;
        int aop = (op >> 3) & 7;
        switch (op & 7) {
            case 0, 1 -> {
                int size = (op & 1) == 0 ? 1 : os;
                if (aop == 7) { alu(7, readRm(size), reg(d.reg, size), size); return; }
                long v = readRmW(size);
                writeRm(size, alu(aop, v, reg(d.reg, size), size));
            }
            case 2, 3 -> {
                int size = (op & 1) == 0 ? 1 : os;
                long res = alu(aop, reg(d.reg, size), readRm(size), size);
                if (aop != 7) setReg(d.reg, size, res);
            }
            case 4 -> {
                long res = alu(aop, reg(RAX, 1), d.imm, 1);
                if (aop != 7) setReg(RAX, 1, res);
            }
            default -> {
                long res = alu(aop, reg(RAX, os), immZ(os) & mask(os), os);
                if (aop != 7) setReg(RAX, os, res);
            }
        }
    }

    private void group3(int size) {
        Insn d = in;
        switch (d.reg & 7) {
            case 0, 1 -> alu(4, readRm(size), size == 8 ? (long) (int) d.imm : d.imm, size);
            case 2 -> { long v = readRmW(size); writeRm(size, ~v & mask(size)); }
            case 3 -> { long v = readRmW(size); writeRm(size, alu(5, 0, v, size)); }
            case 4 -> mulAcc(readRm(size), size, false);
            case 5 -> mulAcc(readRm(size), size, true);
            case 6 -> divAcc(readRm(size), size, false);
            default -> divAcc(readRm(size), size, true);
        }
    }

    private void group5(int os) {
        Insn d = in;
        switch (d.reg & 7) {
            case 0, 1 -> { long v = readRmW(os); writeRm(os, incDec(v, os, (d.reg & 7) == 1)); }
            case 2 -> {
                int sos = stackOpSize();
                long target = readRm(sos);
                checkTarget(target & mask(sos));
                push(d.nextRip & mask(sos), sos);
                st.rip = target & mask(sos);
            }
            case 3, 5 -> {
                if (!d.mem) throw ud();
                long off = read(d.seg(), offset(), os);
                int sel = (int) read(d.seg(), (offset() + os) & addrMask(), 2);
                if ((d.reg & 7) == 3) sys.farCall(sel, off, os, d.nextRip);
                else sys.farJump(sel, off, os, d.nextRip);
            }
            case 4 -> { int sos = stackOpSize(); jumpNear(readRm(sos), sos); }
            case 6 -> { int sos = stackOpSize(); push(readRm(sos), sos); }
            default -> throw ud();
        }
    }

    private void pusha(int os) {
        long am = mask(stackAddrSize());
        long sp = r[RSP] & am;
        // the stored eSP is the register before PUSHA at operand size, not the stack-address-size SP
        for (int i = 0; i < 8; i++) {
            sp = (sp - os) & am;
            write(SS, sp, os, reg(i, os));
        }
        setSp(sp);
    }

    private void popa(int os) {
        long am = mask(stackAddrSize());
        long sp = r[RSP] & am;
        long di = read(SS, sp, os), si = read(SS, (sp + os) & am, os), bp = read(SS, (sp + 2 * os) & am, os);
        long bx = read(SS, (sp + 4 * os) & am, os), dx = read(SS, (sp + 5 * os) & am, os);
        long cx = read(SS, (sp + 6 * os) & am, os), ax = read(SS, (sp + 7 * os) & am, os);
        setReg(RDI, os, di); setReg(RSI, os, si); setReg(RBP, os, bp); setReg(RBX, os, bx);
        setReg(RDX, os, dx); setReg(RCX, os, cx); setReg(RAX, os, ax);
        setSp(sp + 8 * os);
    }

    private void bound(int os) {
        Insn d = in;
        if (!d.mem) throw ud();
        long idx = sext(reg(d.reg, os), os);
        long lo = sext(read(d.seg(), offset(), os), os);
        long hi = sext(read(d.seg(), (offset() + os) & addrMask(), os), os);
        if (idx < lo || idx > hi) throw CpuFault.of(CpuFault.BR);
    }

    private void arpl() {
        if (!st.protectedMode() || st.v86Mode()) throw ud();
        // a plain read: ARPL writes (and so needs a writable operand) only when it changes the RPL
        long dst = readRm(2), src = reg(in.reg, 2);
        if ((dst & 3) < (src & 3)) {
            writeRm(2, (dst & ~3L) | (src & 3));
            setFlag(ZF, true);
        } else {
            setFlag(ZF, false);
        }
    }

    private void enter(int size, int level) {
        int sos = stackOpSize(), sas = stackAddrSize();
        long am = mask(sas);
        long sp = r[RSP] & am, bp = reg(RBP, sas);
        sp = (sp - sos) & am;
        write(SS, sp, sos, reg(RBP, sos));
        // FrameTemp is eSP after the push: on a 16-bit stack ESP keeps its upper half
        long frame = (r[RSP] & ~am) | sp;
        if (level > 0) {
            for (int i = 1; i < level; i++) {
                bp = (bp - sos) & am;
                long v = read(SS, bp, sos);
                sp = (sp - sos) & am;
                write(SS, sp, sos, v);
            }
            sp = (sp - sos) & am;
            write(SS, sp, sos, frame & mask(sos));
        }
        sp = (sp - size) & am;
        // like hardware, ENTER ends with a write check of the new stack top (faults there are #SS/#PF)
        readForWrite(SS, sp, sos);
        setReg(RBP, sos, frame);
        setSp(sp);
    }

    private void popf(int size) {
        int iopl = iopl();
        if (st.v86Mode() && iopl < 3) throw CpuFault.gp0();
        long v = peek(size, 0);
        long old = st.rflags();
        long changeable = AC | ID | NT | IOPL | DF | IF | TF | STATUS_FLAGS;
        if (st.protectedMode()) {
            if (st.cpl > 0) changeable &= ~IOPL;
            if (st.cpl > iopl) changeable &= ~IF;
        } else if (profile.is286()) {
            changeable &= ~(IOPL | NT);
        }
        if (size == 2) changeable &= 0xffff;
        st.setRflags(((old & ~changeable) | (v & changeable)) & ~RF);
        setSp(r[RSP] + size);
    }

    private void string(int op) {
        Insn d = in;
        int size = (op & 1) == 0 ? 1 : d.opSize == 8 && op >= 0x6c && op <= 0x6f ? 4 : d.opSize;
        int as = d.addrSize;
        int srcSeg = d.segOverride >= 0 ? d.segOverride : DS;
        long step = (st.controlFlags() & DF) != 0 ? -size : size;
        boolean rep = d.rep != 0;
        int kind = op & 0xfe;
        int port = (int) r[RDX] & 0xffff;
        if (kind == 0x6c || kind == 0x6e) ioCheck(port, size);
        int budget = 4096;
        boolean early = profile.is286();
        for (;;) {
            if (rep && reg(RCX, as) == 0) break;
            long si = reg(RSI, as), di = reg(RDI, as);
            boolean usesSi = kind != 0xaa && kind != 0xae && kind != 0x6c, usesDi = kind != 0xac && kind != 0x6e;
            if (early) {
                string286(kind, size, as, srcSeg, si, di, step, port, rep);
            } else {
                switch (kind) {
                    case 0xa4 -> { long v = read(srcSeg, si, size); write(ES, di, size, v); }
                    case 0xa6 -> { long a = read(srcSeg, si, size), b = read(ES, di, size); alu(7, a, b, size); }
                    case 0xaa -> write(ES, di, size, reg(RAX, size));
                    case 0xac -> setReg(RAX, size, read(srcSeg, si, size));
                    case 0xae -> alu(7, reg(RAX, size), read(ES, di, size), size);
                    case 0x6c -> { linear(ES, di, size, true); write(ES, di, size, bus.in(port, size) & mask(size)); }
                    default -> { long v = read(srcSeg, si, size); bus.out(port, size, (int) v); } // 0x6e
                }
                if (usesSi) setReg(RSI, as, si + step);
                if (usesDi) setReg(RDI, as, di + step);
            }
            if (!rep) break;
            long c = (reg(RCX, as) - 1) & mask(as);
            setReg(RCX, as, c);
            if ((kind == 0xa6 || kind == 0xae) && (d.rep == 0xf3) != flag(ZF)) break;
            if (c == 0) break;
            if (--budget == 0) { st.rip = d.startRip; break; } // continue later: interrupts get a look-in
        }
    }

    /**
     * One string element as the 80286 does it (the vectors show it): each pointer advances as
     * soon as its access is attempted, so a segment fault leaves it advanced; CMPS accesses
     * ES:DI before DS:SI; under REP a fault leaves CX decremented by an amount that depends on
     * the access: MOVS 1 (read) or 2 (write), CMPS 0 (ES:DI) or 1 (DS:SI), STOS and INS 2,
     * LODS, OUTS and SCAS 1.
     */
    private void string286(int kind, int size, int as, int srcSeg, long si, long di, long step, int port, boolean rep) {
        int phase = 1;
        try {
            switch (kind) {
                case 0xa4 -> {
                    long v;
                    try { v = read(srcSeg, si, size); } finally { setReg(RSI, as, si + step); }
                    phase = 2;
                    try { write(ES, di, size, v); } finally { setReg(RDI, as, di + step); }
                }
                case 0xa6 -> {
                    phase = 0;
                    long b;
                    try { b = read(ES, di, size); } finally { setReg(RDI, as, di + step); }
                    phase = 1;
                    long a;
                    try { a = read(srcSeg, si, size); } finally { setReg(RSI, as, si + step); }
                    alu(7, a, b, size);
                }
                case 0xac -> {
                    try { setReg(RAX, size, read(srcSeg, si, size)); } finally { setReg(RSI, as, si + step); }
                }
                case 0x6e -> {
                    long v;
                    try { v = read(srcSeg, si, size); } finally { setReg(RSI, as, si + step); }
                    bus.out(port, size, (int) v);
                }
                default -> { // STOS, SCAS, INS
                    phase = kind == 0xae ? 1 : 2;
                    try {
                        if (kind == 0xaa) write(ES, di, size, reg(RAX, size));
                        else if (kind == 0xae) alu(7, reg(RAX, size), read(ES, di, size), size);
                        else { linear(ES, di, size, true); write(ES, di, size, bus.in(port, size) & mask(size)); }
                    } finally {
                        setReg(RDI, as, di + step);
                    }
                }
            }
        } catch (CpuFault f) {
            if (rep) setReg(RCX, as, reg(RCX, as) - phase);
            throw f;
        }
    }

    private void x87(int op) {
        Insn d = in;
        if ((st.cr0 & (CR0_EM | CR0_TS)) != 0) throw CpuFault.of(CpuFault.NM);
        if (ext == null) throw ud();
        ext.x87(op, d.modrm, d.mem ? linear(d.seg(), offset(), 1, false) : -1, linearView, user, d.opSize == 2);
    }
}
