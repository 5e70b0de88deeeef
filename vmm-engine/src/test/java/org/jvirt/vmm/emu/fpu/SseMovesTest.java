package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F38;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F3A;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F3;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirt.vmm.emu.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** Moves, memory forms, GPR transfers, MMX, and the instructions the reference test does not cover. */
class SseMovesTest {
    private static final long A = 0x0706050403020100L, B = 0x0f0e0d0c0b0a0908L;

    @Test
    void alignedAndUnalignedLoadsAndStores() {
        Rig rig = new Rig();
        rig.mem.write64(0x100, A, false);
        rig.mem.write64(0x108, B, false);
        assertTrue(rig.rm(MAP_0F, 0x28, PREFIX_NONE, 3, 0x100)); // MOVAPS xmm3, [0x100]
        assertEquals(A, rig.lo(3));
        assertEquals(B, rig.hi(3));
        assertTrue(rig.rm(MAP_0F, 0x11, PREFIX_NONE, 3, 0x203)); // MOVUPS [0x203], xmm3
        assertEquals(0x0403020100000000L, rig.mem.read64(0x200, false));
        assertEquals(B, rig.mem.read64(0x20b, false));
        assertTrue(rig.rm(MAP_0F, 0x7f, PREFIX_66, 3, 0x300)); // MOVDQA store
        assertEquals(B, rig.mem.read64(0x308, false));
        assertTrue(rig.rm(MAP_0F, 0xe7, PREFIX_66, 3, 0x310)); // MOVNTDQ
        assertEquals(A, rig.mem.read64(0x310, false));
        rig.cpu.gpr[5] = 0x1122334455667788L;
        assertTrue(rig.rm(MAP_0F, 0xc3, PREFIX_NONE, 5, 0x320, 0, true)); // MOVNTI m64, rbp
        assertEquals(0x1122334455667788L, rig.mem.read64(0x320, false));
    }

    @Test
    void scalarMovesMergeFromRegistersAndZeroFromMemory() {
        Rig rig = new Rig();
        rig.xmm(0, -1L, -1L);
        rig.xmm(1, 0x1111111122222222L, 0x3333333344444444L);
        rig.sse0f(0x10, PREFIX_F3, 0, 1); // MOVSS xmm0, xmm1
        assertEquals(0xffffffff22222222L, rig.lo(0));
        assertEquals(-1L, rig.hi(0));
        rig.mem.write64(0x100, 0xaaaaaaaabbbbbbbbL, false);
        rig.rm(MAP_0F, 0x10, PREFIX_F3, 0, 0x100); // MOVSS xmm0, m32
        assertEquals(0xbbbbbbbbL, rig.lo(0));
        assertEquals(0, rig.hi(0));
        rig.xmm(0, -1L, -1L);
        rig.rm(MAP_0F, 0x10, PREFIX_F2, 0, 0x100); // MOVSD xmm0, m64
        assertEquals(0xaaaaaaaabbbbbbbbL, rig.lo(0));
        assertEquals(0, rig.hi(0));
        rig.rm(MAP_0F, 0x11, PREFIX_F3, 1, 0x200); // MOVSS m32, xmm1
        assertEquals(0x22222222L, rig.mem.read64(0x200, false));
        rig.xmm(2, 5, 6);
        rig.rm(MAP_0F, 0x16, PREFIX_NONE, 2, 0x100); // MOVHPS xmm2, m64
        assertEquals(5, rig.lo(2));
        assertEquals(0xaaaaaaaabbbbbbbbL, rig.hi(2));
        rig.rm(MAP_0F, 0x13, PREFIX_66, 1, 0x208); // MOVLPD m64, xmm1
        assertEquals(0x1111111122222222L, rig.mem.read64(0x208, false));
        rig.rm(MAP_0F, 0x17, PREFIX_NONE, 1, 0x210); // MOVHPS m64, xmm1
        assertEquals(0x3333333344444444L, rig.mem.read64(0x210, false));
        rig.xmm(3, 7, 8);
        rig.rr(MAP_0F, 0xd6, PREFIX_66, 1, 3, 0, false); // MOVQ xmm3, xmm1 (store form): zeroes the high half
        assertEquals(0x1111111122222222L, rig.lo(3));
        assertEquals(0, rig.hi(3));
    }

