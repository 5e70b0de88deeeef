package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvirt.vmm.emu.cpu.CpuHarness.faults;
import static org.jvirt.vmm.emu.cpu.CpuHarness.halted;
import static org.jvirt.vmm.emu.cpu.CpuHarness.reachesUserHlt;
import static org.jvirt.vmm.emu.cpu.CpuState.*;

import org.junit.jupiter.api.Test;

/** Hand-checked decoding and execution cases in 16-, 32- and 64-bit mode. */
class X86CpuTest {
    @Test
    void rexByteRegistersReachSilAndSpl() {
        CpuHarness h = CpuHarness.long64();
        h.set(RSP, 0x8077);
        h.set(RAX, 0x1100);
        // mov sil,7Fh; mov al,spl (REX); mov cl,ah (no REX: AH)
        h.code(0x40, 0xb6, 0x7f, 0x40, 0x88, 0xe0, 0x88, 0xe1);
        halted(h);
        assertEquals(0x7f, h.r(RSI) & 0xff);
        assertEquals(0x1177, h.r(RAX) & 0xffff);
        assertEquals(0x11, h.r(RCX) & 0xff);
    }

    @Test
    void rexBSelectsR8ToR15() {
        CpuHarness h = CpuHarness.long64();
        // mov r9b,5; mov r12,r9 (4D 89 CC); push r12; pop r15
        h.code(0x41, 0xb1, 0x05, 0x4d, 0x89, 0xcc, 0x41, 0x54, 0x41, 0x5f);
        halted(h);
        assertEquals(5, h.r(9));
        assertEquals(5, h.r(12));
        assertEquals(5, h.r(15));
        assertEquals(0x8000, h.r(RSP));
    }

    @Test
    void ripRelativeAddressing() {
        CpuHarness h = CpuHarness.long64();
        h.poke64(0x2000, 0x0123456789abcdefL);
        // mov rax,[rip+0FF9h]: next RIP is 0x1007, so the operand is at 0x2000
        h.code(0x48, 0x8b, 0x05, 0xf9, 0x0f, 0x00, 0x00);
        halted(h);
        assertEquals(0x0123456789abcdefL, h.r(RAX));
    }

    @Test
    void sibWithoutBase() {
        CpuHarness h = CpuHarness.long64();
        h.poke32(0x2008, 0xcafe);
        h.set(RCX, 2);
        // mov eax,[rcx*4+2000h]
        h.code(0x8b, 0x04, 0x8d, 0x00, 0x20, 0x00, 0x00);
        h.set(RAX, -1);
        halted(h);
        assertEquals(0xcafe, h.r(RAX), "32-bit result zero-extends");
    }

    @Test
    void sixteenBitAddressingForms() {
        CpuHarness h = CpuHarness.real();
        h.set(RBX, 0x1000);
        h.set(RSI, 0x0020);
        h.set(RBP, 0xfff0);
        // lea ax,[bx+si+5]; lea dx,[bp+si] (wraps at 64 KiB)
        h.code(0x8d, 0x40, 0x05, 0x8d, 0x12);
        halted(h);
        assertEquals(0x1025, h.r(RAX) & 0xffff);
        assertEquals(0x0010, h.r(RDX) & 0xffff);
    }

    @Test
    void sixtyFourBitMultiply() {
        CpuHarness h = CpuHarness.long64();
        h.set(RAX, -1L);
        h.set(RBX, 2);
        h.code(0x48, 0xf7, 0xe3); // mul rbx
        halted(h);
        assertEquals(0xfffffffffffffffeL, h.r(RAX));
        assertEquals(1, h.r(RDX));
        assertEquals(CF | OF, h.st.rflags() & (CF | OF));

        h = CpuHarness.long64();
        h.set(RAX, -3);
        h.set(RBX, 5);
        h.code(0x48, 0xf7, 0xeb); // imul rbx
        halted(h);
        assertEquals(-15, h.r(RAX));
        assertEquals(-1, h.r(RDX));
        assertEquals(0, h.st.rflags() & (CF | OF));

        h = CpuHarness.long64();
        h.set(RAX, 0x100000000L);
        h.set(RCX, 0x100000000L);
        h.code(0x48, 0x0f, 0xaf, 0xc1); // imul rax,rcx: 2^64 overflows
        halted(h);
        assertEquals(0, h.r(RAX));
        assertEquals(CF | OF, h.st.rflags() & (CF | OF));
    }

