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
