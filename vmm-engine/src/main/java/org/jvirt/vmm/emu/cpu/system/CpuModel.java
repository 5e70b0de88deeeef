package org.jvirt.vmm.emu.cpu.system;

import java.nio.charset.StandardCharsets;
import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;

/**
 * The CPU model the emulator presents: CPUID and the model-specific registers.
 *
 * <p>Identity: "AuthenticAMD", family 6, model 6, stepping 3, which is QEMU's {@code qemu64}
 * (QEMU target/i386/cpu.c, builtin_x86_defs), a model Debian kernels routinely boot on under
 * QEMU's own interpreter. The AMD vendor keeps Linux off Intel-only paths (microcode revision
 * MSR reads without a fault handler, the Meltdown page-table isolation that would flush the TLB
 * on every system call). Features: qemu64's plus SSSE3, SSE4.1/4.2 and POPCNT (the instruction
 * core implements them); no SVM, no XSAVE/AVX (the OS then uses FXSAVE), no x2APIC.
 * The hypervisor bit is set: Linux then skips bare-metal-only work such as the microcode loader
 * and treats the TSC and the platform as virtual; leaf 0x40000000 names no known hypervisor,
 * so no paravirtual interface is assumed. Leaf 0x80000007 reports an invariant TSC, which holds
 * as long as the tscSource given to the system unit is a constant-rate clock common to all vCPUs.
 *
 * <p>Checked on 2026-12-02 by booting Debian 12's 6.1 cloud kernel under QEMU TCG with
 * {@code -smp 2 -cpu qemu64,vendor=AuthenticAMD,family=6,model=6,stepping=3,+ssse3,+sse4.1,
 * +sse4.2,+popcnt,-svm,+hypervisor,model-id=...}: it reached user space with both CPUs, "x87 FPU
 * will use FXSAVE", Spectre V2 retpolines, no page-table isolation, no microcode loader.
 */
final class CpuModel {
    static final int FAMILY = 6, MODEL = 6, STEPPING = 3;
    static final int MAX_BASIC = 0xb, MAX_EXTENDED = 0x80000008;

    static final int EDX1 = bit(0) | bit(1) | bit(2) | bit(3) | bit(4) | bit(5) | bit(6) | bit(7) | bit(8) | bit(9)
            | bit(11) | bit(12) | bit(13) | bit(14) | bit(15) | bit(16) | bit(17) | bit(19) | bit(23) | bit(24)
            | bit(25) | bit(26); // fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2
    static final int ECX1 = bit(0) | bit(9) | bit(13) | bit(19) | bit(20) | bit(23) | bit(31); // sse3 ssse3 cx16 sse4.1 sse4.2 popcnt hypervisor
    /** AMD mirrors these leaf-1 EDX bits in 0x80000001 EDX. */
    static final int AMD_ALIASES = 0x0183f3ff;
    static final int EDX_EXT = (EDX1 & AMD_ALIASES) | bit(11) | bit(20) | bit(29); // + syscall nx lm
    static final int ECX_EXT_LAHF = bit(0), ECX_EXT_CMP_LEGACY = bit(1);

    private static final byte[] BRAND = padded("jvirt emulated CPU", 48);
    private static final byte[] VENDOR = "AuthenticAMD".getBytes(StandardCharsets.US_ASCII);

    private final CpuState st;
    private final int apicId, vcpuCount;
    private final java.util.function.LongSupplier tscSource;

    /** CPUID leaf 1's EAX and static EDX (without the HTT bit), as SMBIOS type 4's processor ID. */
    static long processorId() {
        return (STEPPING | MODEL << 4 | FAMILY << 8) | (long) EDX1 << 32;
    }

    CpuModel(CpuState st, int apicId, int vcpuCount, java.util.function.LongSupplier tscSource) {
        this.st = st;
        this.apicId = apicId;
        this.vcpuCount = Math.max(1, vcpuCount);
        this.tscSource = tscSource;
    }

    private static int bit(int n) { return 1 << n; }

    private static byte[] padded(String s, int n) {
        byte[] b = new byte[n];
        byte[] src = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(src, 0, b, 0, Math.min(src.length, n - 1));
        return b;
    }

