package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvirt.vmm.emu.cpu.CpuState.*;

import java.util.Arrays;
import java.util.Random;
import org.jvirt.vmm.emu.cpu.paging.PageWalker;
import org.jvirt.vmm.emu.jit.JvmBlockTranslator;
import org.junit.jupiter.api.Test;

/**
 * Blocks translated to JVM bytecode ({@code org.jvirt.vmm.emu.jit}) against the interpreter on
 * the same code: final registers, flags, RIP and memory; a page fault in the middle of a
 * translated block; stores that change a translated block's code; interrupts.
 */
class X86CpuTranslatedBlockTest {
    /** The random code of {@link X86CpuBlockEquivalenceTest}, run 4 times by a loop, so blocks run interpreted, then translated. */
    @Test
    void randomCodeInALoopEndsInTheSameStateTranslatedAsStepped() {
        long translatedBlocks = 0;
        for (int seed = 1; seed <= 40; seed++) {
            int[] code = looped(X86CpuBlockEquivalenceTest.randomCode(new Random(seed), 300));
            CpuHarness jit = X86CpuBlockEquivalenceTest.seeded(code, seed), steps = X86CpuBlockEquivalenceTest.seeded(code, seed);
            JvmBlockTranslator t = jit.translateAfter(1 + seed % 3);
            jit.poke32(0x7000, 4);
            steps.poke32(0x7000, 4);
            assertEquals(X86Cpu.RunExit.HALTED, jit.run());
            while (!steps.st.halted) steps.cpu.run(1);
            assertSameState(steps, jit, "seed " + seed);
            assertEquals(steps.cpu.instructionsRetired(), jit.cpu.instructionsRetired(), "seed " + seed);
            translatedBlocks += t.translatedBlocks();
        }
        assertTrue(translatedBlocks > 500, "blocks were translated: " + translatedBlocks);
    }

    /** code; dec dword [0x7000]; jnz code. */
    private static int[] looped(int[] code) {
        int[] out = Arrays.copyOf(code, code.length + 13);
        int at = code.length;
        int[] tail = {0xff, 0x0c, 0x25, 0x00, 0x70, 0x00, 0x00, 0x0f, 0x85};
        for (int b : tail) out[at++] = b;
        int rel = -(at + 4);
        for (int k = 0; k < 4; k++) out[at++] = (rel >>> (8 * k)) & 0xff;
        return out;
    }

    @Test
    void aPageFaultOnTheThirdInstructionLeavesTheInterpretersState() {
        // add rax,rbx; lea rcx,[rax+rdx*4+8]; mov rdx,[rsi] (not mapped); add rdx,1; then HLT
        int[] code = {0x48, 0x01, 0xd8, 0x48, 0x8d, 0x4c, 0x90, 0x08, 0x48, 0x8b, 0x16, 0x48, 0x83, 0xc2, 0x01};
        CpuHarness jit = paged(code), interpreted = paged(code), steps = paged(code);
        JvmBlockTranslator t = jit.translateAfter(1);
        assertEquals(X86Cpu.RunExit.HALTED, jit.run());
        assertEquals(X86Cpu.RunExit.HALTED, interpreted.run());
        while (!steps.st.halted) steps.cpu.run(1);
        assertEquals(1, t.translatedBlocks());
        for (CpuHarness h : new CpuHarness[]{jit, interpreted, steps}) {
            assertEquals(CpuFault.PF, h.vector);
            assertEquals(CpuHarness.CODE + 8, h.st.rip, "RIP at the load");
            assertEquals(0x40000000L, h.st.cr2);
            assertEquals(2, h.cpu.instructionsRetired());
        }
        assertSameState(steps, jit, "translated");
        assertSameState(interpreted, jit, "translated against interpreted blocks");
        assertEquals(steps.st.cr2, jit.st.cr2);
        assertEquals(0x1111L + 0x2222L, jit.r(RAX));
        assertEquals(0x3333L + 4 * 0x5555L + 8, jit.r(RCX));
        assertEquals(0x5555L, jit.r(RDX), "the load and what follows did not happen");
    }

    /** 64-bit mode, paging with the first 2 MiB identity-mapped; 0x40000000 is not mapped. */
    private static CpuHarness paged(int[] code) {
        CpuHarness h = CpuHarness.long64().code(code);
        h.poke64(0x10000, 0x11000 | 7);
        h.poke64(0x11000, 0x12000 | 7);
        h.poke64(0x12000, 0x87); // 2 MiB page at 0: present, writable, user, PS
        h.st.cr3 = 0x10000;
        h.st.cr4 |= CR4_PAE;
        h.st.cr0 |= CR0_PG;
        h.cpu.setTranslator(new PageWalker(h.st, h.bus));
        h.set(RAX, 0x1111);
        h.set(RBX, 0x2222);
        h.set(RDX, 0x5555);
        h.set(RSI, 0x40000000L);
        return h;
    }

