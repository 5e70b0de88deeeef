package org.jvirt.vmm.emu.fpu;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.LinearMemory;

/**
 * The decoded operands of the SSE/MMX instruction being executed, filled in once per call by
 * {@link X87Sse} (fields rather than parameters, so the helpers stay short and nothing is
 * allocated), and the operand access helpers: the source operand is fetched into
 * {@link #sLo}/{@link #sHi}.
 */
final class SseContext {
    final CpuState cpu;
    final FpuRegisters r;

    int map, opcode, prefix, modrm, reg, rm, imm8;
    long addr;
    LinearMemory mem;
    boolean user, rexW;

    /** The source operand (register or memory), as fetched by one of the src* methods. */
    long sLo, sHi;

    SseContext(CpuState cpu, FpuRegisters r) {
        this.cpu = cpu;
        this.r = r;
    }

    boolean isReg() { return (modrm & 0xc0) == 0xc0; }

    int modrmReg() { return (modrm >> 3) & 7; }

    /** 128-bit source: xmm[rm] or 16 bytes of memory; aligned forms #GP(0) on a misaligned address. */
    void src128(boolean aligned) {
        if (isReg()) {
            sLo = r.xmm[2 * rm];
            sHi = r.xmm[2 * rm + 1];
        } else {
            if (aligned && (addr & 15) != 0) throw CpuFault.gp0();
            sLo = mem.read64(addr, user);
            sHi = mem.read64(addr + 8, user);
        }
    }

    /** Low 64 bits of xmm[rm], or 8 bytes of memory (sHi = 0 for memory). */
    void src64() {
        if (isReg()) {
            sLo = r.xmm[2 * rm];
            sHi = r.xmm[2 * rm + 1];
        } else {
            sLo = mem.read64(addr, user);
            sHi = 0;
        }
    }

    /** Low 32 bits of xmm[rm], or 4 bytes of memory (zero-extended into sLo). */
    void src32() {
        if (isReg()) sLo = r.xmm[2 * rm] & 0xffffffffL;
        else sLo = mem.read32(addr, user) & 0xffffffffL;
        sHi = 0;
    }

    /** 64-bit MMX source: mm[rm & 7] or 8 bytes of memory. */
    void srcMmx() {
        sLo = isReg() ? r.mant[rm & 7] : mem.read64(addr, user);
        sHi = 0;
    }

    /** A general register or memory source of 32 or 64 bits (rexW). */
    long srcGprOrMem() {
        if (isReg()) return rexW ? cpu.gpr[rm] : cpu.gpr[rm] & 0xffffffffL;
        return rexW ? mem.read64(addr, user) : mem.read32(addr, user) & 0xffffffffL;
    }

    /** Writes a 32-bit (zero-extended to 64) or 64-bit GPR result to gpr[reg] (or gpr[rm] when toRm). */
    void writeGpr(int index, long v, boolean wide) {
        cpu.gpr[index] = wide ? v : v & 0xffffffffL;
    }

    void store128(boolean aligned, long lo, long hi) {
        if (isReg()) {
            r.xmm[2 * rm] = lo;
            r.xmm[2 * rm + 1] = hi;
        } else {
            if (aligned && (addr & 15) != 0) throw CpuFault.gp0();
            mem.write64(addr, lo, user);
            mem.write64(addr + 8, hi, user);
        }
    }

    void setXmm(int i, long lo, long hi) {
        r.xmm[2 * i] = lo;
        r.xmm[2 * i + 1] = hi;
    }

    long lo(int i) { return r.xmm[2 * i]; }

    long hi(int i) { return r.xmm[2 * i + 1]; }

    static CpuFault ud() { return CpuFault.of(CpuFault.UD); }
}
