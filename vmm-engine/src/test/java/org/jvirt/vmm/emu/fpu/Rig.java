package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F;

import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.SegmentRegister;

/**
 * A unit under test in 64-bit mode with SSE enabled (CR0.PE|MP|NE, CR4.OSFXSR|OSXMMEXCPT),
 * 64 KiB of memory, and helpers that issue instructions the way the core will.
 */
final class Rig {
    final CpuState cpu = new CpuState();
    final X87Sse unit = new X87Sse(cpu);
    final FpuRegisters r = unit.registers();
    final TestMemory mem = new TestMemory(1 << 16);

    Rig() {
        cpu.cr0 = CpuState.CR0_PE | CpuState.CR0_MP | CpuState.CR0_NE | CpuState.CR0_ET | CpuState.CR0_PG;
        cpu.cr4 = CpuState.CR4_OSFXSR | CpuState.CR4_OSXMMEXCPT | CpuState.CR4_PAE;
        cpu.efer = CpuState.EFER_LME | CpuState.EFER_LMA;
        SegmentRegister cs = cpu.seg[CpuState.CS];
        cs.longMode = true;
        unit.reset();
    }

    void xmm(int i, long lo, long hi) {
        r.xmm[2 * i] = lo;
        r.xmm[2 * i + 1] = hi;
    }

    long lo(int i) { return r.xmm[2 * i]; }

    long hi(int i) { return r.xmm[2 * i + 1]; }

    /** Register form: dest/reg = d, source/rm = s. */
    boolean rr(int map, int op, int prefix, int d, int s, int imm, boolean rexW) {
        int modrm = 0xc0 | (d & 7) << 3 | (s & 7);
        return unit.sse(map, op, prefix, modrm, d, s, -1, mem, false, rexW, imm);
    }

    boolean rr(int map, int op, int prefix, int d, int s) { return rr(map, op, prefix, d, s, 0, false); }

    /** Memory form with ModRM.mod = 0 and the given reg (or /digit). */
    boolean rm(int map, int op, int prefix, int reg, long addr, int imm, boolean rexW) {
        int modrm = (reg & 7) << 3 | 4;
        return unit.sse(map, op, prefix, modrm, reg, 0, addr, mem, false, rexW, imm);
    }

    boolean rm(int map, int op, int prefix, int reg, long addr) { return rm(map, op, prefix, reg, addr, 0, false); }

    boolean sse0f(int op, int prefix, int d, int s) { return rr(MAP_0F, op, prefix, d, s); }

    /** An x87 register form, e.g. x87(0xd9, 0xe8) for FLD1. */
    void x87(int esc, int modrm) { unit.x87(esc, modrm, -1, mem, false, false); }

    /** An x87 memory form with ModRM /digit. */
    void x87m(int esc, int digit, long addr) { unit.x87(esc, digit << 3 | 4, addr, mem, false, false); }

    /** FLD m64 of v (through scratch memory at 0xf000). */
    void fld(double v) {
        mem.write64(0xf000, Double.doubleToRawLongBits(v), false);
        x87m(0xdd, 0, 0xf000);
    }

    /** FSTP m64 (rounded per the control word). */
    double fstp() {
        x87m(0xdd, 3, 0xf008);
        return Double.longBitsToDouble(mem.read64(0xf008, false));
    }

    /** FILD m64. */
    void fild(long v) {
        mem.write64(0xf010, v, false);
        x87m(0xdf, 5, 0xf010);
    }

    /** FISTP m64 (rounded per the control word). */
    long fistp() {
        x87m(0xdf, 7, 0xf018);
        return mem.read64(0xf018, false);
    }

    void fldcw(int cw) {
        mem.write16(0xf020, cw, false);
        x87m(0xd9, 5, 0xf020);
    }

    int fnstsw() {
        x87m(0xdd, 7, 0xf024);
        return mem.read16(0xf024, false);
    }

    /** ST(i)'s sign+exponent and significand. */
    int stSe(int i) { return r.sexp[(r.top + i) & 7]; }

    long stM(int i) { return r.mant[(r.top + i) & 7]; }
}