    private static int word(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    /** Bits needed to number vcpuCount logical processors. */
    private int coreBits() { return 32 - Integer.numberOfLeadingZeros(vcpuCount - 1); }

    void cpuid(int leaf, int subleaf, int[] out) {
        int a = 0, b = 0, c = 0, d = 0;
        switch (leaf) {
            case 0 -> {
                a = MAX_BASIC;
                b = word(VENDOR, 0);
                d = word(VENDOR, 4);
                c = word(VENDOR, 8);
            }
            case 1 -> {
                a = STEPPING | MODEL << 4 | FAMILY << 8;
                b = 8 << 8 | (vcpuCount & 0xff) << 16 | (apicId & 0xff) << 24; // CLFLUSH line 64 bytes
                c = ECX1;
                d = EDX1 | (vcpuCount > 1 ? bit(28) : 0); // HTT: the logical count in EBX is valid
            }
            case 4 -> { // deterministic cache parameters: L1d, L1i, L2 (64-byte lines)
                int cores = (vcpuCount - 1) << 26;
                switch (subleaf) {
                    case 0 -> { a = 1 | 1 << 5 | 1 << 8 | cores; b = 63 | 7 << 22; c = 63; }    // 32 KiB 8-way data
                    case 1 -> { a = 2 | 1 << 5 | 1 << 8 | cores; b = 63 | 7 << 22; c = 63; }    // 32 KiB 8-way instruction
                    case 2 -> { a = 3 | 2 << 5 | 1 << 8 | cores; b = 63 | 15 << 22; c = 2047; } // 2 MiB 16-way unified
                    default -> { }
                }
            }
            case 0xb -> { // x2APIC topology: one thread per core, vcpuCount cores per package
                switch (subleaf) {
                    case 0 -> { a = 0; b = 1; c = 1 << 8; }
                    case 1 -> { a = coreBits(); b = vcpuCount; c = 2 << 8 | 1; }
                    default -> c = subleaf & 0xff;
                }
                d = apicId;
            }
            case 0x80000000 -> {
                a = MAX_EXTENDED;
                b = word(VENDOR, 0);
                d = word(VENDOR, 4);
                c = word(VENDOR, 8);
            }
            case 0x80000001 -> {
                a = STEPPING | MODEL << 4 | FAMILY << 8;
                c = ECX_EXT_LAHF | (vcpuCount > 1 ? ECX_EXT_CMP_LEGACY : 0);
                d = EDX_EXT;
            }
            case 0x80000002, 0x80000003, 0x80000004 -> {
                int base = (leaf - 0x80000002) * 16;
                a = word(BRAND, base);
                b = word(BRAND, base + 4);
                c = word(BRAND, base + 8);
                d = word(BRAND, base + 12);
            }
            case 0x80000005 -> { // AMD L1 cache and TLB: 64 KiB 2-way, 64-byte lines
                c = 64 << 24 | 2 << 16 | 1 << 8 | 64;
                d = c;
            }
            case 0x80000006 -> c = 512 << 16 | 0x6 << 12 | 64; // L2: 512 KiB, 8-way, 64-byte lines
            // Invariant TSC: the emulated TSC is tscSource + offset, a constant-rate clock shared by
            // all vCPUs (Linux then keeps the TSC as clocksource instead of marking it unstable).
            case 0x80000007 -> d = bit(8);
            case 0x80000008 -> {
                a = 48 << 8 | 40; // 48-bit linear, 40-bit physical addresses
                c = (coreBits() << 12) | (vcpuCount - 1);
            }
            default -> { }
        }
        out[0] = a;
        out[1] = b;
        out[2] = c;
        out[3] = d;
    }

    // ---- MSRs ----

    static final int TSC = 0x10, APIC_BASE = 0x1b, PATCH_LEVEL = 0x8b, MTRR_CAP = 0xfe, SYSENTER_CS = 0x174,
            SYSENTER_ESP = 0x175, SYSENTER_EIP = 0x176, MCG_CAP = 0x179, MCG_STATUS = 0x17a, MISC_ENABLE = 0x1a0,
            MTRR_VAR_FIRST = CpuState.MSR_MTRR_VAR_FIRST, MTRR_VAR_LAST = 0x20f, PAT = 0x277, MTRR_DEF_TYPE = CpuState.MSR_MTRR_DEF_TYPE;
    static final int EFER = 0xc0000080, STAR = 0xc0000081, LSTAR = 0xc0000082, CSTAR = 0xc0000083,
            SFMASK = 0xc0000084, FS_BASE = 0xc0000100, GS_BASE = 0xc0000101, KERNEL_GS_BASE = 0xc0000102,
            TSC_AUX = 0xc0000103;
    /** The fixed-range MTRRs in IA32_MTRR_FIX* order. */
    static final int[] MTRR_FIXED = CpuState.MSR_MTRR_FIXED;

    long tsc() { return tscSource.getAsLong() + st.tscOffset; }

    private static int fixedIndex(int msr) {
        for (int i = 0; i < MTRR_FIXED.length; i++) if (MTRR_FIXED[i] == msr) return i;
        return -1;
    }

    long readMsr(int index) {
        switch (index) {
            case TSC: return tsc();
            case APIC_BASE: return st.apicBase;
            case PATCH_LEVEL: return 0;
            case MTRR_CAP: return 0x508; // 8 variable ranges, fixed ranges, write-combining
            case SYSENTER_CS: return st.sysenterCs;
            case SYSENTER_ESP: return st.sysenterEsp;
            case SYSENTER_EIP: return st.sysenterEip;
            case MCG_CAP: case MCG_STATUS: return 0;
            case MISC_ENABLE: return st.miscEnable;
            case PAT: return st.pat;
            case MTRR_DEF_TYPE: return st.mtrrDefType;
            case EFER: return st.efer;
            case STAR: return st.star;
            case LSTAR: return st.lstar;
            case CSTAR: return st.cstar;
            case SFMASK: return st.sfmask;
            case FS_BASE: return st.seg[CpuState.FS].base;
            case GS_BASE: return st.seg[CpuState.GS].base;
            case KERNEL_GS_BASE: return st.kernelGsBase;
            case TSC_AUX: return st.tscAux;
            default:
                if (index >= MTRR_VAR_FIRST && index <= MTRR_VAR_LAST) return st.mtrrVariable[index - MTRR_VAR_FIRST];
                int f = fixedIndex(index);
                if (f >= 0) return st.mtrrFixed[f];
                throw CpuFault.gp0();
        }
    }

    private static void requireCanonical(long v) {
        if (!Segments.canonical(v)) throw CpuFault.gp0();
    }

    /** Writes an MSR; returns true when the write changed paging behaviour (EFER.NXE) so the TLB must go. */
    boolean writeMsr(int index, long v) {
        switch (index) {
            case TSC -> st.tscOffset = v - tscSource.getAsLong();
            case APIC_BASE -> {
                // Bit 8 (BSP) is read-only, bit 10 (x2APIC) is not supported, bits 39..12 the base, bit 11 enable.
                if ((v & ~(0xfffffff000L | 0x900L)) != 0 || (v & 0x400) != 0) throw CpuFault.gp0();
                st.apicBase = (v & ~0x100L) | (st.apicBase & 0x100L);
            }
            case PATCH_LEVEL -> { } // microcode revision: writes are the read protocol's first step
            case SYSENTER_CS -> st.sysenterCs = v & 0xffff;
            case SYSENTER_ESP -> { requireCanonical(v); st.sysenterEsp = v; }
            case SYSENTER_EIP -> { requireCanonical(v); st.sysenterEip = v; }
            case MCG_STATUS -> { if (v != 0) throw CpuFault.gp0(); }
            case MISC_ENABLE -> st.miscEnable = v;
            case PAT -> {
                for (int i = 0; i < 8; i++) {
                    int t = (int) (v >>> (i * 8)) & 0xff;
                    if (t == 2 || t == 3 || t > 7) throw CpuFault.gp0();
                }
                st.pat = v;
            }
            case MTRR_DEF_TYPE -> {
                if ((v & ~0xcffL) != 0) throw CpuFault.gp0();
                st.mtrrDefType = v;
            }
            case EFER -> { return writeEfer(v); }
            case STAR -> st.star = v;
            case LSTAR -> { requireCanonical(v); st.lstar = v; }
            case CSTAR -> { requireCanonical(v); st.cstar = v; }
            case SFMASK -> st.sfmask = v & 0xffffffffL;
            case FS_BASE -> { requireCanonical(v); st.seg[CpuState.FS].base = v; }
            case GS_BASE -> { requireCanonical(v); st.seg[CpuState.GS].base = v; }
            case KERNEL_GS_BASE -> { requireCanonical(v); st.kernelGsBase = v; }
            case TSC_AUX -> {
                if ((v >>> 32) != 0) throw CpuFault.gp0();
                st.tscAux = v;
            }
            default -> {
                if (index >= MTRR_VAR_FIRST && index <= MTRR_VAR_LAST) {
                    if ((v >>> 40) != 0) throw CpuFault.gp0();
                    st.mtrrVariable[index - MTRR_VAR_FIRST] = v;
                    return false;
                }
                int f = fixedIndex(index);
                if (f < 0) throw CpuFault.gp0();
                st.mtrrFixed[f] = v;
            }
        }
        return false;
    }

    private boolean writeEfer(long v) {
        long writable = CpuState.EFER_SCE | CpuState.EFER_LME | CpuState.EFER_NXE;
        if ((v & ~(writable | CpuState.EFER_LMA)) != 0) throw CpuFault.gp0();
        long old = st.efer;
        // LME cannot change while paging is on.
        if ((st.cr0 & CpuState.CR0_PG) != 0 && ((v ^ old) & CpuState.EFER_LME) != 0) throw CpuFault.gp0();
        st.efer = (v & writable) | (old & CpuState.EFER_LMA);
        return ((v ^ old) & CpuState.EFER_NXE) != 0;
    }
}
