package org.jvirt.vmm.emu.fpu;

import org.jvirt.vmm.emu.cpu.LinearMemory;

/**
 * FNSTENV/FLDENV and FNSAVE/FRSTOR in their protected-mode layouts (Intel SDM Vol. 1 figures
 * 8-9 and 8-10): 28 bytes (32-bit operand size) or 14 bytes (16-bit) of FCW, FSW, full tag
 * word, FIP, FCS|FOP, FDP, FDS; FNSAVE appends the eight 80-bit registers in stack order and
 * then does FNINIT. In real and virtual-8086 mode the pointers are stored as linear addresses
 * split around the opcode (figures 8-10 and 8-12) and no selectors are kept.
 */
final class X87Env {
    private final X87 f;
    private final FpuRegisters r;

    X87Env(X87 f) {
        this.f = f;
        this.r = f.r;
    }

    /** Stores the environment; returns its size in bytes. FNSTENV then masks every exception. */
    int storeEnv(long a, LinearMemory mem, boolean user, boolean o16) {
        int n = writeEnv(a, mem, user, o16);
        r.fcw |= 0x3f;
        return n;
    }

    private boolean realLayout() { return !f.cpu.protectedMode() || f.cpu.v86Mode(); }

    private int writeEnv(long a, LinearMemory mem, boolean user, boolean o16) {
        if (realLayout()) {
            int ip = (int) r.fip, dp = (int) r.fdp;
            if (o16) {
                mem.write16(a, r.fcw, user);
                mem.write16(a + 2, r.statusWord(), user);
                mem.write16(a + 4, r.fullTagWord(), user);
                mem.write16(a + 6, ip, user);
                mem.write16(a + 8, (ip >>> 16 & 0xf) << 12 | (r.fop & 0x7ff), user);
                mem.write16(a + 10, dp, user);
                mem.write16(a + 12, (dp >>> 16 & 0xf) << 12, user);
                return 14;
            }
            mem.write32(a, 0xffff0000 | r.fcw, user);
            mem.write32(a + 4, 0xffff0000 | r.statusWord(), user);
            mem.write32(a + 8, 0xffff0000 | r.fullTagWord(), user);
            mem.write32(a + 12, 0xffff0000 | (ip & 0xffff), user);
            mem.write32(a + 16, (ip >>> 16) << 12 | (r.fop & 0x7ff), user);
            mem.write32(a + 20, 0xffff0000 | (dp & 0xffff), user);
            mem.write32(a + 24, (dp >>> 16) << 12, user);
            return 28;
        }
        if (o16) {
            mem.write16(a, r.fcw, user);
            mem.write16(a + 2, r.statusWord(), user);
            mem.write16(a + 4, r.fullTagWord(), user);
            mem.write16(a + 6, (int) r.fip, user);
            mem.write16(a + 8, r.fcs, user);
            mem.write16(a + 10, (int) r.fdp, user);
            mem.write16(a + 12, r.fds, user);
            return 14;
        }
        mem.write32(a, 0xffff0000 | r.fcw, user);
        mem.write32(a + 4, 0xffff0000 | r.statusWord(), user);
        mem.write32(a + 8, 0xffff0000 | r.fullTagWord(), user);
        mem.write32(a + 12, (int) r.fip, user);
        mem.write32(a + 16, (r.fcs & 0xffff) | (r.fop & 0x7ff) << 16, user);
        mem.write32(a + 20, (int) r.fdp, user);
        mem.write32(a + 24, 0xffff0000 | r.fds, user);
        return 28;
    }

    int loadEnv(long a, LinearMemory mem, boolean user, boolean o16) {
        int n;
        if (realLayout()) {
            if (o16) {
                r.fcw = mem.read16(a, user);
                r.setStatusWord(mem.read16(a + 2, user));
                r.setFullTagWord(mem.read16(a + 4, user));
                int hi = mem.read16(a + 8, user);
                r.fip = mem.read16(a + 6, user) | (long) (hi >>> 12) << 16;
                r.fop = hi & 0x7ff;
                r.fdp = mem.read16(a + 10, user) | (long) (mem.read16(a + 12, user) >>> 12) << 16;
                n = 14;
            } else {
                r.fcw = mem.read32(a, user) & 0xffff;
                r.setStatusWord(mem.read32(a + 4, user) & 0xffff);
                r.setFullTagWord(mem.read32(a + 8, user) & 0xffff);
                int hi = mem.read32(a + 16, user);
                r.fip = (mem.read32(a + 12, user) & 0xffff) | (long) (hi >>> 12) << 16;
                r.fop = hi & 0x7ff;
                r.fdp = (mem.read32(a + 20, user) & 0xffff) | (long) (mem.read32(a + 24, user) >>> 12) << 16;
                n = 28;
            }
            r.fcs = r.fds = 0;
        } else if (o16) {
            r.fcw = mem.read16(a, user);
            r.setStatusWord(mem.read16(a + 2, user));
            r.setFullTagWord(mem.read16(a + 4, user));
            r.fip = mem.read16(a + 6, user);
            r.fcs = mem.read16(a + 8, user);
            r.fdp = mem.read16(a + 10, user);
            r.fds = mem.read16(a + 12, user);
            n = 14;
        } else {
            r.fcw = mem.read32(a, user) & 0xffff;
            r.setStatusWord(mem.read32(a + 4, user) & 0xffff);
            r.setFullTagWord(mem.read32(a + 8, user) & 0xffff);
            r.fip = mem.read32(a + 12, user) & 0xffffffffL;
            int sel = mem.read32(a + 16, user);
            r.fcs = sel & 0xffff;
            r.fop = (sel >>> 16) & 0x7ff;
            r.fdp = mem.read32(a + 20, user) & 0xffffffffL;
            r.fds = mem.read32(a + 24, user) & 0xffff;
            n = 28;
        }
        // A pending unmasked exception in the loaded status is raised by the next waiting instruction.
        if ((r.fsw & ~r.fcw & 0x3f) != 0) r.fsw |= X87.ES | X87.B;
        else r.fsw &= ~(X87.ES | X87.B);
        return n;
    }

    void save(long a, LinearMemory mem, boolean user, boolean o16) {
        int n = writeEnv(a, mem, user, o16);
        for (int i = 0; i < 8; i++) {
            int p = (r.top + i) & 7;
            mem.write64(a + n + 10L * i, r.mant[p], user);
            mem.write16(a + n + 10L * i + 8, r.sexp[p], user);
        }
        r.finit();
    }

    void restore(long a, LinearMemory mem, boolean user, boolean o16) {
        int n = loadEnv(a, mem, user, o16);
        for (int i = 0; i < 8; i++) {
            int p = (r.top + i) & 7;
            r.mant[p] = mem.read64(a + n + 10L * i, user);
            r.sexp[p] = mem.read16(a + n + 10L * i + 8, user) & 0xffff;
        }
    }
}