    @Test
    void sixtyFourBitDivide() {
        CpuHarness h = CpuHarness.long64();
        h.set(RDX, 1);
        h.set(RAX, 0);
        h.set(RBX, 2);
        h.code(0x48, 0xf7, 0xf3); // div rbx: 2^64 / 2
        halted(h);
        assertEquals(0x8000000000000000L, h.r(RAX));
        assertEquals(0, h.r(RDX));

        h = CpuHarness.long64();
        h.set(RDX, 0x123);
        h.set(RAX, 0x456);
        h.set(RBX, 0x1000);
        h.code(0x48, 0xf7, 0xf3);
        halted(h);
        // (0x123 << 64 | 0x456) / 0x1000 = 0x123 << 52 | 0, remainder 0x456
        assertEquals(0x1230000000000000L, h.r(RAX));
        assertEquals(0x456, h.r(RDX));

        h = CpuHarness.long64();
        h.set(RDX, -1);
        h.set(RAX, -7);
        h.set(RBX, 2);
        h.code(0x48, 0xf7, 0xfb); // idiv rbx: -7 / 2
        halted(h);
        assertEquals(-3, h.r(RAX));
        assertEquals(-1, h.r(RDX));
    }

    @Test
    void divideOverflowAndZeroRaiseDeWithoutSideEffects() {
        CpuHarness h = CpuHarness.long64();
        h.set(RDX, 2);
        h.set(RAX, 0);
        h.set(RBX, 2);
        h.code(0x48, 0xf7, 0xf3);
        faults(h, CpuFault.DE);
        assertEquals(2, h.r(RDX));
        assertEquals(0, h.r(RAX));

        h = CpuHarness.protected32();
        h.set(RCX, 0);
        h.code(0xf7, 0xf1); // div ecx
        faults(h, CpuFault.DE);
    }

    @Test
    void cmpxchg16b() {
        CpuHarness h = CpuHarness.long64();
        h.poke64(0x3000, 1);
        h.poke64(0x3008, 2);
        h.set(RSI, 0x3000);
        h.set(RAX, 1);
        h.set(RDX, 2);
        h.set(RBX, 0xb);
        h.set(RCX, 0xc);
        h.code(0xf0, 0x48, 0x0f, 0xc7, 0x0e); // lock cmpxchg16b [rsi]
        halted(h);
        assertEquals(0xb, h.peek64(0x3000));
        assertEquals(0xc, h.peek64(0x3008));
        assertTrue((h.st.rflags() & ZF) != 0);

        h = CpuHarness.long64();
        h.poke64(0x3000, 5);
        h.poke64(0x3008, 6);
        h.set(RSI, 0x3000);
        h.code(0x48, 0x0f, 0xc7, 0x0e);
        halted(h);
        assertEquals(5, h.r(RAX));
        assertEquals(6, h.r(RDX));
        assertEquals(0, h.st.rflags() & ZF);

        h = CpuHarness.long64();
        h.set(RSI, 0x3008); // misaligned
        h.code(0x48, 0x0f, 0xc7, 0x0e);
        faults(h, CpuFault.GP);
    }

    @Test
    void cmpxchg8bAndXadd() {
        CpuHarness h = CpuHarness.protected32();
        h.poke64(0x3000, 0x0000000200000001L);
        h.set(RSI, 0x3000);
        h.set(RAX, 1);
        h.set(RDX, 2);
        h.set(RBX, 0x33);
        h.set(RCX, 0x44);
        h.set(RDI, 10);
        h.poke32(0x3010, 5);
        // cmpxchg8b [esi]; xadd [esi+10h],edi
        h.code(0x0f, 0xc7, 0x0e, 0x0f, 0xc1, 0x7e, 0x10);
        halted(h);
        assertEquals(0x0000004400000033L, h.peek64(0x3000));
        assertEquals(15, h.peek32(0x3010));
        assertEquals(5, h.r(RDI));
    }

