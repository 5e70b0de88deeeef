package org.jvirt.vmm.emu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirt.vmm.emu.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** x87 behaviour with hand-checked values. */
class X87Test {
    private static final int C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000;

    @Test
    void constantsAreTheNearest80BitValues() {
        Rig rig = new Rig();
        rig.x87(0xd9, 0xeb); // FLDPI
        assertEquals(0x4000, rig.stSe(0));
        assertEquals(0xc90fdaa22168c235L, rig.stM(0));
        assertEquals(Math.PI, rig.fstp());
        rig.x87(0xd9, 0xed); // FLDLN2
        assertEquals(Math.log(2), rig.fstp());
        rig.x87(0xd9, 0xea); // FLDL2E
        assertEquals(1 / Math.log(2), rig.fstp(), 1e-16);
        rig.x87(0xd9, 0xe8); // FLD1
        assertEquals(1.0, rig.fstp());
        rig.x87(0xd9, 0xee); // FLDZ
        assertEquals(0.0, rig.fstp());
        assertEquals(0, rig.r.tagValid);
    }

    @Test
    void sixtyFourBitIntegersRoundTripExactly() {
        Rig rig = new Rig();
        for (long v : new long[]{Long.MAX_VALUE, Long.MIN_VALUE, (1L << 53) + 1, -((1L << 62) + 12345), 0, -1}) {
            rig.fild(v);
            assertEquals(v, rig.fistp(), Long.toHexString(v));
        }
        rig.fild(Long.MAX_VALUE);
        assertEquals(0x403d, rig.stSe(0)); // 2^63 - 1: exponent 62
        assertEquals(0xfffffffffffffffeL, rig.stM(0));
        rig.fstp();
    }

    @Test
    void eightyBitLoadStoreIsExactAndDoubleStoreRounds() {
        Rig rig = new Rig();
        rig.mem.write64(0x100, 0x8000000000000401L, false); // 1 + 2^-53 + 2^-63: between doubles
        rig.mem.write16(0x108, 0x3fff, false);
        rig.x87m(0xdb, 5, 0x100); // FLD m80
        rig.x87(0xd9, 0xc0); // FLD ST(0)
        rig.x87m(0xdb, 7, 0x200); // FSTP m80
        assertEquals(0x8000000000000401L, rig.mem.read64(0x200, false));
        assertEquals(0x3fff, rig.mem.read16(0x208, false));
        assertEquals(1.0 + 0x1p-52, rig.fstp(), "above the halfway point rounds up");
        assertTrue((rig.fnstsw() & 0x20) != 0, "PE");
        rig.x87m(0xdb, 5, 0x100);
        rig.fldcw(0x37f | 0x400); // round down
        assertEquals(1.0, rig.fstp());
        rig.x87m(0xdb, 5, 0x100);
        rig.fldcw(0x37f | 0xc00); // FST m32 truncating
        rig.x87m(0xd9, 3, 0x300);
        assertEquals(Float.floatToRawIntBits(1.0f), rig.mem.read32(0x300, false));
    }

    @Test
    void integerStoresRoundPerControlWordAndFisttpTruncates() {
        Rig rig = new Rig();
        double[] in = {2.5, -2.5, 3.5, -0.5, 1e30};
        long[][] want = {{2, 2, 3, 2}, {-2, -3, -2, -2}, {4, 3, 4, 3}, {0, -1, 0, 0}, {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE}};
        for (int i = 0; i < in.length; i++) {
            for (int rc = 0; rc < 4; rc++) {
                rig.fldcw(0x37f | rc << 10);
                rig.fld(in[i]);
                assertEquals(want[i][rc], rig.fistp(), in[i] + " rc " + rc);
            }
        }
        assertTrue((rig.fnstsw() & 1) != 0, "IE for 1e30");
        rig.fldcw(0x37f);
        rig.fld(-7.9);
        rig.x87m(0xdb, 1, 0x100); // FISTTP m32
        assertEquals(-7, rig.mem.read32(0x100, false));
        rig.fld(40000.0);
        rig.x87m(0xdf, 3, 0x104); // FISTP m16: out of range
        assertEquals(0x8000, rig.mem.read16(0x104, false));
    }

