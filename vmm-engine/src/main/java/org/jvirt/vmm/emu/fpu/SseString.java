package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F3A;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;

import org.jvirt.vmm.emu.cpu.CpuState;

/**
 * SSE4.2: the packed string compares PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM in every imm8
 * mode (element format, aggregation equal-any / ranges / equal-each / equal-ordered, polarity,
 * index and mask forms), and CRC32 (F2 0F 38 F0/F1, the Castagnoli polynomial). The string
 * compares take an unaligned memory operand, as on hardware.
 */
final class SseString {
    private static final int[] CRC32C = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
            CRC32C[i] = c;
        }
    }

    private final SseContext c;
    private final int[] a = new int[16], b = new int[16];

    SseString(SseContext c) {
        this.c = c;
    }

    boolean execute() {
        if (c.map != MAP_0F3A || c.prefix != PREFIX_66 || c.opcode < 0x60 || c.opcode > 0x63) return false;
        int imm = c.imm8;
        boolean words = (imm & 1) != 0, signed = (imm & 2) != 0;
        int n = words ? 8 : 16;
        c.src128(false);
        int reg = c.reg;
        elements(a, c.lo(reg), c.hi(reg), words, signed);
        elements(b, c.sLo, c.sHi, words, signed);
        boolean explicit = c.opcode <= 0x61;
        int la, lb;
        if (explicit) {
            la = explicitLength(c.cpu.gpr[CpuState.RAX], n);
            lb = explicitLength(c.cpu.gpr[CpuState.RDX], n);
        } else {
            la = implicitLength(a, n);
            lb = implicitLength(b, n);
        }
        int res = aggregate((imm >> 2) & 3, n, la, lb);
        int valid = (1 << n) - 1;
        switch ((imm >> 4) & 3) {
            case 1 -> res = ~res & valid;
            case 3 -> res ^= (1 << lb) - 1;
            default -> { }
        }
        long f = c.cpu.rflags() & ~CpuState.STATUS_FLAGS;
        if (res != 0) f |= CpuState.CF;
        if (lb < n) f |= CpuState.ZF;
        if (la < n) f |= CpuState.SF;
        if ((res & 1) != 0) f |= CpuState.OF;
        c.cpu.setRflags(f);
        if ((c.opcode & 1) != 0) { // index into ECX
            int idx = res == 0 ? n : (imm & 0x40) != 0 ? 31 - Integer.numberOfLeadingZeros(res) : Integer.numberOfTrailingZeros(res);
            c.cpu.gpr[CpuState.RCX] = idx;
        } else if ((imm & 0x40) == 0) { // bit mask into XMM0
            c.setXmm(0, res, 0);
        } else { // byte/word mask into XMM0
            long lo = 0, hi = 0;
            int bits = words ? 16 : 8;
            long lane = (1L << bits) - 1;
            for (int i = 0; i < n; i++) {
                if ((res & (1 << i)) == 0) continue;
                int pos = i * bits;
                if (pos < 64) lo |= lane << pos;
                else hi |= lane << (pos - 64);
            }
            c.setXmm(0, lo, hi);
        }
        return true;
    }

    private static void elements(int[] out, long lo, long hi, boolean words, boolean signed) {
        int bits = words ? 16 : 8, n = 128 / bits;
        for (int i = 0; i < n; i++) {
            int pos = i * bits;
            long w = pos < 64 ? lo >>> pos : hi >>> (pos - 64);
            int v = (int) w & ((1 << bits) - 1);
            if (signed) v = (v << (32 - bits)) >> (32 - bits);
            out[i] = v;
        }
    }

    /** |EAX| or |RAX| (REX.W) saturated to the element count. */
    private int explicitLength(long reg, int n) {
        long v = c.rexW ? reg : (int) reg;
        if (v < 0) v = v == Long.MIN_VALUE ? n : -v;
        return (int) Math.min(v, n);
    }

    private static int implicitLength(int[] e, int n) {
        for (int i = 0; i < n; i++) if (e[i] == 0) return i;
        return n;
    }

    /** IntRes1 of the aggregation (0 equal any, 1 ranges, 2 equal each, 3 equal ordered); a = xmm1, b = xmm2/m128. */
    private int aggregate(int mode, int n, int la, int lb) {
        int res = 0;
        switch (mode) {
            case 0 -> {
                for (int j = 0; j < lb; j++)
                    for (int i = 0; i < la; i++)
                        if (a[i] == b[j]) {
                            res |= 1 << j;
                            break;
                        }
            }
            case 1 -> {
                for (int j = 0; j < lb; j++)
                    for (int i = 0; i + 1 < la; i += 2)
                        if (a[i] <= b[j] && b[j] <= a[i + 1]) {
                            res |= 1 << j;
                            break;
                        }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    boolean va = i < la, vb = i < lb;
                    if ((!va && !vb) || (va && vb && a[i] == b[i])) res |= 1 << i;
                }
            }
            default -> {
                for (int j = 0; j < n; j++) {
                    boolean match = true;
                    for (int i = 0; i < n - j && match; i++) {
                        boolean va = i < la, vb = j + i < lb;
                        if (!va) continue; // an ended needle matches anything
                        if (!vb) match = false;
                        else match = a[i] == b[j + i];
                    }
                    if (match) res |= 1 << j;
                }
            }
        }
        return res;
    }

    /** CRC32 r32/r64, r/m8 (0F 38 F0) or r/m32/r/m64 (F1; the 16-bit form needs the 66 prefix, which the interface folds away). */
    boolean crc32() {
        int bytes;
        long src;
        if (c.opcode == 0xf0) {
            bytes = 1;
            src = c.isReg() ? c.cpu.gpr[c.rm] : c.mem.read8(c.addr, c.user);
        } else if (c.rexW) {
            bytes = 8;
            src = c.isReg() ? c.cpu.gpr[c.rm] : c.mem.read64(c.addr, c.user);
        } else {
            bytes = 4;
            src = c.isReg() ? c.cpu.gpr[c.rm] : c.mem.read32(c.addr, c.user);
        }
        c.cpu.gpr[c.reg] = update((int) c.cpu.gpr[c.reg], src, bytes) & 0xffffffffL;
        return true;
    }

    static int update(int crc, long data, int bytes) {
        for (int i = 0; i < bytes; i++) crc = (crc >>> 8) ^ CRC32C[(crc ^ (int) (data >>> (8 * i))) & 0xff];
        return crc;
    }
}
