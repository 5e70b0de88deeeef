package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A CPU on a flat 1 MiB bus with a minimal system unit that records the first event delivered
 * and halts, for hand-checked instruction tests in 16-, 32- and 64-bit mode. Code goes at 0x1000
 * followed by HLT; the stack starts at 0x8000.
 */
final class CpuHarness {
    static final int CODE = 0x1000;

    final byte[] ram = new byte[1 << 20];
    final CpuState st = new CpuState();
    final X86Cpu cpu;
    int vector = -1, kind = -1;
    boolean hasError;
    int errorCode;
    int codeEnd = CODE;
    /** When set, segment loads also set the D/B bit to this (stands in for a descriptor's size). */
    Boolean loadedSegmentsBig;

    /** Pages the CPU asked to watch for code writes, and the versions such writes bump (global and per page). */
    final boolean[] watched = new boolean[(1 << 20) >> 12];
    final long[] pageVersion = new long[(1 << 20) >> 12];
    long codeVersion;

    final PhysicalBus bus = new PhysicalBus() {
        int a(long pa) { return (int) pa & (ram.length - 1); }
        @Override public long codeVersion() { return codeVersion; }
        @Override public long codeVersion(long pa) { return pageVersion[a(pa) >> 12]; }
        @Override public void watchCode(long pa) { watched[a(pa) >> 12] = true; }
        @Override public int read8(long pa) { return ram[a(pa)] & 0xff; }
        @Override public int read16(long pa) { return read8(pa) | read8(pa + 1) << 8; }
        @Override public int read32(long pa) { return read16(pa) | read16(pa + 2) << 16; }
        @Override public long read64(long pa) { return (read32(pa) & 0xffffffffL) | (long) read32(pa + 4) << 32; }
        @Override public void write8(long pa, int v) {
            ram[a(pa)] = (byte) v;
            if (watched[a(pa) >> 12]) {
                codeVersion++;
                pageVersion[a(pa) >> 12]++;
            }
        }
        @Override public void write16(long pa, int v) { write8(pa, v); write8(pa + 1, v >> 8); }
        @Override public void write32(long pa, int v) { write16(pa, v); write16(pa + 2, v >>> 16); }
        @Override public void write64(long pa, long v) { write32(pa, (int) v); write32(pa + 4, (int) (v >>> 32)); }
        @Override public int in(int port, int size) { return 0x12345678 & (int) ((1L << (8 * size)) - 1); }
        @Override public void out(int port, int size, int value) { }
    };

    final SystemUnit sys = new SystemUnit() {
        @Override public void loadSegment(int segIndex, int selector) {
            st.seg[segIndex].loadReal(selector);
            if (loadedSegmentsBig != null) st.seg[segIndex].db = loadedSegmentsBig;
        }
        @Override public void deliver(int v, int k, boolean he, int ec, long returnRip) {
            if (vector < 0) { vector = v; kind = k; hasError = he; errorCode = ec; }
            st.halted = true;
        }
        @Override public void interruptReturn(int operandSize) { throw new UnsupportedOperationException(); }
        @Override public void farJump(int selector, long offset, int operandSize, long nextRip) { throw new UnsupportedOperationException(); }
        @Override public void farCall(int selector, long offset, int operandSize, long nextRip) { throw new UnsupportedOperationException(); }
        @Override public void farReturn(int operandSize, int popBytes) { throw new UnsupportedOperationException(); }
        @Override public long systemInstruction(SystemOp op, long operand, int operandSize) { throw new UnsupportedOperationException(); }
        @Override public void writeControlRegister(int cr, long value) { }
        @Override public long readControlRegister(int cr) { return 0; }
        @Override public void writeDebugRegister(int dr, long value) { }
        @Override public long readDebugRegister(int dr) { return 0; }
        @Override public long readMsr(int index) { return 0x1122334455667788L; }
        @Override public void writeMsr(int index, long value) { }
        @Override public void cpuid(int leaf, int subleaf, int[] out) { out[0] = leaf; out[1] = subleaf; out[2] = 3; out[3] = 4; }
        @Override public void fastSystemCall(SystemOp op, int operandSize, long nextRip) { throw new UnsupportedOperationException(); }
        @Override public void checkIoPermission(int port, int size) { throw CpuFault.gp0(); }
    };

    private CpuHarness() {
        st.reset();
        cpu = new X86Cpu(st, bus, CpuProfile.X86_64);
        cpu.setSystemUnit(sys);
        st.rip = CODE;
        st.seg[CpuState.CS].reset(0, 0, true);
        st.gpr[CpuState.RSP] = 0x8000;
    }

    private static void flat(SegmentRegister s, boolean code) {
        s.reset(code ? 8 : 16, 0, code);
        s.limit = 0xffffffffL;
        s.db = true;
        s.granularity = true;
    }

    static CpuHarness real() { return new CpuHarness(); }

    static CpuHarness protected32() {
        CpuHarness h = new CpuHarness();
        h.st.cr0 |= CpuState.CR0_PE;
        for (int i = 0; i < 6; i++) flat(h.st.seg[i], i == CpuState.CS);
        return h;
    }

    static CpuHarness long64() {
        CpuHarness h = protected32();
        h.st.efer = CpuState.EFER_LME | CpuState.EFER_LMA;
        h.st.seg[CpuState.CS].db = false;
        h.st.seg[CpuState.CS].longMode = true;
        return h;
    }

    CpuHarness code(int... bytes) {
        for (int b : bytes) ram[codeEnd++] = (byte) b;
        ram[codeEnd] = (byte) 0xf4;
        return this;
    }

    X86Cpu.RunExit run() { return cpu.run(100_000); }

    /** Translates blocks to JVM bytecode once they ran runs times interpreted. */
    org.jvirt.vmm.emu.jit.JvmBlockTranslator translateAfter(int runs) {
        org.jvirt.vmm.emu.jit.JvmBlockTranslator t = new org.jvirt.vmm.emu.jit.JvmBlockTranslator();
        cpu.setBlockTranslator(t, runs);
        return t;
    }

    long r(int i) { return st.gpr[i]; }

    void set(int i, long v) { st.gpr[i] = v; }

    void poke64(int addr, long v) { bus.write64(addr, v); }

    void poke32(int addr, int v) { bus.write32(addr, v); }

    long peek64(int addr) { return bus.read64(addr); }

    int peek32(int addr) { return bus.read32(addr); }

    // ---- assertions shared by the tests ----

    static void halted(CpuHarness h) {
        assertEquals(X86Cpu.RunExit.HALTED, h.run());
        assertEquals(-1, h.vector, "unexpected exception");
    }

    /** At CPL 3 the closing HLT itself is privileged: the run ends with #GP at the HLT. */
    static void reachesUserHlt(CpuHarness h) {
        assertEquals(X86Cpu.RunExit.HALTED, h.run());
        assertEquals(CpuFault.GP, h.vector);
        assertEquals(h.codeEnd, h.st.rip);
    }

    static void faults(CpuHarness h, int vector) {
        assertEquals(X86Cpu.RunExit.HALTED, h.run());
        assertEquals(vector, h.vector);
        assertEquals(CpuHarness.CODE, h.st.rip, "RIP stays at the faulting instruction");
    }
}