    @Test
    void arithmeticInAllForms() {
        Rig rig = new Rig();
        rig.fld(10);
        rig.fld(4);
        rig.x87(0xd8, 0xe1); // FSUB st, st(1): 4 - 10
        assertEquals(-6, Double.longBitsToDouble(peek(rig)));
        rig.x87(0xd8, 0xe9); // FSUBR st, st(1): 10 - (-6)
        assertEquals(16, Double.longBitsToDouble(peek(rig)));
        rig.x87(0xdc, 0xf9); // FDIV st(1), st: 10 / 16 (DC F8+i is ST(i) = ST(i) / ST(0))
        rig.x87(0xd9, 0xc9); // FXCH
        assertEquals(0.625, Double.longBitsToDouble(peek(rig)));
        rig.x87(0xdc, 0xe1); // FSUBR st(1), st: st(1) = st(0) - st(1) = 0.625 - 16
        rig.x87(0xd9, 0xc9);
        assertEquals(-15.375, Double.longBitsToDouble(peek(rig)));
        rig.mem.write32(0x100, 3, false);
        rig.x87m(0xda, 1, 0x100); // FIMUL m32int
        assertEquals(-46.125, Double.longBitsToDouble(peek(rig)));
        rig.mem.write64(0x108, Double.doubleToRawLongBits(2.0), false);
        rig.x87m(0xdc, 7, 0x108); // FDIVR m64: 2 / st
        assertEquals(2 / -46.125, Double.longBitsToDouble(peek(rig)));
        rig.mem.write32(0x110, Float.floatToRawIntBits(0.5f), false);
        rig.x87m(0xd8, 0, 0x110); // FADD m32
        assertEquals(2 / -46.125 + 0.5, Double.longBitsToDouble(peek(rig)));
        rig.x87(0xde, 0xc1); // FADDP st(1), st
        assertEquals(2 / -46.125 + 0.5 + 0.625, rig.fstp());
        assertEquals(0, rig.r.tagValid);
    }

    private static long peek(Rig rig) {
        rig.x87(0xd9, 0xc0);
        return Double.doubleToRawLongBits(rig.fstp());
    }

    @Test
    void comparesSetConditionCodesAndEflags() {
        Rig rig = new Rig();
        rig.fld(2);
        rig.fld(1);
        rig.x87(0xd8, 0xd1); // FCOM st(1): 1 < 2
        assertEquals(C0, rig.fnstsw() & (C0 | C2 | C3));
        rig.x87(0xdb, 0xf1); // FCOMI st, st(1)
        assertEquals(CpuState.CF, rig.cpu.rflags() & (CpuState.CF | CpuState.ZF | CpuState.PF));
        rig.x87(0xd9, 0xc9);
        rig.x87(0xdb, 0xe9); // FUCOMI: 2 > 1
        assertEquals(0, rig.cpu.rflags() & (CpuState.CF | CpuState.ZF | CpuState.PF));
        rig.x87(0xd9, 0xe4); // FTST
        assertEquals(0, rig.fnstsw() & (C0 | C2 | C3));
        rig.x87(0xde, 0xd9); // FCOMPP
        assertEquals(0, rig.r.tagValid);
        rig.fld(Double.NaN);
        rig.fld(0);
        rig.x87(0xdf, 0xe9); // FUCOMIP: unordered
        assertEquals(CpuState.CF | CpuState.ZF | CpuState.PF, rig.cpu.rflags() & (CpuState.CF | CpuState.ZF | CpuState.PF));
        rig.x87(0xdd, 0xe1); // FUCOM st(1) against... st(1) is empty now: underflow, unordered
        assertEquals(C0 | C2 | C3, rig.fnstsw() & (C0 | C2 | C3));
        rig.x87(0xdf, 0xe0); // FNSTSW AX
        assertEquals(rig.r.statusWord(), rig.cpu.gpr[0] & 0xffff);
        // exact compare of values that only differ beyond double precision
        rig.fild(Long.MAX_VALUE);
        rig.fild(Long.MAX_VALUE - 1);
        rig.x87(0xdb, 0xf1);
        assertEquals(CpuState.CF, rig.cpu.rflags() & (CpuState.CF | CpuState.ZF | CpuState.PF));
    }

    @Test
    void fxamClassifies() {
        Rig rig = new Rig();
        int[] want = {C2, C2 | C0, C0, C3, C2, C3 | C0}; // a double denormal is normal in the 80-bit format
        double[] v = {1.5, Double.NEGATIVE_INFINITY, Double.NaN, 0.0, Double.MIN_VALUE};
        for (int i = 0; i < v.length; i++) {
            rig.fld(v[i]);
            rig.x87(0xd9, 0xe5);
            int sw = rig.fnstsw();
            assertEquals(want[i], sw & (C0 | C2 | C3), "class of " + v[i]);
            assertEquals(v[i] < 0 ? C1 : 0, sw & C1);
            rig.fstp();
        }
        rig.x87(0xd9, 0xe5); // empty
        assertEquals(want[5], rig.fnstsw() & (C0 | C2 | C3));
        rig.mem.write64(0x100, 0x0000000000000123L, false); // an 80-bit denormal
        rig.mem.write16(0x108, 0x8000, false);
        rig.x87m(0xdb, 5, 0x100);
        rig.x87(0xd9, 0xe5);
        assertEquals(C3 | C2 | C1, rig.fnstsw() & (C0 | C1 | C2 | C3));
    }

