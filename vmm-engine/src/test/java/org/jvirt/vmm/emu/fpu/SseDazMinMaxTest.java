package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F3;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * MIN/MAX under DAZ return the chosen operand as DAZ left it: a denormal input comes back as a
 * signed zero, not with its original bits (found by the KVM differential test, seed 404:
 * maxsd with DAZ, a positive denormal destination and a negative source gave +0 on the host CPU;
 * seeds 6430, 9455, 15478: with a NaN destination the denormal source also comes back as zero).
 */
class SseDazMinMaxTest {
    private static final long DENORMAL_D = 0x1L, MINUS_ONE_D = 0xBFF0000000000000L, ONE_D = 0x3FF0000000000000L;
    private static final int DAZ = 0x40;

    @Test
    void maxsdReturnsAFlushedDenormalAsZero() {
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 | DAZ;
        rig.xmm(0, DENORMAL_D, 7);
        rig.xmm(1, MINUS_ONE_D, 0);
        rig.sse0f(0x5f, PREFIX_F2, 0, 1); // MAXSD xmm0, xmm1
        assertEquals(0L, rig.lo(0), "+denormal flushed to +0 is the larger");
        assertEquals(7L, rig.hi(0), "upper lane kept");
        rig.xmm(2, 0x8000000000000005L, 0);
        rig.xmm(3, ONE_D, 0);
        rig.sse0f(0x5d, PREFIX_F2, 2, 3); // MINSD xmm2, xmm3
        assertEquals(0x8000000000000000L, rig.lo(2), "-denormal flushed to -0 is the smaller");
    }

    @Test
    void minpsAndMaxssFlushLikewiseAndKeepRawBitsWithoutDaz() {
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 | DAZ;
        rig.xmm(0, 0x00000001_00000003L, 0);            // lanes: +denormal, +denormal
        rig.xmm(1, 0x3F800000_3F800000L, 0);            // 1.0f, 1.0f
        rig.sse0f(0x5d, PREFIX_NONE, 0, 1);             // MINPS
        assertEquals(0L, rig.lo(0));
        rig.xmm(2, 0x80000009L, 0);                      // -denormal
        rig.xmm(3, 0xBF800000L, 0);                      // -1.0f
        rig.sse0f(0x5f, PREFIX_F3, 2, 3);               // MAXSS
        assertEquals(0x80000000L, rig.lo(2) & 0xFFFFFFFFL);
        Rig plain = new Rig();
        plain.xmm(0, DENORMAL_D, 0);
        plain.xmm(1, MINUS_ONE_D, 0);
        plain.sse0f(0x5f, PREFIX_F2, 0, 1);
        assertEquals(DENORMAL_D, plain.lo(0), "without DAZ the denormal itself");
    }

    @Test
    void withANanOperandTheReturnedDenormalSourceIsFlushedToo() {
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 | DAZ;
        rig.xmm(1, 0xfff80000_00000000L, 0);            // lane 1: a float QNaN, lane 0: +0
        rig.xmm(2, 0x00100000_80000001L, 0);            // lane 1: +denormal, lane 0: -denormal
        rig.sse0f(0x5d, PREFIX_NONE, 1, 2);             // MINPS xmm1, xmm2
        assertEquals(0x00000000_80000000L, rig.lo(1), "NaN lane: the source, flushed; zero lane: min(+0, -0) = the source -0");
        rig.xmm(3, 0x7ff8000000000000L, 0);
        rig.xmm(4, 0x800fffffffffffffL, 0);
        rig.sse0f(0x5f, PREFIX_F2, 3, 4);               // MAXSD xmm3 (QNaN), xmm4 (-denormal)
        assertEquals(0x8000000000000000L, rig.lo(3));
    }
}
