package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvirt.vmm.emu.cpu.CpuHarness.faults;
import static org.jvirt.vmm.emu.cpu.CpuHarness.reachesUserHlt;
import static org.jvirt.vmm.emu.cpu.CpuState.*;

import org.junit.jupiter.api.Test;

/** IOPL-sensitive instructions in virtual-8086 mode (CPL 3). */
class X86CpuV86Test {
    static CpuHarness v86(int iopl) {
        CpuHarness h = CpuHarness.real();
        h.st.cr0 |= CR0_PE;
        h.st.setRflags(h.st.rflags() | VM | (long) iopl << 12);
        h.st.cpl = 3;
        return h;
    }

    @Test
    void stiAndCliWorkAtIopl3() {
        CpuHarness h = v86(3);
        h.code(0xfb); // sti
        reachesUserHlt(h);
        assertEquals(IF, h.st.rflags() & IF);
        h = v86(3);
        h.st.setRflags(h.st.rflags() | IF);
        h.code(0xfa); // cli
        reachesUserHlt(h);
        assertEquals(0, h.st.rflags() & IF);
    }

    @Test
    void stiFaultsBelowIopl3() {
        CpuHarness h = v86(2);
        h.code(0xfb);
        faults(h, CpuFault.GP);
        assertEquals(CpuHarness.CODE, h.st.rip);
    }
}
