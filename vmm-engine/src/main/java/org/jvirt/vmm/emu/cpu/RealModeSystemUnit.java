package org.jvirt.vmm.emu.cpu;

import static org.jvirt.vmm.emu.cpu.CpuState.*;

/**
 * The system side for real mode only: segment loads are selector * 16, interrupts and
 * exceptions go through the interrupt vector table (FLAGS, CS, IP pushed; IF and TF cleared;
 * no error codes), far transfers load CS the same way, and the system instructions work on
 * the plain registers. Entering protected mode works (LMSW/MOV CR0 set PE) but protected-mode
 * segment loads and delivery are the full system unit's; here they raise #GP.
 * Used by the 80286 test runner and as the real-mode path of the emulator.
 */
public final class RealModeSystemUnit implements SystemUnit {
    private final CpuState st;
    private final LinearMemory mem;
    private final CpuProfile profile;

    public RealModeSystemUnit(CpuState state, LinearMemory mem, CpuProfile profile) {
        this.st = state;
        this.mem = mem;
        this.profile = profile;
    }

    private void requireReal() { if (st.protectedMode()) throw CpuFault.gp0(); }

    // ---- 16-bit stack frames: every address is checked before anything is written ----

    private long stackAddress(long off, int size) {
        SegmentRegister ss = st.seg[SS];
        if (off + size - 1 > ss.limit) throw profile.is286() ? CpuFault.gp0() : CpuFault.withError(CpuFault.SS, 0);
        return (ss.base + off) & 0xffffffffL;
    }

    private long spMask() { return st.seg[SS].db ? 0xffffffffL : 0xffff; }

    private void setSp(long v) {
        long m = spMask();
        st.gpr[RSP] = (st.gpr[RSP] & ~m) | (v & m);
    }

    /** Pushes n (2 or 3) values in order, each size bytes, checking every slot before writing any. */
    private void push(int size, int n, long v0, long v1, long v2) {
        long m = spMask();
        long sp = st.gpr[RSP] & m;
        long s0 = (sp - size) & m, s1 = (sp - 2L * size) & m, s2 = (sp - 3L * size) & m;
        long a0 = stackAddress(s0, size), a1 = stackAddress(s1, size), a2 = n == 3 ? stackAddress(s2, size) : 0;
        write(a0, v0, size);
        write(a1, v1, size);
        if (n == 3) write(a2, v2, size);
        setSp(n == 3 ? s2 : s1);
    }

    private void write(long la, long v, int size) {
        if (size == 2) mem.write16(la, (int) v & 0xffff, false);
        else mem.write32(la, (int) v, false);
    }

    private long readStack(long spOff, int size) {
        long off = (st.gpr[RSP] + spOff) & spMask();
        long la = stackAddress(off, size);
        return size == 2 ? mem.read16(la, false) & 0xffffL : mem.read32(la, false) & 0xffffffffL;
    }

    private void loadCs(int sel, long ip, int size) {
        SegmentRegister cs = st.seg[CS];
        long target = ip & (size == 2 ? 0xffff : 0xffffffffL);
        if (target > cs.limit) throw CpuFault.gp0();
        cs.loadReal(sel);
        st.rip = target;
    }

    /** The flags an IRET or POPF may load in real mode. */
    private long flagsFrom(long v, int size) {
        long changeable = AC | ID | NT | IOPL | DF | IF | TF | STATUS_FLAGS;
        if (profile.is286()) changeable &= ~(IOPL | NT);
        if (size == 2) changeable &= 0xffff;
        return (st.rflags() & ~changeable) | (v & changeable);
    }

    // ---- SystemUnit ----

    @Override
    public void loadSegment(int segIndex, int selector) {
        requireReal();
        st.seg[segIndex].loadReal(selector);
    }

    @Override
    public void deliver(int vector, int kind, boolean hasError, int errorCode, long returnRip) {
        requireReal();
        long entry = (long) vector * 4;
        if (entry + 3 > st.idtLimit) throw CpuFault.gp0();
        long flags = st.rflags();
        long ivt = st.idtBase + entry;
        int ip = mem.read16(ivt, false), cs = mem.read16(ivt + 2, false);
        push(2, 3, flags & 0xffff, st.seg[CS].selector, returnRip & 0xffff);
        st.setRflags(flags & ~(IF | TF | AC | RF));
        st.seg[CS].loadReal(cs);
        st.rip = ip & 0xffff;
        st.halted = false;
    }

    @Override
    public void interruptReturn(int operandSize) {
        requireReal();
        int size = operandSize == 2 ? 2 : 4;
        long ip = readStack(0, size), cs = readStack(size, size), flags = readStack(2L * size, size);
        loadCs((int) cs & 0xffff, ip, size);
        st.setRflags(flagsFrom(flags, size));
        setSp(st.gpr[RSP] + 3L * size);
    }

    @Override
    public void farJump(int selector, long offset, int operandSize, long nextRip) {
        requireReal();
        loadCs(selector, offset, operandSize);
    }