    @Test
    void repMovsWith32BitAddressing() {
        CpuHarness h = CpuHarness.protected32();
        for (int i = 0; i < 12; i++) h.ram[0x4000 + i] = (byte) (i + 1);
        h.set(RSI, 0x4000);
        h.set(RDI, 0x5000);
        h.set(RCX, 3);
        h.code(0xf3, 0xa5); // rep movsd
        halted(h);
        for (int i = 0; i < 12; i++) assertEquals(i + 1, h.ram[0x5000 + i]);
        assertEquals(0x400c, h.r(RSI));
        assertEquals(0x500c, h.r(RDI));
        assertEquals(0, h.r(RCX));
    }

    @Test
    void addressSizePrefixInRealModeUsesEsiEdiEcx() {
        CpuHarness small = CpuHarness.real();
        small.set(RSI, 0x10000);
        small.code(0x67, 0xac); // lodsb [esi] beyond the 64 KiB limit
        faults(small, CpuFault.GP);

        CpuHarness h = CpuHarness.real();
        h.st.seg[DS].limit = 0xffffffffL; // "unreal" mode: real mode with 4 GiB data limits
        h.st.seg[ES].limit = 0xffffffffL;
        h.ram[0x4000] = 0x5a;
        h.ram[0x4001] = 0x5b;
        h.set(RSI, 0x4000);
        h.set(RDI, 0x6000);
        h.set(RCX, 0x10002); // ECX = 0x10002: a 16-bit count would be 2 as well, so check the high half
        h.code(0x67, 0xf3, 0xa4); // rep movsb with 32-bit addressing: copies 0x10002 bytes
        halted(h);
        assertEquals(0x5a, h.ram[0x6000]);
        assertEquals(0x5b, h.ram[0x6001]);
        assertEquals(0, h.r(RCX));
        assertEquals(0x14002, h.r(RSI));
    }

    @Test
    void repeScasStopsOnMismatchIn64BitMode() {
        CpuHarness h = CpuHarness.long64();
        byte[] s = {7, 7, 7, 9, 7};
        System.arraycopy(s, 0, h.ram, 0x4000, s.length);
        h.set(RDI, 0x4000);
        h.set(RCX, 5);
        h.set(RAX, 7);
        h.code(0xf3, 0xae); // repe scasb
        halted(h);
        assertEquals(0x4004, h.r(RDI));
        assertEquals(1, h.r(RCX));
        assertEquals(0, h.st.rflags() & ZF);
    }

    @Test
    void lazyFlagsSurvivePushf() {
        CpuHarness h = CpuHarness.long64();
        h.set(RAX, 0x7fffffff);
        h.set(RBX, 1);
        // add eax,ebx; pushfq; pop rcx
        h.code(0x01, 0xd8, 0x9c, 0x59);
        halted(h);
        long f = h.r(RCX);
        assertEquals(OF | SF | AF | PF, f & STATUS_FLAGS);
        assertEquals(2, f & 2);
    }

    @Test
    void incPreservesCarryAndSbbUsesIt() {
        CpuHarness h = CpuHarness.long64();
        // stc; mov al,0FFh; inc al; mov bl,5; sbb bl,1 (CF still 1 from before INC -> 3)
        h.code(0xf9, 0xb0, 0xff, 0xfe, 0xc0, 0xb3, 0x05, 0x80, 0xdb, 0x01);
        halted(h);
        assertEquals(0, h.r(RAX) & 0xff);
        assertEquals(3, h.r(RBX) & 0xff);
        assertEquals(0, h.st.rflags() & (CF | ZF));
    }

    @Test
    void conditionalMovesSetsAndJumps() {
        CpuHarness h = CpuHarness.long64();
        h.set(RAX, 3);
        h.set(RBX, 5);
        h.set(RDX, 0x77);
        // cmp eax,ebx; cmovb ecx,edx; setl sil; jb +2; mov dl,1; (skipped) ; ja -> not taken
        h.code(0x39, 0xd8, 0x0f, 0x42, 0xca, 0x40, 0x0f, 0x9c, 0xc6, 0x72, 0x02, 0xb2, 0x01);
        halted(h);
        assertEquals(0x77, h.r(RCX));
        assertEquals(1, h.r(RSI) & 0xff);
        assertEquals(0x77, h.r(RDX));
    }

