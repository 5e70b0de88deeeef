package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F3A;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * ROUNDPS/PD/SS/SD honour DAZ: a denormal input is a signed zero, rounds to itself and raises
 * no PE (found by the KVM differential test, seeds 1873 and 4696: roundpd with RC=down gave -0.0
 * on the host CPU for a negative denormal, not -1.0; roundps of a denormal left PE clear).
 */
class SseDazRoundTest {
    private static final int DAZ = 0x40, RC_DOWN = 0x2000, PE = 0x20;

    @Test
    void roundpdOfANegativeDenormalUnderDazIsMinusZero() {
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 | DAZ | RC_DOWN;
        rig.xmm(1, 0x800000004f000000L, 0x0000000000000001L);
        rig.rr(MAP_0F3A, 0x09, PREFIX_66, 0, 1, 0x0c, false); // ROUNDPD xmm0, xmm1, MXCSR.RC, no PE
        assertEquals(0x8000000000000000L, rig.lo(0));
        assertEquals(0L, rig.hi(0));
        Rig plain = new Rig();
        plain.r.mxcsr = 0x1f80 | RC_DOWN;
        plain.xmm(1, 0x800000004f000000L, 0);
        plain.rr(MAP_0F3A, 0x09, PREFIX_66, 0, 1, 0x0c, false);
        assertEquals(0xBFF0000000000000L, plain.lo(0), "without DAZ: floor(-denormal) = -1.0");
    }

    @Test
    void roundpsOfADenormalUnderDazIsExact() {
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 | DAZ;
        rig.xmm(1, 0x0000000000000001L, 0);
        rig.rr(MAP_0F3A, 0x08, PREFIX_66, 0, 1, 0x05, false); // ROUNDPS, MXCSR.RC, PE reported
        assertEquals(0L, rig.lo(0));
        assertEquals(0, rig.r.mxcsr & PE, "no precision exception for a DAZ zero");
        Rig plain = new Rig();
        plain.xmm(1, 0x0000000000000001L, 0);
        plain.rr(MAP_0F3A, 0x08, PREFIX_66, 0, 1, 0x05, false);
        assertEquals(PE, plain.r.mxcsr & PE, "without DAZ the denormal rounds inexactly");
    }
}