    @Test
    void aStoreIntoATranslatedLoopFromAnotherPageIsSeen() {
        CpuHarness h = CpuHarness.long64();
        h.translateAfter(1);
        h.code(0x31, 0xc9, //                     1000: xor ecx,ecx
                0xb8, 0x01, 0, 0, 0, //           1002: mov eax,1   (patched to mov eax,7 after round 2)
                0x48, 0x01, 0xc2, //              1007: add rdx,rax
                0xff, 0xc1, //                    100a: inc ecx
                0x83, 0xf9, 0x05, //              100c: cmp ecx,5
                0x74, 0x0b, //                    100f: je 101c (HLT)
                0x83, 0xf9, 0x02, //              1011: cmp ecx,2
                0x0f, 0x84, 0xe6, 0x0f, 0, 0, //  1014: je 2000
                0xeb, 0xe6); //                   101a: jmp 1002 (the translated loop)
        int[] patcher = {0xc6, 0x04, 0x25, 0x03, 0x10, 0, 0, 0x07, // 2000: mov byte [1003h],7
                0xe9, 0x0d, 0xf0, 0xff, 0xff}; //                     2008: jmp 101a
        for (int i = 0; i < patcher.length; i++) h.ram[0x2000 + i] = (byte) patcher[i];
        CpuHarness.halted(h);
        assertEquals(5, h.r(RCX));
        assertEquals(0x600 + 1 + 1 + 7 + 7 + 7, h.r(RDX), "rounds 3-5 ran the patched instruction (RDX starts at 0x600 after reset)");
    }

    @Test
    void aStoreIntoTheNextInstructionOfTheSameTranslatedBlockIsSeen() {
        CpuHarness h = CpuHarness.long64();
        h.translateAfter(1);
        // 1000: add rbx,1; mov byte [100dh],2 (patches the immediate below); 100c: mov al,1 -> mov al,2
        h.code(0x48, 0x83, 0xc3, 0x01, 0xc6, 0x04, 0x25, 0x0d, 0x10, 0, 0, 0x02, 0xb0, 0x01);
        CpuHarness.halted(h);
        assertEquals(2, h.r(RAX) & 0xff);
        assertEquals(1, h.r(RBX));
    }

    @Test
    void anInterruptIsTakenAtABlockBoundaryWithinABlocksLength() {
        CpuHarness h = CpuHarness.long64();
        JvmBlockTranslator t = h.translateAfter(1);
        long raiseAt = 10_000;
        h.cpu.setInterruptSource(new InterruptSource() {
            @Override public boolean hasInterrupt() { return h.cpu.instructionsRetired() >= raiseAt; }
            @Override public int acknowledge() { return 0x20; }
        });
        h.st.setRflags(h.st.rflags() | IF);
        // 1000: add rax,1; add rbx,2; sub rcx,1; jmp 1000
        h.code(0x48, 0x83, 0xc0, 0x01, 0x48, 0x83, 0xc3, 0x02, 0x48, 0x83, 0xe9, 0x01, 0xeb, 0xf2);
        assertEquals(X86Cpu.RunExit.HALTED, h.run());
        assertEquals(0x20, h.vector);
        long retired = h.cpu.instructionsRetired();
        assertTrue(retired >= raiseAt && retired - raiseAt < CodeBlock.MAX_INSNS, "delivered after " + retired);
        assertEquals(CpuHarness.CODE, h.st.rip, "at the block's start");
        assertEquals(retired / 4, h.r(RAX));
        assertEquals(2 * (retired / 4), h.r(RBX));
        assertEquals(-(retired / 4), h.r(RCX));
        assertEquals(1, t.translatedBlocks());
    }

    private static void assertSameState(CpuHarness expected, CpuHarness actual, String what) {
        assertEquals(expected.vector, actual.vector, what);
        assertArrayEquals(expected.st.gpr, actual.st.gpr, what);
        assertEquals(expected.st.rflags(), actual.st.rflags(), what);
        assertEquals(expected.st.rip, actual.st.rip, what);
        assertArrayEquals(expected.ram, actual.ram, what);
    }
}
