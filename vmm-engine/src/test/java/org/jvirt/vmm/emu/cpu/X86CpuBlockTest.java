package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvirt.vmm.emu.cpu.CpuHarness.halted;
import static org.jvirt.vmm.emu.cpu.CpuState.*;

import org.junit.jupiter.api.Test;

/** Block execution (CodeBlock): what must still happen at single-instruction boundaries inside a block. */
class X86CpuBlockTest {
    @Test
    void aStoreIntoTheNextInstructionOfTheSameBlockIsSeen() {
        CpuHarness h = CpuHarness.protected32();
        // 1000: C6 05 08 10 00 00 02   mov byte [1008h],2   (patches the immediate below)
        // 1007: B0 01                  mov al,1  -> mov al,2
        h.code(0xc6, 0x05, 0x08, 0x10, 0x00, 0x00, 0x02, 0xb0, 0x01);
        halted(h);
        assertEquals(2, h.r(RAX) & 0xff);
    }

    @Test
    void aStoreFromAnotherPageIntoALoopOfChainedBlocksIsSeen() {
        CpuHarness h = CpuHarness.protected32();
        h.code(0xb9, 0, 0, 0, 0, //       1000: mov ecx,0
                0xb0, 0x01, //            1005: mov al,1   (patched to mov al,7 in the second round)
                0x41, //                  1007: inc ecx
                0x83, 0xf9, 0x03, //      1008: cmp ecx,3
                0x74, 0x0b, //            100b: je 1018 (HLT)
                0x83, 0xf9, 0x02, //      100d: cmp ecx,2
                0x0f, 0x84, 0xea, 0x0f, 0, 0, // 1010: je 2000
                0xeb, 0xed); //           1016: jmp 1005 (linked to the block at 1005 in the first round)
        int[] patcher = {0xc6, 0x05, 0x06, 0x10, 0, 0, 0x07, // 2000: mov byte [1006h],7
                0xe9, 0x0a, 0xf0, 0xff, 0xff}; //               2007: jmp 1016
        for (int i = 0; i < patcher.length; i++) h.ram[0x2000 + i] = (byte) patcher[i];
        halted(h);
        assertEquals(3, h.r(RCX));
        assertEquals(7, h.r(RAX) & 0xff, "the third round ran the patched instruction");
        assertEquals(0, h.pageVersion[2], "the patcher's own page was never written");
    }

    @Test
    void registerFormsOfCmovAndMovsxdInABlockExtendAsTheGeneralPathDoes() {
        CpuHarness h = CpuHarness.long64();
        h.code(0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff, // mov rax,-1
                0x31, 0xc9, //                             xor ecx,ecx (ZF=1)
                0x0f, 0x45, 0xc1, //                       cmovnz eax,ecx: false, still zero-extends eax
                0xbb, 0x00, 0x00, 0x00, 0x80, //           mov ebx,80000000h
                0x48, 0x63, 0xd3, //                       movsxd rdx,ebx
                0x63, 0xf3, //                             movsxd esi,ebx (no REX.W: a 32-bit move)
                0x48, 0x0f, 0x44, 0xf8); //                cmovz rdi,rax: true
        halted(h);
        assertEquals(0xffffffffL, h.r(RAX));
        assertEquals(0xffffffff80000000L, h.r(RDX));
        assertEquals(0x80000000L, h.r(RSI));
        assertEquals(0xffffffffL, h.r(RDI));
    }

    @Test
    void aFaultInsideABlockRetiresTheInstructionsBeforeIt() {
        CpuHarness h = CpuHarness.protected32();
        h.code(0x40, 0x40, 0x31, 0xd2, 0xf7, 0xf1); // inc eax; inc eax; xor edx,edx; div ecx (ecx = 0)
        assertEquals(X86Cpu.RunExit.HALTED, h.run());
        assertEquals(CpuFault.DE, h.vector);
        assertEquals(CpuHarness.CODE + 4, h.st.rip, "RIP at the DIV");
        assertEquals(2, h.r(RAX));
        assertEquals(3, h.cpu.instructionsRetired());
    }

    @Test
    void theInterruptWindowAfterStiIsOneInstructionEvenBeforeCli() {
        CpuHarness h = CpuHarness.real();
        boolean[] pending = {true};
        h.cpu.setInterruptSource(new InterruptSource() {
            @Override public boolean hasInterrupt() { return pending[0]; }
            @Override public int acknowledge() { pending[0] = false; return 0x20; }
        });
        h.code(0xfb, 0x90, 0xfa, 0x90); // sti; nop; cli; nop
        assertEquals(X86Cpu.RunExit.HALTED, h.run());
        assertEquals(0x20, h.vector);
        assertEquals(CpuHarness.CODE + 2, h.st.rip, "delivered between NOP and CLI");
    }

    @Test
    void aBudgetSmallerThanABlockStillRunsExactlyThatMany() {
        CpuHarness h = CpuHarness.real();
        h.code(0x40, 0x40, 0x40, 0x40, 0x40); // inc ax x5
        assertEquals(X86Cpu.RunExit.BUDGET, h.cpu.run(3));
        assertEquals(3, h.r(RAX) & 0xffff);
        assertEquals(CpuHarness.CODE + 3, h.st.rip);
        assertEquals(X86Cpu.RunExit.HALTED, h.cpu.run(100));
        assertEquals(5, h.r(RAX) & 0xffff);
    }
}
