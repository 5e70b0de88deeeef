package org.jvirt.vmm.emu.cpu;

/**
 * The emulated CPU's architectural registers, as mutable public fields: the instruction core
 * and the system side (segment loads, interrupt delivery, paging) both work on this one object
 * and nothing is copied per instruction. Plain values only; conversion to and from the
 * backend-neutral {@code VcpuState} lives beside the emulator's vCPU.
 */
public final class CpuState {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    /** Segment indices in the instruction encoding's order (ModRM reg of MOV Sreg, prefixes). */
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;

    public static final long CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7, TF = 1 << 8, IF = 1 << 9,
            DF = 1 << 10, OF = 1 << 11, IOPL = 3 << 12, NT = 1 << 14, RF = 1 << 16, VM = 1 << 17, AC = 1 << 18,
            VIF = 1 << 19, VIP = 1 << 20, ID = 1 << 21;
    /** The six arithmetic status flags. */
    public static final long STATUS_FLAGS = CF | PF | AF | ZF | SF | OF;

    public static final long CR0_PE = 1, CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_ET = 0x10, CR0_NE = 0x20,
            CR0_WP = 1L << 16, CR0_AM = 1L << 18, CR0_NW = 1L << 29, CR0_CD = 1L << 30, CR0_PG = 1L << 31;
    public static final long CR4_VME = 1, CR4_PVI = 2, CR4_TSD = 4, CR4_DE = 8, CR4_PSE = 0x10, CR4_PAE = 0x20,
            CR4_MCE = 0x40, CR4_PGE = 0x80, CR4_PCE = 0x100, CR4_OSFXSR = 0x200, CR4_OSXMMEXCPT = 0x400,
            CR4_UMIP = 0x800, CR4_FSGSBASE = 0x10000, CR4_PCIDE = 0x20000, CR4_OSXSAVE = 0x40000,
            CR4_SMEP = 0x100000, CR4_SMAP = 0x200000;
    public static final long EFER_SCE = 1, EFER_LME = 1 << 8, EFER_LMA = 1 << 10, EFER_NXE = 1 << 11;

    /** RAX..R15 in encoding order (RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8..R15). */
    public final long[] gpr = new long[16];
    public long rip;
    /**
     * RFLAGS. The instruction core may keep the status flags lazily elsewhere; everyone outside
     * the core reads and writes flags only through {@link #rflags()} and {@link #setRflags(long)}.
     */
    private long rflags = 2;

    public final SegmentRegister[] seg = {
            new SegmentRegister(), new SegmentRegister(), new SegmentRegister(),
            new SegmentRegister(), new SegmentRegister(), new SegmentRegister()};
    public final SegmentRegister ldtr = new SegmentRegister();
    public final SegmentRegister tr = new SegmentRegister();
    public long gdtBase, idtBase;
    public int gdtLimit, idtLimit;

    public long cr0 = CR0_ET | CR0_CD | CR0_NW, cr2, cr3, cr4, cr8;
    public long efer;
    public final long[] dr = new long[8];
    public long xcr0 = 1;

    /** The current privilege level (CS.DPL in protected mode, 0 in real mode, 3 in virtual-8086 mode). */
    public int cpl;
    /** Interrupts are inhibited for one instruction after STI or MOV/POP SS (the interrupt shadow). */
    public boolean interruptShadow;
    /** HLT executed: the vCPU waits for an interrupt. */
    public boolean halted;

    // Model-specific registers the emulator implements (others are the system unit's to refuse or ignore).
    public long star, lstar, cstar, sfmask, kernelGsBase;
    public long sysenterCs, sysenterEsp, sysenterEip;
    public long pat = 0x0007040600070406L;
    public long apicBase = 0xfee00900L;
    public long tscOffset;
    public long miscEnable = 1;

    /*
     * Lazy status flags, owned by the instruction core (X86Cpu): when flagsOp is not
     * LazyFlags.NONE the six status bits of rflags are stale and follow from the last
     * arithmetic operation recorded here. Nothing outside the package sees these fields.
     */
    int flagsOp;
    int flagsSize;
    long flagsDst, flagsSrc, flagsRes;
    /** The carry-in of ADC/SBB, or the preserved CF of INC/DEC. */
    boolean flagsCarry;