    @Test
    void exactOperationsOnTheExponent() {
        Rig rig = new Rig();
        rig.fld(3);
        rig.fld(1.5);
        rig.x87(0xd9, 0xfd); // FSCALE: 1.5 * 2^3
        assertEquals(12, Double.longBitsToDouble(peek(rig)));
        rig.x87(0xd9, 0xf4); // FXTRACT: st0 = significand 1.5, st1 = exponent 3
        assertEquals(1.5, rig.fstp());
        assertEquals(3, rig.fstp());
        rig.fstp();
        rig.fld(-2.5);
        rig.x87(0xd9, 0xfc); // FRNDINT nearest-even
        assertEquals(-2.0, rig.fstp());
        rig.fldcw(0x37f | 0x800); // up
        rig.fld(-2.5);
        rig.x87(0xd9, 0xfc);
        assertEquals(-2.0, rig.fstp());
        rig.fld(2.1);
        rig.x87(0xd9, 0xfc);
        assertEquals(3.0, rig.fstp());
        rig.fldcw(0x37f);
        rig.fld(-3);
        rig.x87(0xd9, 0xe0); // FCHS
        assertEquals(3, Double.longBitsToDouble(peek(rig)));
        rig.x87(0xd9, 0xe0);
        rig.x87(0xd9, 0xe1); // FABS
        assertEquals(3, rig.fstp());
    }

    @Test
    void remaindersAndFunctions() {
        Rig rig = new Rig();
        rig.fld(3);
        rig.fld(17);
        rig.x87(0xd9, 0xf8); // FPREM: 17 mod 3 = 2, quotient 5 = 101b -> C0=1 (Q2), C3=0 (Q1), C1=1 (Q0)
        assertEquals(C0 | C1, rig.fnstsw() & (C0 | C1 | C2 | C3));
        assertEquals(2, rig.fstp());
        rig.fld(17);
        rig.x87(0xd9, 0xf5); // FPREM1: 17 - 6*3 = -1
        assertEquals(-1, rig.fstp());
        rig.fstp();
        rig.fld(2);
        rig.x87(0xd9, 0xfa); // FSQRT
        assertEquals(Math.sqrt(2), rig.fstp());
        rig.fld(0.5);
        rig.x87(0xd9, 0xfb); // FSINCOS: st0 = cos, st1 = sin
        assertEquals(Math.cos(0.5), rig.fstp());
        assertEquals(Math.sin(0.5), rig.fstp());
        rig.fld(1);
        rig.x87(0xd9, 0xf2); // FPTAN pushes 1
        assertEquals(1.0, rig.fstp());
        assertEquals(Math.tan(1), rig.fstp());
        rig.fld(3);
        rig.fld(8);
        rig.x87(0xd9, 0xf1); // FYL2X: 3 * log2(8)
        assertEquals(9, rig.fstp(), 1e-15);
        rig.fld(1);
        rig.fld(1);
        rig.x87(0xd9, 0xf3); // FPATAN: atan2(1, 1)
        assertEquals(Math.PI / 4, rig.fstp());
        rig.fld(0.5);
        rig.x87(0xd9, 0xf0); // F2XM1
        assertEquals(Math.sqrt(2) - 1, rig.fstp(), 1e-15);
        rig.fld(0);
        rig.fld(1e300);
        rig.x87(0xd9, 0xf8); // FPREM with a zero divisor (ST1): invalid
        assertTrue((rig.fnstsw() & 1) != 0);
    }

    @Test
    void stackOverflowAndUnderflowGiveTheIndefinite() {
        Rig rig = new Rig();
        for (int i = 0; i < 8; i++) rig.x87(0xd9, 0xe8);
        rig.x87(0xd9, 0xe8); // ninth push
        int sw = rig.fnstsw();
        assertEquals(0x41 | C1, sw & (0x41 | C1), "IE, SF, C1 = overflow");
        assertEquals(0xffff, rig.stSe(0));
        assertEquals(0xc000000000000000L, rig.stM(0));
        rig.x87(0xdb, 0xe3); // FNINIT
        assertEquals(0x37f, rig.r.fcw);
        assertEquals(0, rig.r.tagValid);
        assertEquals(0xffffffffffffffffL, Double.doubleToRawLongBits(rig.fstp()) | 0x7fffffffffffffffL, "negative");
        assertEquals(0x41, rig.fnstsw() & 0x41 | 0, "underflow: IE, SF");
        assertEquals(0, rig.fnstsw() & C1);
    }

