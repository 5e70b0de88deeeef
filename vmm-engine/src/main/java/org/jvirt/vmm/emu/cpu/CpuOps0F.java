package org.jvirt.vmm.emu.cpu;

import static org.jvirt.vmm.emu.cpu.CpuState.*;

import org.jvirt.vmm.emu.cpu.SystemUnit.SystemOp;

/** Execution of the 0F, 0F 38 and 0F 3A maps, and the helpers the one-byte map shares. */
abstract class CpuOps0F extends CpuAlu {
    private final int[] cpuidOut = new int[4];

    CpuOps0F(CpuState s, PhysicalBus b, CpuProfile p) { super(s, b, p); }

    static CpuFault ud() { return CpuFault.of(CpuFault.UD); }

    final int iopl() { return (int) (st.controlFlags() >> 12) & 3; }

    final long immZ(int os) { return os == 8 ? (long) (int) in.imm : in.imm; }

    /** A relative displacement (rel16 or rel32), sign-extended. */
    final long rel() { return in.opSize == 2 ? (short) in.imm : (int) in.imm; }

    final long immB(int os) { return ((byte) in.imm) & mask(os); }

    final void ioCheck(int port, int size) {
        if (st.protectedMode() && (st.v86Mode() || st.cpl > iopl())) sys.checkIoPermission(port, size);
    }

    final void checkTarget(long target) {
        if (mode64) {
            if (!canonical(target)) throw CpuFault.gp0();
        } else if (target > st.seg[CS].limit) {
            throw CpuFault.gp0();
        }
    }

    final void jumpNear(long target, int size) {
        target &= mask(size);
        checkTarget(target);
        st.rip = target;
    }

    final void jumpRel(long rel) { jumpNear(in.nextRip + rel, stackOpSize()); }

    final void popSeg(int s) {
        int sos = stackOpSize();
        long v = peek(sos, 0);
        int sas = stackAddrSize(); // POP SS steps eSP by the old SS's address size
        sys.loadSegment(s, (int) v & 0xffff);
        setReg(RSP, sas, r[RSP] + sos);
        if (s == SS) st.interruptShadow = true;
    }

    final void loadFarPointer(int s, int os) {
        Insn d = in;
        if (!d.mem) throw ud();
        long off = read(d.seg(), offset(), os);
        int sel = (int) read(d.seg(), (offset() + os) & addrMask(), 2);
        sys.loadSegment(s, sel);
        setReg(d.reg, os, off);
    }

    final void requireCpl0() { if (st.cpl != 0) throw CpuFault.gp0(); }

    private void protectedOnly() { if (!st.protectedMode() || st.v86Mode()) throw ud(); }