    @Override
    public void farCall(int selector, long offset, int operandSize, long nextRip) {
        requireReal();
        int size = operandSize == 2 ? 2 : 4;
        long target = offset & (size == 2 ? 0xffff : 0xffffffffL);
        if (target > st.seg[CS].limit) throw CpuFault.gp0();
        push(size, 2, st.seg[CS].selector, nextRip, 0);
        loadCs(selector, offset, size);
    }

    @Override
    public void farReturn(int operandSize, int popBytes) {
        requireReal();
        int size = operandSize == 2 ? 2 : 4;
        long ip = readStack(0, size), cs = readStack(size, size);
        loadCs((int) cs & 0xffff, ip, size);
        setSp(st.gpr[RSP] + 2L * size + popBytes);
    }

    @Override
    public long systemInstruction(SystemOp op, long operand, int operandSize) {
        switch (op) {
            case SGDT, SIDT -> {
                boolean g = op == SystemOp.SGDT;
                mem.write16(operand, g ? st.gdtLimit : st.idtLimit, false);
                long base = g ? st.gdtBase : st.idtBase;
                if (operandSize == 2) base = (base & 0xffffff) | (profile.is286() ? 0xff000000L : 0);
                mem.write32(operand + 2, (int) base, false);
                return 0;
            }
            case LGDT, LIDT -> {
                int limit = mem.read16(operand, false) & 0xffff;
                long base = mem.read32(operand + 2, false) & (operandSize == 2 ? 0xffffffL : 0xffffffffL);
                if (op == SystemOp.LGDT) { st.gdtLimit = limit; st.gdtBase = base; } else { st.idtLimit = limit; st.idtBase = base; }
                return 0;
            }
            case SMSW -> { return profile.is286() ? (st.cr0 & 0xf) | 0xfff0 : st.cr0 & 0xffffffffL; }
            case LMSW -> {
                long pe = st.cr0 & CR0_PE; // LMSW cannot clear PE
                st.cr0 = (st.cr0 & ~0xfL) | (operand & 0xf) | pe;
                return 0;
            }
            case CLTS -> { st.cr0 &= ~CR0_TS; return 0; }
            case INVLPG -> { return 0; }
            case RDTSCP -> { return readMsr(0x10); }
            default -> throw CpuFault.of(CpuFault.UD);
        }
    }

    @Override
    public void writeControlRegister(int cr, long value) {
        switch (cr) {
            case 0 -> st.cr0 = value & 0xffffffffL | CR0_ET;
            case 2 -> st.cr2 = value;
            case 3 -> st.cr3 = value;
            case 4 -> st.cr4 = value;
            case 8 -> st.cr8 = value & 15;
            default -> throw CpuFault.of(CpuFault.UD);
        }
    }

    @Override
    public long readControlRegister(int cr) {
        return switch (cr) {
            case 0 -> st.cr0;
            case 2 -> st.cr2;
            case 3 -> st.cr3;
            case 4 -> st.cr4;
            case 8 -> st.cr8;
            default -> throw CpuFault.of(CpuFault.UD);
        };
    }

    @Override public void writeDebugRegister(int dr, long value) { st.dr[dr] = value; }

    @Override public long readDebugRegister(int dr) { return st.dr[dr]; }

    @Override
    public long readMsr(int index) {
        return switch (index) {
            case 0x10 -> System.nanoTime() + st.tscOffset;
            case 0x1b -> st.apicBase;
            case 0x174 -> st.sysenterCs;
            case 0x175 -> st.sysenterEsp;
            case 0x176 -> st.sysenterEip;
            case 0x277 -> st.pat;
            case 0x1a0 -> st.miscEnable;
            case 0xc0000080 -> st.efer;
            default -> throw CpuFault.gp0();
        };
    }

    @Override
    public void writeMsr(int index, long value) {
        switch (index) {
            case 0x10 -> st.tscOffset = value - System.nanoTime();
            case 0x174 -> st.sysenterCs = value;
            case 0x175 -> st.sysenterEsp = value;
            case 0x176 -> st.sysenterEip = value;
            case 0x277 -> st.pat = value;
            default -> throw CpuFault.gp0();
        }
    }

    @Override
    public void cpuid(int leaf, int subleaf, int[] out) {
        switch (leaf) {
            case 0 -> { // "GenuineIntel"
                out[0] = 1;
                out[1] = 0x756e6547;
                out[2] = 0x6c65746e;
                out[3] = 0x49656e69;
            }
            case 1 -> {
                out[0] = 0x633; // family 6
                out[1] = 0;
                out[2] = 1 << 23; // POPCNT
                out[3] = (1 << 4) | (1 << 5) | (1 << 8) | (1 << 15); // TSC MSR CX8 CMOV
            }
            default -> { out[0] = out[1] = out[2] = out[3] = 0; }
        }
    }

    @Override
    public void fastSystemCall(SystemOp op, int operandSize, long nextRip) { throw CpuFault.of(CpuFault.UD); }

    @Override
    public void checkIoPermission(int port, int size) { throw CpuFault.gp0(); }
}