    @Test
    void callAndReturnIn64BitMode() {
        CpuHarness h = CpuHarness.long64();
        // call +1; hlt; (target:) mov eax,42; ret
        h.code(0xe8, 0x01, 0x00, 0x00, 0x00, 0xf4, 0xb8, 42, 0, 0, 0, 0xc3);
        halted(h);
        assertEquals(42, h.r(RAX));
        assertEquals(0x8000, h.r(RSP));
        assertEquals(CpuHarness.CODE + 6, h.st.rip);
    }

    @Test
    void negativeRel32AndPushImm32SignExtendIn64BitMode() {
        CpuHarness h = CpuHarness.long64();
        // jmp +5 (to the push); hlt x5 is skipped... layout: 0: jmp rel32 +6; 5: hlt; 6..: inc ecx; jmp rel32 back to 5
        // 1000: E9 01 00 00 00   jmp 1006
        // 1005: F4               hlt
        // 1006: FF C1            inc ecx
        // 1008: 68 FE FF FF FF   push -2
        // 100D: E9 F3 FF FF FF   jmp 1005 (rel32 = -13)
        h.code(0xe9, 0x01, 0x00, 0x00, 0x00, 0xf4, 0xff, 0xc1, 0x68, 0xfe, 0xff, 0xff, 0xff, 0xe9, 0xf3, 0xff, 0xff, 0xff);
        halted(h);
        assertEquals(1, h.r(RCX));
        assertEquals(CpuHarness.CODE + 6, h.st.rip);
        assertEquals(0x7ff8, h.r(RSP));
        assertEquals(-2L, h.peek64(0x7ff8));
    }

    @Test
    void movsxdAndOperandSizeOverride() {
        CpuHarness h = CpuHarness.long64();
        h.set(RBX, 0x80000000L);
        h.set(RCX, 0xffffffff_ffffffffL);
        // movsxd rax,ebx; mov cx,1234h (66 keeps the upper bits)
        h.code(0x48, 0x63, 0xc3, 0x66, 0xb9, 0x34, 0x12);
        halted(h);
        assertEquals(0xffffffff80000000L, h.r(RAX));
        assertEquals(0xffffffffffff1234L, h.r(RCX));
    }

    @Test
    void bitTestReachesBeyondTheOperand() {
        CpuHarness h = CpuHarness.long64();
        h.poke32(0x3004, 1 << 3);
        h.poke32(0x2ffc, 1 << 31);
        h.set(RSI, 0x3000);
        h.set(RAX, 35);
        h.set(RCX, -1);
        // bts [rsi],eax (bit 3 of the dword at +4, already set -> CF=1); setc bl; bt [rsi],ecx (bit 31 at -4)
        h.code(0x0f, 0xab, 0x06, 0x0f, 0x92, 0xc3, 0x0f, 0xa3, 0x0e);
        halted(h);
        assertEquals(1, h.r(RBX) & 0xff);
        assertEquals(CF, h.st.rflags() & CF);
        assertEquals(1 << 3, h.peek32(0x3004));
    }

    @Test
    void bitScansAndCounts() {
        CpuHarness h = CpuHarness.long64();
        h.set(RBX, 0x00f0);
        // bsf ecx,ebx; bsr edx,ebx; popcnt esi,ebx; lzcnt edi,ebx; tzcnt r8d,ebx
        h.code(0x0f, 0xbc, 0xcb, 0x0f, 0xbd, 0xd3, 0xf3, 0x0f, 0xb8, 0xf3, 0xf3, 0x0f, 0xbd, 0xfb, 0xf3, 0x44, 0x0f, 0xbc, 0xc3);
        halted(h);
        assertEquals(4, h.r(RCX));
        assertEquals(7, h.r(RDX));
        assertEquals(4, h.r(RSI));
        assertEquals(24, h.r(RDI));
        assertEquals(4, h.r(8));
    }