    final void execute0F() {
        Insn d = in;
        int op = d.op, b = op & 0xff, os = d.opSize;
        if (profile.is286() && !(op >= 0x100 && op <= 0x103 || op == 0x106)) throw ud();
        if (op >= 0x200) { sse(op >> 8, b); return; }
        switch (b) {
            case 0x00 -> group6(os);
            case 0x01 -> group7(os);
            case 0x02, 0x03 -> {
                protectedOnly();
                long v = sys.systemInstruction(b == 2 ? SystemOp.LAR : SystemOp.LSL, readRm(2), os);
                if (flag(ZF)) setReg(d.reg, os, v);
            }
            case 0x05 -> sys.fastSystemCall(SystemOp.SYSCALL, os, d.nextRip);
            case 0x06 -> { requireCpl0(); sys.systemInstruction(SystemOp.CLTS, 0, os); }
            case 0x07 -> sys.fastSystemCall(SystemOp.SYSRET, (d.rex & 8) != 0 ? 8 : 4, d.nextRip);
            case 0x08, 0x09 -> requireCpl0();
            case 0x0d, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f -> { } // prefetch, hint NOPs
            case 0x20, 0x21, 0x22, 0x23 -> movControl(b);
            case 0x30 -> { requireCpl0(); sys.writeMsr((int) r[RCX], (r[RDX] << 32) | (r[RAX] & 0xffffffffL)); }
            case 0x31 -> {
                if ((st.cr4 & CR4_TSD) != 0 && st.cpl != 0 && st.protectedMode()) throw CpuFault.gp0();
                setEdxEax(sys.timeStampCounter());
            }
            case 0x32 -> { requireCpl0(); setEdxEax(sys.readMsr((int) r[RCX])); }
            case 0x34 -> sys.fastSystemCall(SystemOp.SYSENTER, os, d.nextRip);
            case 0x35 -> sys.fastSystemCall(SystemOp.SYSEXIT, (d.rex & 8) != 0 ? 8 : 4, d.nextRip);
            case 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f -> {
                long v = readRm(os);
                setReg(d.reg, os, cond(b & 15) ? v : reg(d.reg, os));
            }
            case 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f -> {
                if (cond(b & 15)) jumpRel(rel());
            }
            case 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f ->
                    writeRm(1, cond(b & 15) ? 1 : 0);
            case 0xa0, 0xa8 -> push(st.seg[b == 0xa0 ? FS : GS].selector, stackOpSize());
            case 0xa1, 0xa9 -> popSeg(b == 0xa1 ? FS : GS);
            case 0xa2 -> {
                sys.cpuid((int) r[RAX], (int) r[RCX], cpuidOut);
                r[RAX] = cpuidOut[0] & 0xffffffffL;
                r[RBX] = cpuidOut[1] & 0xffffffffL;
                r[RCX] = cpuidOut[2] & 0xffffffffL;
                r[RDX] = cpuidOut[3] & 0xffffffffL;
            }
            case 0xa3, 0xab, 0xb3, 0xbb -> bitTest((b >> 3) & 3, sext(reg(d.reg, os), os), true, os);
            case 0xba -> {
                if ((d.reg & 7) < 4) throw ud();
                bitTest(d.reg & 3, d.imm, false, os);
            }
            case 0xa4, 0xa5, 0xac, 0xad -> {
                int count = (b & 1) == 0 ? (int) d.imm : (int) r[RCX] & 0xff;
                long v = readRmW(os);
                writeRm(os, shiftDouble(b < 0xa8, v, reg(d.reg, os), count, os));
            }
            case 0xae -> group15();
            case 0xaf -> setReg(d.reg, os, imul(reg(d.reg, os), readRm(os), os));
            case 0xb0, 0xb1 -> {
                int size = b == 0xb0 ? 1 : os;
                long dst = readRmW(size), acc = reg(RAX, size);
                alu(7, acc, dst, size);
                // a failed compare stores nothing: the CPU's write-back of the old value would, in
                // an emulator, undo another vCPU's plain store (a spinlock's unlock) made meanwhile;
                // readRmW already took the write-access checks and faults
                if (acc == dst) writeRm(size, reg(d.reg, size));
                else setReg(RAX, size, dst);
            }
            case 0xb2, 0xb4, 0xb5 -> loadFarPointer(b == 0xb2 ? SS : b == 0xb4 ? FS : GS, os);
            case 0xb6, 0xb7 -> setReg(d.reg, os, readRm(b == 0xb6 ? 1 : 2));
            case 0xbe, 0xbf -> { int s = b == 0xbe ? 1 : 2; setReg(d.reg, os, sext(readRm(s), s) & mask(os)); }
            case 0xb8 -> {
                if (d.rep != 0xf3) throw ud();
                long v = readRm(os);
                setReg(d.reg, os, Long.bitCount(v));
                setStatus(v == 0 ? ZF : 0);
            }
            case 0xbc, 0xbd -> bitScan(b == 0xbd, os);
            case 0xc0, 0xc1 -> {
                int size = b == 0xc0 ? 1 : os;
                long dst = readRmW(size), src = reg(d.reg, size);
                long sum = alu(0, dst, src, size);
                setReg(d.reg, size, dst);
                writeRm(size, sum);
            }
            case 0xc3 -> { if (!d.mem) throw ud(); writeRm(os == 8 ? 8 : 4, reg(d.reg, os == 8 ? 8 : 4)); }
            case 0xc7 -> group9(os);
            case 0xc8, 0xc9, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf -> {
                int i = (b & 7) | ((d.rex & 1) << 3);
                if (os == 8) r[i] = Long.reverseBytes(r[i]);
                else if (os == 4) setReg(i, 4, Integer.reverseBytes((int) r[i]) & 0xffffffffL);
                else setReg(i, 2, 0); // BSWAP r16 is undefined; zero as most CPUs do
            }
            case 0x0e, 0x77 -> sse(1, b);
            default -> {
                if (b >= 0x10 && b <= 0x17 || b >= 0x28 && b <= 0x2f || b >= 0x50 && b <= 0x7f || b == 0xc2
                        || b >= 0xc4 && b <= 0xc6 || b >= 0xd0 && b != 0xff) {
                    sse(1, b);
                } else {
                    throw ud();
                }
            }
        }
    }

    private void setEdxEax(long v) {
        r[RAX] = v & 0xffffffffL;
        r[RDX] = v >>> 32;
    }

