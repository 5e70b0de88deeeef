package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.junit.jupiter.api.Test;

/**
 * Which MXCSR flags an unmasked SIMD exception leaves, as the host CPU does (found by the KVM
 * differential test): an unmasked overflow reports PE only if the result is inexact with an
 * unbounded exponent (seed 354: addps x+x with OM unmasked gave OE alone; seeds 6208, 12151:
 * divss/divsd gave OE|PE, also seed 20032); an unmasked pre-computation exception in one lane (ZE) stops the instruction before
 * any result, so an inexact other lane reports no PE (seed 540: divpd with ZM unmasked); an
 * unmasked underflow traps on a tiny result even when it is exact (seed 13574: haddps), and a
 * conversion to single reports PE with it only if the significand was rounded (seed 103862:
 * cvtsd2ss gave UE alone).
 */
class SseUnmaskedExceptionFlagsTest {
    private static final int OE = 0x08, ZE = 0x04, OM = 0x400, ZM = 0x200;
    private static final long FLT_MAX_X2 = 0x7f7fffff_7f7fffffL;

    @Test
    void unmaskedOverflowOfAnExactSumReportsNoPrecision() {
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 & ~OM;
        rig.xmm(0, FLT_MAX_X2, FLT_MAX_X2);
        CpuFault f = assertThrows(CpuFault.class, () -> rig.sse0f(0x58, PREFIX_NONE, 0, 0)); // ADDPS xmm0, xmm0
        assertEquals(CpuFault.XM, f.vector);
        assertEquals(OE, rig.r.mxcsr & 0x3f, "OE only");
        assertEquals(FLT_MAX_X2, rig.lo(0), "destination unchanged");
        Rig masked = new Rig();
        masked.xmm(0, FLT_MAX_X2, FLT_MAX_X2);
        masked.sse0f(0x58, PREFIX_NONE, 0, 0);
        assertEquals(OE | 0x20, masked.r.mxcsr & 0x3f, "masked: OE and PE, result infinity");
    }

    @Test
    void unmaskedOverflowOfAnInexactQuotientReportsPrecision() {
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 & ~OM;
        rig.xmm(0, Double.doubleToRawLongBits(1e300), 0);
        rig.xmm(1, Double.doubleToRawLongBits(3e-10), 0);
        CpuFault f = assertThrows(CpuFault.class, () -> rig.sse0f(0x5e, org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2, 0, 1)); // DIVSD
        assertEquals(CpuFault.XM, f.vector);
        assertEquals(OE | 0x20, rig.r.mxcsr & 0x3f, "OE and PE: 1e300/3e-10 is inexact");
        Rig exact = new Rig();
        exact.r.mxcsr = 0x1f80 & ~OM;
        exact.xmm(0, Double.doubleToRawLongBits(0x1p1000), 0);
        exact.xmm(1, Double.doubleToRawLongBits(0x1p-100), 0);
        assertThrows(CpuFault.class, () -> exact.sse0f(0x5e, org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2, 0, 1));
        assertEquals(OE, exact.r.mxcsr & 0x3f, "2^1000 / 2^-100 is exact: OE alone");
        Rig far = new Rig(); // seed 20032: an exponent gap of about 2000 (no fixed rescaling brings it into range)
        far.r.mxcsr = 0x1f80 & ~OM;
        far.xmm(0, 0x7f7fffff00800000L, 0);
        far.xmm(1, 0x81b59b7dd223c197L, 0);
        assertThrows(CpuFault.class, () -> far.sse0f(0x5e, org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2, 0, 1));
        assertEquals(OE | 0x20, far.r.mxcsr & 0x3f, "1.4e306 / -2.0e-300 is inexact");
    }

    @Test
    void unmaskedZeroDivideInOneLaneHidesThePrecisionExceptionOfTheOther() {
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 & ~ZM;
        rig.xmm(0, Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(1.0));
        rig.xmm(1, 0, Double.doubleToRawLongBits(3.0));                        // lane 0: 1/0, lane 1: 1/3 (inexact)
        CpuFault f = assertThrows(CpuFault.class, () -> rig.sse0f(0x5e, PREFIX_66, 0, 1)); // DIVPD
        assertEquals(CpuFault.XM, f.vector);
        assertEquals(ZE, rig.r.mxcsr & 0x3f, "ZE only: no lane computed a result");
    }

    @Test
    void unmaskedUnderflowTrapsOnAnExactTinyResult() {
        int um = 0x800;
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 & ~um;
        rig.xmm(0, Double.doubleToRawLongBits(0x1p-1030), 0);  // a denormal, exactly representable
        rig.xmm(1, Double.doubleToRawLongBits(0x1p-1031), 0);
        CpuFault f = assertThrows(CpuFault.class, () -> rig.sse0f(0x58, org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2, 0, 1)); // ADDSD
        assertEquals(CpuFault.XM, f.vector);
        assertEquals(0x10 | 0x02, rig.r.mxcsr & 0x3f, "UE (and DE for the denormal inputs), no PE: the sum is exact");
        Rig masked = new Rig();
        masked.xmm(0, Double.doubleToRawLongBits(0x1p-1030), 0);
        masked.xmm(1, Double.doubleToRawLongBits(0x1p-1031), 0);
        masked.sse0f(0x58, org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2, 0, 1);
        assertEquals(0x02, masked.r.mxcsr & 0x3f, "masked: an exact tiny result is no underflow");
        assertEquals(Double.doubleToRawLongBits(0x1.8p-1030), masked.lo(0));
    }

    @Test
    void unmaskedUnderflowOfAnExactConversionReportsNoPrecision() {
        int um = 0x800;
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 & ~um;
        rig.xmm(1, Double.doubleToRawLongBits(0x1.8p-140), 0); // tiny for single, but 2 significant bits
        assertThrows(CpuFault.class, () -> rig.sse0f(0x5a, org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2, 0, 1)); // CVTSD2SS
        assertEquals(0x10, rig.r.mxcsr & 0x3f, "UE alone");
        Rig inexact = new Rig();
        inexact.r.mxcsr = 0x1f80 & ~um;
        inexact.xmm(1, Double.doubleToRawLongBits(0x1.0000000001p-140), 0);
        assertThrows(CpuFault.class, () -> inexact.sse0f(0x5a, org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2, 0, 1));
        assertEquals(0x30, inexact.r.mxcsr & 0x3f, "UE and PE: the significand is rounded");
    }
}
