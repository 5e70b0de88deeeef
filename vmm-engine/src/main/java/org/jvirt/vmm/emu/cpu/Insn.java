package org.jvirt.vmm.emu.cpu;

/**
 * One decoded instruction: a single mutable object per CPU, refilled by the decoder for every
 * instruction (no allocation), and everything the executor needs without fetching again, so a
 * cache of decoded instructions keyed by physical address could hold copies of it.
 */
final class Insn {
    /** map << 8 | opcode; map 0 = one-byte, 1 = 0F, 2 = 0F 38, 3 = 0F 3A. */
    int op;
    int opSize, addrSize;
    /** Segment override (CpuState.ES..GS) or -1. */
    int segOverride;
    boolean lock;
    /** 0, 0xF2 or 0xF3. */
    int rep;
    /** ExtensionUnit.PREFIX_*: the last of 66/F3/F2. */
    int ssePrefix;
    /** The REX byte (0x40..0x4F) or 0. */
    int rex;

    boolean hasModrm;
    int modrm, mod, reg, rm;
    /** A memory operand: base and index register numbers or -1, scale shift, displacement. */
    boolean mem;
    int base, index, scale;
    long disp;
    boolean ripRelative;
    int defaultSeg;

    long imm, imm2;
    long startRip, nextRip;
    int length;

    /**
     * Set by the block builder ({@link FastForms}): a register-only form the block runner
     * executes without the general dispatch (0 = none), with its register numbers, ALU
     * operation and ready-made immediate.
     */
    int fast, fastDst, fastSrc, fastAlu;
    long fastImm;
    /** Whether the fast form must record its lazy flags (see {@link FastForms#markFlagUse}). */
    boolean fastFlags;

    /** The memory operand's offset, computed once per execution (see CpuCore.offset()). */
    long eaOffset;
    boolean eaValid;

    // decode-cache key (see DecodeCache): valid only while every field matches
    boolean cached;
    long keyPa, keyRip, keyCsBase, keyVersion;
    int keyMode;

    int seg() { return segOverride >= 0 ? segOverride : defaultSeg; }
}