    private void movControl(int b) {
        Insn d = in;
        requireCpl0();
        int size = mode64 ? 8 : 4;
        int n = d.reg;
        if (b == 0x20 || b == 0x22) {
            if (n != 0 && n != 2 && n != 3 && n != 4 && n != 8) throw ud();
            if (b == 0x20) setReg(d.rm, size, sys.readControlRegister(n) & mask(size));
            else sys.writeControlRegister(n, reg(d.rm, size));
        } else {
            if (n > 7) throw ud();
            if (b == 0x21) setReg(d.rm, size, sys.readDebugRegister(n) & mask(size));
            else sys.writeDebugRegister(n, reg(d.rm, size));
        }
    }

    /** BT (0) BTS (1) BTR (2) BTC (3); a register bit offset reaches beyond a memory operand. */
    private void bitTest(int kind, long bitOff, boolean regOffset, int os) {
        Insn d = in;
        int bits = os * 8;
        long off = 0;
        if (d.mem && regOffset) {
            long word = bitOff >> Integer.numberOfTrailingZeros(bits);
            off = word * os;
        }
        int bit = (int) (bitOff & (bits - 1));
        long v;
        int seg = d.seg();
        long addr = d.mem ? (offset() + off) & addrMask() : 0;
        if (d.mem) v = kind == 0 ? read(seg, addr, os) : readForWrite(seg, addr, os);
        else v = reg(d.rm, os);
        boolean old = ((v >>> bit) & 1) != 0;
        if (kind != 0) {
            long nv = switch (kind) { case 1 -> v | (1L << bit); case 2 -> v & ~(1L << bit); default -> v ^ (1L << bit); };
            if (d.mem) write(seg, addr, os, nv); else setReg(d.rm, os, nv);
        }
        setFlag(CF, old);
    }

    private void bitScan(boolean reverse, int os) {
        Insn d = in;
        long v = readRm(os);
        int bits = os * 8;
        if (d.rep == 0xf3 && !profile.is286()) { // TZCNT / LZCNT
            int n = v == 0 ? bits : reverse ? Long.numberOfLeadingZeros(v) - (64 - bits) : Long.numberOfTrailingZeros(v);
            setReg(d.reg, os, n);
            long f = st.rflags() & ~(CF | ZF);
            st.setRflags(f | (v == 0 ? CF : 0) | (n == 0 ? ZF : 0));
            return;
        }
        if (v == 0) {
            setFlag(ZF, true);
            return;
        }
        setReg(d.reg, os, reverse ? 63 - Long.numberOfLeadingZeros(v) : Long.numberOfTrailingZeros(v));
        setStatus(0);
    }

    private void group6(int os) {
        Insn d = in;
        protectedOnly();
        switch (d.reg & 7) {
            case 0 -> writeRm(d.mem ? 2 : os, sys.systemInstruction(SystemOp.SLDT, 0, os));
            case 1 -> writeRm(d.mem ? 2 : os, sys.systemInstruction(SystemOp.STR, 0, os));
            case 2 -> { requireCpl0(); sys.systemInstruction(SystemOp.LLDT, readRm(2), os); }
            case 3 -> { requireCpl0(); sys.systemInstruction(SystemOp.LTR, readRm(2), os); }
            case 4 -> sys.systemInstruction(SystemOp.VERR, readRm(2), os);
            case 5 -> sys.systemInstruction(SystemOp.VERW, readRm(2), os);
            default -> throw ud();
        }
    }

    private void group7(int os) {
        Insn d = in;
        int reg = d.reg & 7;
        if (!d.mem) {
            switch (d.modrm) {
                case 0xf8 -> { if (!mode64) throw ud(); requireCpl0(); sys.systemInstruction(SystemOp.SWAPGS, 0, os); }
                case 0xf9 -> setEdxEax(sys.systemInstruction(SystemOp.RDTSCP, 0, os));
                case 0xd0 -> {
                    if ((st.cr4 & CR4_OSXSAVE) == 0) throw ud();
                    if ((int) r[RCX] != 0) throw CpuFault.gp0();
                    setEdxEax(st.xcr0);
                }
                case 0xd1 -> {
                    if ((st.cr4 & CR4_OSXSAVE) == 0) throw ud();
                    requireCpl0();
                    long v = (r[RDX] << 32) | (r[RAX] & 0xffffffffL);
                    if ((int) r[RCX] != 0 || (v & 1) == 0 || (v & ~7L) != 0 || (v & 6) == 4) throw CpuFault.gp0();
                    st.xcr0 = v;
                }
                case 0xca, 0xcb -> { requireCpl0(); setFlag(AC, d.modrm == 0xcb); }
                default -> {
                    if (reg == 4) setReg(d.rm, os, sys.systemInstruction(SystemOp.SMSW, 0, os) & mask(os));
                    else if (reg == 6) { requireCpl0(); sys.systemInstruction(SystemOp.LMSW, reg(d.rm, 2), os); }
                    else throw ud();
                }
            }
            return;
        }
        int tableSize = mode64 ? 10 : 6;
        switch (reg) {
            case 0 -> sys.systemInstruction(SystemOp.SGDT, linear(d.seg(), offset(), tableSize, true), os);
            case 1 -> sys.systemInstruction(SystemOp.SIDT, linear(d.seg(), offset(), tableSize, true), os);
            case 2 -> { requireCpl0(); sys.systemInstruction(SystemOp.LGDT, linear(d.seg(), offset(), tableSize, false), os); }
            case 3 -> { requireCpl0(); sys.systemInstruction(SystemOp.LIDT, linear(d.seg(), offset(), tableSize, false), os); }
            case 4 -> writeRm(2, sys.systemInstruction(SystemOp.SMSW, 0, os));
            case 6 -> { requireCpl0(); sys.systemInstruction(SystemOp.LMSW, readRm(2), os); }
            case 7 -> { requireCpl0(); sys.systemInstruction(SystemOp.INVLPG, linear(d.seg(), offset(), 1, false), os); }
            default -> throw ud();
        }
    }