    public long rflags() {
        if (flagsOp != LazyFlags.NONE) {
            rflags = (rflags & ~STATUS_FLAGS) | LazyFlags.status(this);
            flagsOp = LazyFlags.NONE;
        }
        return rflags;
    }

    public void setRflags(long value) {
        flagsOp = LazyFlags.NONE;
        rflags = (value | 2) & ~(0x8 | 0x20 | 0x8000 | 0xffffffffffc00000L);
    }

    /** The flags word without materialising the lazy status flags: valid for IF, DF, TF, IOPL, VM... only. */
    public long controlFlags() { return rflags; }

    /** Records a lazily evaluated arithmetic result (values already masked to size bytes). */
    void lazy(int op, int size, long dst, long src, long res) {
        flagsOp = op;
        flagsSize = size;
        flagsDst = dst;
        flagsSrc = src;
        flagsRes = res;
    }

    /** CR0.PE set: protected (or long) mode. */
    public boolean protectedMode() { return (cr0 & CR0_PE) != 0; }

    /** Virtual-8086 mode: protected mode with RFLAGS.VM. */
    public boolean v86Mode() { return protectedMode() && (rflags() & VM) != 0; }

    /** Long mode active (EFER.LMA). */
    public boolean longMode() { return (efer & EFER_LMA) != 0; }

    /** 64-bit mode: long mode and a 64-bit code segment. */
    public boolean mode64() { return longMode() && seg[CS].longMode; }

    /** Power-on state (Intel SDM Vol. 3 table 9-1): real mode at F000:FFF0 with CS base FFFF0000. */
    public void reset() {
        java.util.Arrays.fill(gpr, 0);
        gpr[RDX] = 0x600; // family/model/stepping signature, as after RESET
        rip = 0xfff0;
        rflags = 2;
        flagsOp = LazyFlags.NONE;
        seg[CS].reset(0xf000, 0xffff0000L, true);
        for (int s : new int[]{ES, SS, DS, FS, GS}) seg[s].reset(0, 0, false);
        ldtr.reset(0, 0, false);
        ldtr.codeOrData = false;
        ldtr.type = 2;
        tr.reset(0, 0, false);
        tr.codeOrData = false;
        tr.type = 3;
        gdtBase = idtBase = 0;
        gdtLimit = idtLimit = 0xffff;
        cr0 = CR0_ET | CR0_CD | CR0_NW;
        cr2 = cr3 = cr4 = cr8 = 0;
        efer = 0;
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xffff0ff0L;
        dr[7] = 0x400;
        xcr0 = 1;
        cpl = 0;
        interruptShadow = false;
        halted = false;
        star = lstar = cstar = sfmask = kernelGsBase = 0;
        sysenterCs = sysenterEsp = sysenterEip = 0;
        pat = 0x0007040600070406L;
        tscOffset = 0;
    }

    // ---- Added by the system side (X86SystemUnit's MSRs); merge: keep this block at the end. ----
    /** IA32_TSC_AUX (what RDTSCP returns in ECX). */
    public long tscAux;
    /** The MTRRs' MSR indices: PHYSBASE0/PHYSMASK0 .. 7 from MSR_MTRR_VAR_FIRST, the fixed ones in IA32_MTRR_FIX* order, DEF_TYPE. */
    public static final int MSR_MTRR_VAR_FIRST = 0x200, MSR_MTRR_DEF_TYPE = 0x2ff;
    public static final int[] MSR_MTRR_FIXED = {0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b, 0x26c, 0x26d, 0x26e, 0x26f};
    /** MTRRs, stored for the guest and otherwise ignored: IA32_MTRR_DEF_TYPE, PHYSBASE/PHYSMASK 0..7, the 11 fixed ones. */
    public long mtrrDefType;
    public final long[] mtrrVariable = new long[16];
    public final long[] mtrrFixed = new long[11];
    // ---- end of the system side's block ----
}