    @Test
    void movdAndMovqWithGeneralRegisters() {
        Rig rig = new Rig();
        rig.cpu.gpr[CpuState.RBX] = 0x8877665544332211L;
        rig.xmm(4, -1, -1);
        rig.rr(MAP_0F, 0x6e, PREFIX_66, 4, CpuState.RBX, 0, false); // MOVD xmm4, ebx
        assertEquals(0x44332211L, rig.lo(4));
        assertEquals(0, rig.hi(4));
        rig.rr(MAP_0F, 0x6e, PREFIX_66, 4, CpuState.RBX, 0, true); // MOVQ xmm4, rbx
        assertEquals(0x8877665544332211L, rig.lo(4));
        rig.xmm(5, 0xfedcba9876543210L, 1);
        rig.cpu.gpr[CpuState.RCX] = -1;
        rig.rr(MAP_0F, 0x7e, PREFIX_66, 5, CpuState.RCX, 0, false); // MOVD ecx, xmm5 (zero-extends)
        assertEquals(0x76543210L, rig.cpu.gpr[CpuState.RCX]);
        rig.rr(MAP_0F, 0x7e, PREFIX_66, 5, CpuState.RCX, 0, true); // MOVQ rcx, xmm5
        assertEquals(0xfedcba9876543210L, rig.cpu.gpr[CpuState.RCX]);
        rig.rm(MAP_0F, 0x7e, PREFIX_66, 5, 0x100, 0, false); // MOVD m32, xmm5
        assertEquals(0x76543210L, rig.mem.read64(0x100, false));
    }

    @Test
    void masksExtractsAndInserts() {
        Rig rig = new Rig();
        rig.xmm(1, 0x80000000_00000001L, 0x00000000_80000000L);
        rig.sse0f(0x50, PREFIX_NONE, 2, 1); // MOVMSKPS edx, xmm1
        assertEquals(0b0110, rig.cpu.gpr[2]);
        rig.sse0f(0x50, PREFIX_66, 2, 1); // MOVMSKPD
        assertEquals(0b01, rig.cpu.gpr[2]);
        rig.xmm(1, 0x8000_0080_ff00_0001L, 0x7f80_0000_0000_00ffL);
        rig.sse0f(0xd7, PREFIX_66, 2, 1); // PMOVMSKB
        assertEquals(0x4198, rig.cpu.gpr[2]); // bytes 3, 4, 7 of the low half; 0 and 6 of the high half
        rig.xmm(1, A, B);
        rig.rr(MAP_0F, 0xc5, PREFIX_66, 3, 1, 5, false); // PEXTRW ebx, xmm1, 5
        assertEquals(0x0b0aL, rig.cpu.gpr[3]);
        rig.rr(MAP_0F3A, 0x14, PREFIX_66, 1, 3, 13, false); // PEXTRB ebx, xmm1, 13
        assertEquals(0x0dL, rig.cpu.gpr[3]);
        rig.rr(MAP_0F3A, 0x16, PREFIX_66, 1, 3, 1, true); // PEXTRQ rbx, xmm1, 1
        assertEquals(B, rig.cpu.gpr[3]);
        rig.rr(MAP_0F3A, 0x16, PREFIX_66, 1, 3, 3, false); // PEXTRD ebx, xmm1, 3
        assertEquals(0x0f0e0d0cL, rig.cpu.gpr[3]);
        rig.cpu.gpr[6] = 0xabcdL;
        rig.rr(MAP_0F, 0xc4, PREFIX_66, 1, 6, 2, false); // PINSRW xmm1, esi, 2
        assertEquals(0x0706abcd03020100L, rig.lo(1));
        rig.rr(MAP_0F3A, 0x20, PREFIX_66, 1, 6, 15, false); // PINSRB xmm1, esi, 15
        assertEquals(0xcd0e0d0c0b0a0908L, rig.hi(1));
        rig.rr(MAP_0F3A, 0x22, PREFIX_66, 1, 6, 1, true); // PINSRQ xmm1, rsi, 1
        assertEquals(0xabcdL, rig.hi(1));
        rig.xmm(2, 0x3f800000_40000000L, 0x40400000_40800000L); // {2, 1, 4, 3}
        rig.xmm(1, -1, -1);
        rig.rr(MAP_0F3A, 0x21, PREFIX_66, 1, 2, 0b11_01_0100, false); // INSERTPS: src lane 3 -> lane 1, zero lane 2
        assertEquals(0x40400000_ffffffffL, rig.lo(1));
        assertEquals(0xffffffff_00000000L, rig.hi(1));
    }

    @Test
    void byteShiftsAndImmediateShifts() {
        Rig rig = new Rig();
        rig.xmm(2, A, B);
        rig.rr(MAP_0F, 0x73, PREFIX_66, 7, 2, 3, false); // PSLLDQ xmm2, 3
        assertEquals(0x0403020100000000L, rig.lo(2));
        assertEquals(0x0c0b0a0908070605L, rig.hi(2));
        rig.xmm(2, A, B);
        rig.rr(MAP_0F, 0x73, PREFIX_66, 3, 2, 9, false); // PSRLDQ xmm2, 9
        assertEquals(0x0f0e0d0c0b0a09L, rig.lo(2));
        assertEquals(0, rig.hi(2));
        rig.xmm(2, 0x8000_4000_0001_ffffL, 0);
        rig.rr(MAP_0F, 0x71, PREFIX_66, 4, 2, 4, false); // PSRAW xmm2, 4
        assertEquals(0xf800_0400_0000_ffffL, rig.lo(2));
        rig.rr(MAP_0F, 0x72, PREFIX_66, 6, 2, 40, false); // PSLLD by more than 31: zero
        assertEquals(0, rig.lo(2));
    }

