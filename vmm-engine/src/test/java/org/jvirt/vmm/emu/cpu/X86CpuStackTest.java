package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvirt.vmm.emu.cpu.CpuHarness.halted;
import static org.jvirt.vmm.emu.cpu.CpuState.*;

import org.junit.jupiter.api.Test;

/** Stack instructions where the operand size and the stack address size differ. */
class X86CpuStackTest {
    @Test
    void pushadOnA16BitStackStoresTheWholeEsp() {
        CpuHarness h = CpuHarness.real();
        h.set(RSP, 0x20000);
        // o32 pusha with SP = 0: wraps inside the 64 KiB stack, keeps ESP's upper half
        h.code(0x66, 0x60);
        halted(h);
        assertEquals(0x2ffe0, h.r(RSP));
        assertEquals(0x20000, h.peek32(0xffec), "pushed ESP is the full register");
    }

    @Test
    void popSsStepsSpByTheOldStackSize() {
        CpuHarness h = CpuHarness.real();
        h.loadedSegmentsBig = true;
        h.set(RSP, 0x2fffc);
        // o32 pop ss: the 16-bit SP wraps to 0 although the new SS is 32-bit
        h.code(0x66, 0x17);
        halted(h);
        assertEquals(0x20000, h.r(RSP));
        assertEquals(true, h.st.seg[SS].db);
    }
}