    private void group9(int os) {
        Insn d = in;
        if ((d.reg & 7) != 1 || !d.mem) throw ud();
        int seg = d.seg();
        long off = offset();
        if (os == 8) { // CMPXCHG16B
            long la = linear(seg, off, 16, true);
            if ((la & 15) != 0) throw CpuFault.gp0();
            long lo = readLin(la, 8, AddressTranslator.ACCESS_WRITE, user), hi = readLin(la + 8, 8, AddressTranslator.ACCESS_WRITE, user);
            if (lo == r[RAX] && hi == r[RDX]) {
                writeLin(la, 8, r[RBX], user);
                writeLin(la + 8, 8, r[RCX], user);
                setFlag(ZF, true);
            } else { // no write-back of the old value (see CMPXCHG)
                r[RAX] = lo;
                r[RDX] = hi;
                setFlag(ZF, false);
            }
            return;
        }
        long v = readForWrite(seg, off, 8);
        long expect = (r[RDX] << 32) | (r[RAX] & 0xffffffffL);
        if (v == expect) {
            write(seg, off, 8, (r[RCX] << 32) | (r[RBX] & 0xffffffffL));
            setFlag(ZF, true);
        } else { // no write-back of the old value (see CMPXCHG)
            setReg(RAX, 4, v);
            setReg(RDX, 4, v >>> 32);
            setFlag(ZF, false);
        }
    }

    private void group15() {
        Insn d = in;
        int reg = d.reg & 7;
        if (d.mem && reg == 7 && d.ssePrefix != ExtensionUnit.PREFIX_F3 && d.ssePrefix != ExtensionUnit.PREFIX_F2) {
            linear(d.seg(), offset(), 1, false); // CLFLUSH/CLFLUSHOPT: nothing to flush
            return;
        }
        if (!d.mem && d.rep == 0xf3 && reg < 4) { // RDFSBASE RDGSBASE WRFSBASE WRGSBASE
            if (!mode64 || (st.cr4 & CR4_FSGSBASE) == 0) throw ud();
            int size = d.opSize == 8 ? 8 : 4;
            SegmentRegister s = st.seg[(reg & 1) == 0 ? FS : GS];
            if (reg < 2) setReg(d.rm, size, s.base & mask(size));
            else {
                long v = reg(d.rm, size);
                if (!canonical(v)) throw CpuFault.gp0();
                s.base = v;
            }
            return;
        }
        sse(1, 0xae);
    }

    final void sse(int map, int opcode) {
        Insn d = in;
        if ((st.cr0 & CR0_EM) != 0 && !(map == 1 && opcode == 0xae)) throw ud();
        if ((st.cr0 & CR0_TS) != 0) throw CpuFault.of(CpuFault.NM);
        if (ext == null) throw ud();
        boolean hasImm = map == 3 || map == 1 && (opcode >= 0x70 && opcode <= 0x73 || opcode == 0xc2 || opcode >= 0xc4 && opcode <= 0xc6);
        long la = d.mem ? linear(d.seg(), offset(), 1, false) : -1;
        int modrm = d.hasModrm ? d.modrm : 0;
        if (!ext.sse(map, opcode, d.ssePrefix, modrm, d.reg, d.rm, la, linearView, user, (d.rex & 8) != 0, hasImm ? (int) d.imm : 0)) {
            throw ud();
        }
    }
}