    @Test
    void doubleShiftsAndRotateThroughCarry() {
        CpuHarness h = CpuHarness.protected32();
        h.set(RAX, 0x12345678);
        h.set(RBX, 0x9abcdef0L);
        h.set(RDX, 0x80);
        // shld eax,ebx,8; clc; rcl dl,1 (CF <- 1, DL <- 0)
        h.code(0x0f, 0xa4, 0xd8, 0x08, 0xf8, 0xd0, 0xd2);
        halted(h);
        assertEquals(0x3456789aL, h.r(RAX));
        assertEquals(0, h.r(RDX) & 0xff);
        assertEquals(CF, h.st.rflags() & CF);
    }

    @Test
    void lockOnANonLockableInstructionIsUd() {
        CpuHarness h = CpuHarness.long64();
        h.code(0xf0, 0x01, 0xd8); // lock add eax,ebx (register destination)
        faults(h, CpuFault.UD);

        h = CpuHarness.long64();
        h.set(RSI, 0x3000);
        h.poke32(0x3000, 1);
        h.set(RBX, 2);
        h.code(0xf0, 0x01, 0x1e); // lock add [rsi],ebx
        halted(h);
        assertEquals(3, h.peek32(0x3000));
    }

    @Test
    void invalidIn64BitMode() {
        CpuHarness h = CpuHarness.long64();
        h.code(0x06); // push es
        faults(h, CpuFault.UD);
    }

    @Test
    void nonCanonicalAccessIsGpAndStackIsSs() {
        CpuHarness h = CpuHarness.long64();
        h.set(RSI, 0x0000800000000000L);
        h.code(0x8b, 0x06); // mov eax,[rsi]
        faults(h, CpuFault.GP);

        h = CpuHarness.long64();
        h.set(RBP, 0x0000800000000000L);
        h.code(0x8b, 0x45, 0x00); // mov eax,[rbp+0]
        faults(h, CpuFault.SS);
    }

    @Test
    void segmentLimitsAndExpandDownIn32BitMode() {
        CpuHarness h = CpuHarness.protected32();
        h.st.seg[DS].limit = 0xfff;
        h.set(RSI, 0xffe);
        h.code(0x8b, 0x06); // mov eax,[esi]: bytes 0xffe..0x1001 exceed the limit
        faults(h, CpuFault.GP);

        h = CpuHarness.protected32();
        SegmentRegister es = h.st.seg[ES];
        es.type = 0x7; // expand-down read/write: valid offsets are limit+1 .. 0xffffffff
        es.limit = 0xfff;
        h.set(RDI, 0x800);
        h.code(0x26, 0x89, 0x07); // mov [es:edi],eax
        faults(h, CpuFault.GP);

        h = CpuHarness.protected32();
        h.st.seg[ES].type = 0x7;
        h.st.seg[ES].limit = 0xfff;
        h.set(RDI, 0x2000);
        h.set(RAX, 0x55);
        h.code(0x26, 0x89, 0x07);
        halted(h);
        assertEquals(0x55, h.peek32(0x2000));
    }

    @Test
    void pushFaultLeavesStackPointer() {
        CpuHarness h = CpuHarness.protected32();
        h.st.seg[SS].limit = 0x7fff;
        h.st.seg[SS].limit = 0x3; // push to 0x7ffc..0x7fff exceeds
        h.code(0x50);
        faults(h, CpuFault.SS);
        assertEquals(0x8000, h.r(RSP));
    }

    @Test
    void enterAndLeaveIn32BitMode() {
        CpuHarness h = CpuHarness.protected32();
        h.set(RBP, 0x9000);
        // enter 10h,0; mov ecx,ebp; leave
        h.code(0xc8, 0x10, 0x00, 0x00, 0x89, 0xe9, 0xc9);
        halted(h);
        assertEquals(0x7ffc, h.r(RCX));
        assertEquals(0x9000, h.r(RBP));
        assertEquals(0x8000, h.r(RSP));
        assertEquals(0x9000, h.peek32(0x7ffc));
    }

