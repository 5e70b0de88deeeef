package org.jvirt.vmm.emu.fpu;

import org.jvirt.vmm.emu.cpu.LinearMemory;

/** FBLD and FBSTP: the 80-bit packed BCD format (18 digits in bytes 0-8, sign in bit 7 of byte 9). */
final class Bcd {
    private static final long MAX = 999_999_999_999_999_999L;

    private Bcd() { }

    static void load(X87 f, long a, LinearMemory mem, boolean user) {
        long lo = mem.read64(a, user);
        int hi = mem.read16(a + 8, user);
        long v = 0;
        for (int i = 8; i >= 0; i--) {
            int b = i == 8 ? hi & 0xff : (int) (lo >>> (8 * i)) & 0xff;
            v = v * 100 + (b >> 4) * 10 + (b & 15); // invalid digits are undefined; taken at face value
        }
        if ((hi & 0x8000) != 0) v = -v;
        f.x.fromLong(v);
        int se = f.x.se;
        if (v == 0 && (hi & 0x8000) != 0) se |= 0x8000;
        f.push(se, f.x.m);
    }

    static void store(X87 f, long a, LinearMemory mem, boolean user) {
        long v;
        boolean neg;
        if (f.empty(0)) {
            if (!f.underflow()) return;
            v = -1;
            neg = true;
        } else {
            neg = (f.se(0) & 0x8000) != 0;
            v = f.x.toInt(f.se(0), f.m(0), f.rc(), 64);
            if (f.x.invalid || Math.abs(v) > MAX) {
                f.exc |= X87.IE;
                if (f.suppressed()) return;
                v = -1;
            } else {
                if (f.x.inexact) f.exc |= X87.PE;
                if (f.x.roundedUp) f.r.fsw |= X87.C1;
            }
        }
        if (v == -1 && f.masked(X87.IE) && (f.exc & X87.IE) != 0) {
            mem.write64(a, 0xc000000000000000L, user); // the packed BCD indefinite FFFF C000000000000000
            mem.write16(a + 8, 0xffff, user);
        } else {
            long m = Math.abs(v), lo = 0;
            int hi = 0;
            for (int i = 0; i < 9; i++) {
                int b = (int) (m % 10) | (int) ((m / 10) % 10) << 4;
                m /= 100;
                if (i < 8) lo |= (long) b << (8 * i);
                else hi = b;
            }
            mem.write64(a, lo, user);
            mem.write16(a + 8, hi | (neg ? 0x8000 : 0), user);
        }
        f.pop();
    }
}
