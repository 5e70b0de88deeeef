package org.jvirt.vmm.emu.cpu;

/**
 * The x87 FPU and the SSE family (SSE through SSE4.2, with FXSAVE/FXRSTOR, XSAVE/XRSTOR,
 * LDMXCSR/STMXCSR, EMMS and the MMX forms), called by the instruction core after it has decoded
 * prefixes, ModRM, SIB, displacement and immediate, so the unit never fetches code.
 *
 * <p>Operand conventions: {@code memLinear} is the memory operand's linear address with
 * segmentation applied (or -1 for a register form, when {@code rm} is the register number with
 * REX.B applied); {@code reg} is ModRM.reg with REX.R applied; memory is reached through
 * {@code mem} with {@code user} = (CPL == 3). General registers are read and written directly in
 * {@link CpuState#gpr}; {@code rexW} tells 64-bit GPR forms (MOVQ, CVTSI2SD r64...).
 * Faults (#UD, #NM with CR0.TS, #GP for misaligned MOVAPS, #XM/#MF) are thrown as {@link CpuFault}.
 *
 * <p>Which opcodes take an 8-bit immediate (the core decodes it): every 0F 3A opcode, and in map
 * 0F: 70-73 (PSHUF*, the shift-by-immediate groups), C2 (CMPPS...), C4 (PINSRW), C5 (PEXTRW),
 * C6 (SHUFPS/SHUFPD).
 */
public interface ExtensionUnit {
    /** Opcode maps for {@link #sse}. */
    int MAP_0F = 1, MAP_0F38 = 2, MAP_0F3A = 3;
    /** The mandatory prefix in effect (the last of 66, F3, F2 given; none = 0). */
    int PREFIX_NONE = 0, PREFIX_66 = 1, PREFIX_F3 = 2, PREFIX_F2 = 3;

    /** An x87 instruction: escape opcode D8..DF with its ModRM byte. operandSize16 for FSTENV/FLDENV/FSAVE/FRSTOR forms. */
    void x87(int escape, int modrm, long memLinear, LinearMemory mem, boolean user, boolean operandSize16);

    /**
     * An SSE/MMX-family instruction (including 0F AE's FXSAVE, FXRSTOR, LDMXCSR, STMXCSR, XSAVE,
     * XRSTOR, and the fences, which need no work in an interpreter). Returns false when the
     * opcode is not one of the unit's, so the core raises #UD.
     */
    boolean sse(int map, int opcode, int prefix, int modrm, int reg, int rm, long memLinear, LinearMemory mem,
                boolean user, boolean rexW, int imm8);

    /** Power-on state of the FPU and SSE registers (FNINIT state, MXCSR 0x1F80). */
    void reset();

    /** The 512-byte FXSAVE image of the current state (for the machine-state section's XSAVE area). */
    void saveFxImage(byte[] out512);

    /** Loads the state from a 512-byte FXSAVE image. */
    void loadFxImage(byte[] in512);
}