    @Test
    void pushaPopaAnd32BitStack() {
        CpuHarness h = CpuHarness.protected32();
        for (int i = 0; i < 8; i++) if (i != RSP) h.set(i, 0x100 + i);
        // pushad; xor eax,eax; popad
        h.code(0x60, 0x31, 0xc0, 0x61);
        halted(h);
        assertEquals(0x100, h.r(RAX));
        assertEquals(0x107, h.r(RDI));
        assertEquals(0x8000, h.r(RSP));
        assertEquals(0x8000, h.peek32(0x8000 - 20));
    }

    @Test
    void ioAndCpuidAndRdtsc() {
        CpuHarness h = CpuHarness.long64();
        h.set(RAX, 0xabc);
        h.set(RCX, 7);
        // in al,60h; mov edi,eax; mov eax,0Dh; cpuid (the test unit returns leaf, subleaf); mov esi,eax; rdtsc
        h.code(0xe4, 0x60, 0x89, 0xc7, 0xb8, 0x0d, 0, 0, 0, 0x0f, 0xa2, 0x89, 0xc6, 0x0f, 0x31);
        halted(h);
        assertEquals(0xa78, h.r(RDI));
        assertEquals(7, h.r(RBX));
        assertEquals(0x0d, h.r(RSI));
        assertEquals(0x55667788L, h.r(RAX));
        assertEquals(0x11223344L, h.r(RDX));
    }

    @Test
    void extensionOpcodesWithoutUnitAreUdOrNm() {
        CpuHarness h = CpuHarness.long64();
        h.code(0x0f, 0x28, 0xc1); // movaps xmm0,xmm1
        faults(h, CpuFault.UD);
        h = CpuHarness.long64();
        h.st.cr0 |= CR0_TS;
        h.code(0xd9, 0xe8); // fld1
        faults(h, CpuFault.NM);
    }

    @Test
    void extensionUnitGetsDecodedOperands() {
        CpuHarness h = CpuHarness.long64();
        int[] seen = new int[6];
        long[] la = new long[1];
        h.cpu.setExtensionUnit(new ExtensionUnit() {
            @Override public void x87(int escape, int modrm, long memLinear, LinearMemory mem, boolean user, boolean os16) { }
            @Override public boolean sse(int map, int opcode, int prefix, int modrm, int reg, int rm, long memLinear,
                                         LinearMemory mem, boolean user, boolean rexW, int imm8) {
                seen[0] = map; seen[1] = opcode; seen[2] = prefix; seen[3] = reg; seen[4] = imm8; seen[5] = rexW ? 1 : 0;
                la[0] = memLinear;
                return true;
            }
            @Override public void reset() { }
            @Override public void saveFxImage(byte[] out512) { }
            @Override public void loadFxImage(byte[] in512) { }
        });
        h.set(RBX, 0x3000);
        // pshufd xmm9,[rbx+8],1Bh : 66 44 0F 70 4B 08 1B
        h.code(0x66, 0x44, 0x0f, 0x70, 0x4b, 0x08, 0x1b);
        halted(h);
        assertEquals(ExtensionUnit.MAP_0F, seen[0]);
        assertEquals(0x70, seen[1]);
        assertEquals(ExtensionUnit.PREFIX_66, seen[2]);
        assertEquals(9, seen[3]);
        assertEquals(0x1b, seen[4]);
        assertEquals(0x3008, la[0]);
        assertEquals(CpuHarness.CODE + 8, h.st.rip);
    }

    @Test
    void bcdAdjust() {
        CpuHarness h = CpuHarness.real();
        // mov al,38h; add al,45h (=7Dh); daa -> 83h
        h.code(0xb0, 0x38, 0x04, 0x45, 0x27);
        halted(h);
        assertEquals(0x83, h.r(RAX) & 0xff);
    }

    @Test
    void movFromControlRegisterIgnoresMod() {
        CpuHarness h = CpuHarness.protected32();
        h.set(RAX, 0x1234);
        // mov eax,cr0 encoded with mod=00 rm=101: no displacement follows (the register form)
        h.code(0x0f, 0x20, 0x05, 0x90);
        halted(h);
        assertEquals(0, h.r(RBP), "CR0 as the test unit reads it, into EBP");
        assertEquals(0x1234, h.r(RAX));
        assertEquals(CpuHarness.CODE + 5, h.st.rip);
    }
}
