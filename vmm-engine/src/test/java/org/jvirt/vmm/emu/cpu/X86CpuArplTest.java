package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvirt.vmm.emu.cpu.CpuHarness.faults;
import static org.jvirt.vmm.emu.cpu.CpuHarness.halted;
import static org.jvirt.vmm.emu.cpu.CpuState.*;

import org.junit.jupiter.api.Test;

/** ARPL on memory writes only when it raises the RPL. */
class X86CpuArplTest {
    static CpuHarness readOnlyDs(int selector, int srcRpl) {
        CpuHarness h = CpuHarness.protected32();
        h.st.seg[DS].type = 0x1; // read-only data, accessed
        h.bus.write16(0x2000, selector);
        h.set(RBX, srcRpl);
        // arpl [2000h],bx
        h.code(0x63, 0x1d, 0x00, 0x20, 0x00, 0x00);
        return h;
    }

    @Test
    void unchangedSelectorInAReadOnlySegmentDoesNotFault() {
        CpuHarness h = readOnlyDs(0xfff3, 2);
        halted(h);
        assertEquals(0, h.st.rflags() & ZF);
        assertEquals(0xfff3, h.bus.read16(0x2000));
    }

    @Test
    void raisingTheRplInAReadOnlySegmentFaults() {
        faults(readOnlyDs(0xfff0, 2), CpuFault.GP);
    }
}