    @Test
    void fcmovAndFxchAndFfree() {
        Rig rig = new Rig();
        rig.fld(5);
        rig.fld(6);
        rig.cpu.setRflags(CpuState.CF);
        rig.x87(0xda, 0xc1); // FCMOVB st, st(1): taken
        assertEquals(5, Double.longBitsToDouble(peek(rig)));
        rig.fld(7);
        rig.x87(0xdb, 0xc1); // FCMOVNB: not taken
        assertEquals(7, Double.longBitsToDouble(peek(rig)));
        rig.x87(0xd9, 0xca); // FXCH st(2)
        assertEquals(5, Double.longBitsToDouble(peek(rig)));
        rig.x87(0xdd, 0xc1); // FFREE st(1)
        assertEquals(0, rig.r.tagValid & (1 << ((rig.r.top + 1) & 7)), "ST(1) empty");
        assertEquals(2, Integer.bitCount(rig.r.tagValid));
        rig.x87(0xd9, 0xf7); // FINCSTP
        rig.x87(0xd9, 0xf6); // FDECSTP
        assertEquals(5, Double.longBitsToDouble(peek(rig)));
    }

    @Test
    void bcdLoadAndStore() {
        Rig rig = new Rig();
        rig.mem.write64(0x100, 0x0000001234567890L, false);
        rig.mem.write16(0x108, 0x8000, false);
        rig.x87m(0xdf, 4, 0x100); // FBLD
        rig.x87(0xd9, 0xc0);
        assertEquals(-1234567890.0, rig.fstp());
        rig.x87m(0xdf, 6, 0x200); // FBSTP
        assertEquals(0x0000001234567890L, rig.mem.read64(0x200, false));
        assertEquals(0x8000, rig.mem.read16(0x208, false));
    }

    @Test
    void environmentAndSaveImagesRoundTrip() {
        Rig rig = new Rig();
        rig.fld(1.25);
        rig.fild(Long.MIN_VALUE + 3);
        rig.fldcw(0x27f);
        rig.x87m(0xd9, 6, 0x100); // FNSTENV (28 bytes): masks all exceptions afterwards
        assertEquals(0x27f, rig.mem.read32(0x100, false) & 0xffff);
        assertEquals(6 << 11, rig.mem.read32(0x104, false) & 0x3800, "TOP = 6");
        assertEquals(0x0fff, rig.mem.read32(0x108, false) & 0xffff, "tags: st0, st1 valid (00), others empty");
        rig.x87m(0xdd, 6, 0x200); // FNSAVE (108 bytes) then FNINIT
        assertEquals(0, rig.r.tagValid);
        assertEquals(0x37f, rig.r.fcw);
        assertEquals(0xfffffffffffffffaL, rig.mem.read64(0x200 + 28, false), "ST0 significand of -(2^63 - 3)");
        assertEquals(0xc03d, rig.mem.read16(0x200 + 28 + 8, false), "negative, exponent 62");
        rig.x87m(0xdd, 4, 0x200); // FRSTOR
        assertEquals(0x27f, rig.r.fcw);
        assertEquals(Long.MIN_VALUE + 3, rig.fistp());
        assertEquals(1.25, rig.fstp());
        rig.x87m(0xd9, 4, 0x100); // FLDENV
        assertEquals(6, rig.r.top);
    }

    @Test
    void realModeEnvironmentSplitsTheLinearPointers() {
        Rig rig = new Rig();
        rig.cpu.cr0 = CpuState.CR0_ET;
        rig.cpu.efer = 0;
        rig.cpu.seg[CpuState.CS].longMode = false;
        rig.cpu.seg[CpuState.CS].base = 0x12340;
        rig.cpu.rip = 0x5678;
        rig.mem.write64(0x9abc, Double.doubleToRawLongBits(2.0), false);
        rig.unit.x87(0xdd, 0x04, 0x9abc, rig.mem, false, false); // FLD m64 with ModRM 04
        rig.x87m(0xd9, 6, 0x100); // FNSTENV, 32-bit real-mode layout
        assertEquals(0x79b8, rig.mem.read32(0x10c, false) & 0xffff, "FIP[15:0] of linear 0x179b8");
        assertEquals(1 << 12 | 0x504, rig.mem.read32(0x110, false), "FIP[31:16] << 12 | FOP (DD 04 -> 5 << 8 | 04)");
        assertEquals(0x9abc, rig.mem.read32(0x114, false) & 0xffff);
        assertEquals(0, rig.mem.read32(0x118, false));
        rig.r.fip = 0;
        rig.r.fop = 0;
        rig.x87m(0xd9, 4, 0x100); // FLDENV
        assertEquals(0x179b8, rig.r.fip);
        assertEquals(0x504, rig.r.fop);
        rig.unit.x87(0xd9, 0x34, 0x200, rig.mem, false, true); // FNSTENV, 16-bit layout
        assertEquals(0x79b8, rig.mem.read16(0x206, false));
        assertEquals(1 << 12 | 0x504, rig.mem.read16(0x208, false));
    }
}