    @Test
    void mmxRegistersAliasTheX87StackAndEmmsEmptiesIt() {
        Rig rig = new Rig();
        rig.cpu.gpr[0] = 0x0102030405060708L;
        rig.rr(MAP_0F, 0x6e, PREFIX_NONE, 1, 0, 0, true); // MOVQ mm1, rax
        rig.cpu.gpr[0] = 0x01010101010101ffL;
        rig.rr(MAP_0F, 0x6e, PREFIX_NONE, 2, 0, 0, true); // MOVQ mm2, rax
        rig.rr(MAP_0F, 0xfc, PREFIX_NONE, 1, 2, 0, false); // PADDB mm1, mm2
        assertEquals(0x0203040506070807L, rig.r.mant[1]);
        assertEquals(0xffff, rig.r.sexp[1]);
        assertEquals(0xff, rig.r.tagValid);
        assertEquals(0, rig.r.top);
        rig.rr(MAP_0F, 0xd6, PREFIX_F3, 3, 1, 0, false); // MOVQ2DQ xmm3, mm1
        assertEquals(0x0203040506070807L, rig.lo(3));
        rig.rr(MAP_0F, 0x7e, PREFIX_NONE, 1, 5, 0, true); // MOVQ rbp, mm1
        assertEquals(0x0203040506070807L, rig.cpu.gpr[5]);
        rig.sse0f(0x77, PREFIX_NONE, 0, 0); // EMMS
        assertEquals(0, rig.r.tagValid);
    }

    @Test
    void crc32UsesTheCastagnoliPolynomial() {
        Rig rig = new Rig();
        byte[] s = "123456789".getBytes();
        rig.cpu.gpr[0] = 0xffffffffL;
        for (byte b : s) {
            rig.cpu.gpr[1] = b;
            assertTrue(rig.rr(MAP_0F38, 0xf0, PREFIX_F2, 0, 1, 0, false));
        }
        assertEquals(0xe3069283L, ~rig.cpu.gpr[0] & 0xffffffffL); // the CRC-32C check value
        rig.cpu.gpr[0] = 0;
        rig.mem.write64(0x100, 0x3837363534333231L, false);
        rig.rm(MAP_0F38, 0xf1, PREFIX_F2, 0, 0x100, 0, true); // CRC32 rax, m64
        int expect = SseString.update(0, 0x3837363534333231L, 8);
        assertEquals(expect & 0xffffffffL, rig.cpu.gpr[0]);
    }

    @Test
    void stringCompareMaskFormAndStrlenIdiom() {
        Rig rig = new Rig();
        rig.xmm(0, 0, 0);
        rig.xmm(1, 0x6f6c6c6568L /* "hello" */, 0);
        rig.rr(MAP_0F3A, 0x63, PREFIX_66, 0, 1, 0x08, false); // PCMPISTRI equal-each against empty: strlen idiom
        assertEquals(5, rig.cpu.gpr[CpuState.RCX]);
        assertTrue((rig.cpu.rflags() & CpuState.ZF) != 0, "ZF: the source ends in this block");
        rig.xmm(2, 0x6c6fL /* "ol" */, 0);
        rig.rr(MAP_0F3A, 0x62, PREFIX_66, 2, 1, 0x00, false); // PCMPISTRM equal-any, bit mask
        assertEquals(0b11100, rig.lo(0));
        rig.rr(MAP_0F3A, 0x62, PREFIX_66, 2, 1, 0x40, false); // byte mask
        assertEquals(0xffffff0000L, rig.lo(0));
        assertEquals(0, rig.hi(0));
    }

    @Test
    void maskMoveWritesSelectedBytesAtRdi() {
        Rig rig = new Rig();
        rig.cpu.gpr[CpuState.RDI] = 0x100;
        rig.mem.write64(0x100, 0x5555555555555555L, false);
        rig.xmm(1, A, B);
        rig.xmm(2, 0x80_00_80_00_00_00_00_80L, 0);
        rig.sse0f(0xf7, PREFIX_66, 1, 2); // MASKMOVDQU xmm1, xmm2
        assertEquals(0x0755055555555500L, rig.mem.read64(0x100, false));
    }
}
