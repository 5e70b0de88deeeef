package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvirt.vmm.emu.cpu.CpuHarness.faults;
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

    @Test
    void enter32OnA16BitStackKeepsTheUpperHalfInEbp() {
        CpuHarness h = CpuHarness.real();
        h.set(RSP, 0x10000);
        h.set(RBP, 0x1fff0);
        // o32 enter 8,0: SP wraps 0 -> FFFC, EBP = ESP after the push including bits 16-31
        h.code(0x66, 0xc8, 0x08, 0x00, 0x00);
        halted(h);
        assertEquals(0x1fffc, h.r(RBP));
        assertEquals(0x1fff4, h.r(RSP));
        assertEquals(0x1fff0, h.peek32(0xfffc));
    }

    @Test
    void enterWriteChecksTheNewStackTop() {
        CpuHarness h = CpuHarness.protected32();
        SegmentRegister ss = h.st.seg[SS];
        ss.type = 0x7; // expand-down writable data: offsets 0x1000.. are valid
        ss.limit = 0xfff;
        h.set(RSP, 0x1008);
        h.set(RBP, 0x1234);
        // enter 8,0: the push of EBP (0x1004) fits, the new ESP 0xFFC is below the segment
        h.code(0xc8, 0x08, 0x00, 0x00);
        faults(h, CpuFault.SS);
        assertEquals(0x1008, h.r(RSP), "nothing committed");
        assertEquals(0x1234, h.r(RBP));
    }
}
