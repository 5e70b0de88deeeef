package org.jvirt.vmm.emu.cpu.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.jvirt.vmm.emu.cpu.CpuState.RSP;
import static org.jvirt.vmm.emu.cpu.CpuState.SS;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.PagedMemory;
import org.jvirt.vmm.emu.cpu.SystemUnit;
import org.jvirt.vmm.emu.cpu.SystemUnit.SystemOp;
import org.jvirt.vmm.emu.cpu.paging.PageWalker;
import org.junit.jupiter.api.Test;

/**
 * The system unit over the real MMU: a page fault while pushing an interrupt frame comes out as
 * #PF with CR2 set, and leaves the registers as they were, so the core can deliver it (or #DF).
 */
class PagedDeliveryTest extends SystemFixture {
    static final int K_CODE = 0x08, K_DATA = 0x10, U_DATA = 0x23, U_CODE = 0x2b, TSS_SEL = 0x30;

    final PageWalker mmu = new PageWalker(st, bus);
    final X86SystemUnit paged = new X86SystemUnit(st, new PagedMemory(st, mmu, bus), mmu, () -> 0);

    /** Identity-maps the first 2 MiB with supervisor 4 KiB pages; page 0x8000 is left out. */
    void pageTables() {
        bus.write64(0x10000, 0x11000 | 3);
        bus.write64(0x11000, 0x12000 | 3);
        bus.write64(0x12000, 0x13000 | 3);
        for (int i = 0; i < 512; i++) {
            if (i != 8) bus.write64(0x13000 + i * 8L, (long) i << 12 | 3);
        }
    }

    @Test
    void pageFaultWhilePushingAFrameChangesNoRegister() {
        enterProtectedMode();
        gdt(1, code64(0));
        gdt(2, data32(0));
        gdt(4, data32(3));
        gdt(5, code64(3));
        gdt(6, desc(TSS, 0x67, 9, false, 0, true, false, false, false));
        gdt(7, 0);
        bus.write64(TSS + 4, 0x9000); // RSP0: the frame goes to the missing page 0x8000
        idt64(0x80, K_CODE, 0x5000, 14, 3, 0);
        pageTables();
        st.idtLimit = 0xfff;
        st.cr3 = 0x10000;
        st.cr4 = CpuState.CR4_PAE;
        st.efer = CpuState.EFER_LME;
        paged.writeControlRegister(0, CpuState.CR0_PE | CpuState.CR0_PG | CpuState.CR0_WP | CpuState.CR0_ET);
        paged.farJump(K_CODE, 0x1000, 8, 0);
        paged.systemInstruction(SystemOp.LTR, TSS_SEL, 2);
        // Ring 3 state, as after an IRETQ.
        paged.loadSegment(SS, K_DATA);
        st.gpr[RSP] = 0x7000 - 40;
        bus.write64(0x7000 - 40, 0x2000);
        bus.write64(0x7000 - 32, U_CODE);
        bus.write64(0x7000 - 24, 0x202);
        bus.write64(0x7000 - 16, 0x3ff0);
        bus.write64(0x7000 - 8, U_DATA);
        paged.interruptReturn(8);
        assertEquals(3, st.cpl);

        CpuFault f = fault(() -> paged.deliver(0x80, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0x2002));
        assertEquals(CpuFault.PF, f.vector);
        assertEquals(PageWalker.PF_WRITE, f.errorCode, "supervisor write to a missing page");
        assertEquals(0x9000 - 8, st.cr2);
        assertEquals(3, st.cpl);
        assertEquals(U_CODE, st.seg[org.jvirt.vmm.emu.cpu.CpuState.CS].selector);
        assertEquals(0x3ff0, st.gpr[RSP]);
        assertEquals(0x2000, st.rip);

        bus.write64(0x13000 + 8 * 8, 0x8000 | 3);
        paged.deliver(0x80, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0x2002);
        assertEquals(0, st.cpl);
        assertEquals(0x5000, st.rip);
        assertEquals(0x9000 - 40, st.gpr[RSP]);
        assertEquals(0x2002, bus.read64(0x9000 - 40));
    }
}
