package org.jvirt.vmm.emu.cpu.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvirt.vmm.emu.cpu.CpuState.CS;
import static org.jvirt.vmm.emu.cpu.CpuState.DS;
import static org.jvirt.vmm.emu.cpu.CpuState.ES;
import static org.jvirt.vmm.emu.cpu.CpuState.FS;
import static org.jvirt.vmm.emu.cpu.CpuState.GS;
import static org.jvirt.vmm.emu.cpu.CpuState.RSP;
import static org.jvirt.vmm.emu.cpu.CpuState.SS;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.SystemUnit;
import org.jvirt.vmm.emu.cpu.SystemUnit.SystemOp;
import org.junit.jupiter.api.Test;

/** Real mode (IVT, far transfers, the switch to protected mode) and virtual-8086 mode. */
class RealAndV86Test extends SystemFixture {

    @Test
    void realModeInterruptThroughTheIvtAndIret() {
        st.reset();
        st.seg[CS].loadReal(0x1000);
        st.seg[SS].loadReal(0x2000);
        st.gpr[RSP] = 0x100;
        st.setRflags(0x202 | CpuState.TF);
        bus.write16(0x21 * 4, 0x1234);
        bus.write16(0x21 * 4 + 2, 0xf000);
        unit.deliver(0x21, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0x55);
        assertEquals(0xf000, st.seg[CS].selector);
        assertEquals(0xf0000L, st.seg[CS].base);
        assertEquals(0x1234, st.rip);
        assertEquals(0xfa, st.gpr[RSP]);
        assertEquals(0x55, bus.read16(0x200fa));
        assertEquals(0x1000, bus.read16(0x200fc));
        assertEquals(0x302, bus.read16(0x200fe));
        assertEquals(0, st.rflags() & (CpuState.IF | CpuState.TF));
        unit.interruptReturn(2);
        assertEquals(0x1000, st.seg[CS].selector);
        assertEquals(0x55, st.rip);
        assertEquals(0x302, st.rflags());
        assertEquals(0x100, st.gpr[RSP]);
    }

    @Test
    void realModeFarCallReturnAndSpWrap() {
        st.reset();
        st.seg[SS].loadReal(0x3000);
        st.gpr[RSP] = 0x0002;
        unit.farCall(0x4000, 0x10, 2, 0x20);
        assertEquals(0xfffe, st.gpr[RSP], "SP wraps inside the 64 KiB stack");
        assertEquals(0x20, bus.read16(0x3fffe));
        assertEquals(0xf000, bus.read16(0x30000));
        assertEquals(0x40000L, st.seg[CS].base);
        unit.farReturn(2, 4);
        assertEquals(0x20, st.rip);
        assertEquals(0xf000, st.seg[CS].selector);
        assertEquals(0x6, st.gpr[RSP]);
    }

    @Test
    void realModeSegmentLoadAndEnteringProtectedMode() {
        st.reset();
        unit.loadSegment(DS, 0x1234);
        assertEquals(0x12340L, st.seg[DS].base);
        gdt(1, code32(0));
        st.gdtBase = GDT;
        st.gdtLimit = 0xff;
        unit.writeControlRegister(0, st.cr0 | CpuState.CR0_PE);
        assertTrue(st.protectedMode());
        assertEquals(1, tlb.fullFlushes);
        unit.farJump(0x08, 0x100, 4, 0);
        assertTrue(st.seg[CS].db);
        assertEquals(0, st.cpl);
        assertFault(CpuFault.UD, 0, () -> {
            st.cr0 &= ~CpuState.CR0_PE;
            unit.systemInstruction(SystemOp.SLDT, 0, 2);
        });
    }

    // ---- virtual-8086 ----

    static final int K_CODE = 0x08, K_DATA = 0x10, U_CODE = 0x1b, TSS_SEL = 0x28;

    void v86Setup(int iopl) {
        enterProtectedMode();
        gdt(1, code32(0));
        gdt(2, data32(0));
        gdt(3, code32(3));
        gdt(5, desc(TSS, 0x67 + 0x2000, 9, false, 0, true, false, false, false));
        bus.write32(TSS + 4, 0x9000);
        bus.write16(TSS + 8, K_DATA);
        bus.write16(TSS + 0x66, 0x68);
        unit.systemInstruction(SystemOp.LTR, TSS_SEL, 2);
        idt(0x21, gate(K_CODE, 0x6000, 14, 3, 0));
        idt(0x22, gate(U_CODE, 0x6000, 14, 3, 0)); // ring-3 handler: not allowed from V86
        idt(0x0d, gate(K_CODE, 0x6200, 14, 0, 0));
        // IRET from ring 0 into V86 mode: EIP, CS, EFLAGS, ESP, SS, ES, DS, FS, GS.
        unit.loadSegment(SS, K_DATA);
        st.seg[CS].selector = K_CODE;
        st.cpl = 0;
        st.gpr[RSP] = 0x8000 - 36;
        long[] frame = {0x0100, 0x2000, 0x20202 | (long) iopl << 12, 0xfff0, 0x3000, 0x4000, 0x5000, 0x6000, 0x7000};
        for (int i = 0; i < frame.length; i++) bus.write32(0x8000 - 36 + i * 4, (int) frame[i]);
        unit.interruptReturn(4);
    }

    @Test
    void iretEntersV86Mode() {
        v86Setup(3);
        assertTrue(st.v86Mode());
        assertEquals(3, st.cpl);
        assertEquals(0x20000L, st.seg[CS].base);
        assertEquals(0x30000L, st.seg[SS].base);
        assertEquals(0x70000L, st.seg[GS].base);
        assertEquals(0xfff0, st.gpr[RSP]);
        assertEquals(0x100, st.rip);
    }

    @Test
    void v86SoftwareInterruptNeedsIopl3() {
        v86Setup(0);
        assertFault(CpuFault.GP, 0, () -> unit.deliver(0x21, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0x102));
        assertFault(CpuFault.GP, 0, () -> unit.interruptReturn(2));
        // I/O: the bitmap decides (all clear here), IOPL does not let V86 code skip it.
        unit.checkIoPermission(0x64, 1);
        bus.write8(TSS + 0x68 + (0x64 >> 3), 1 << 4);
        assertFault(CpuFault.GP, 0, () -> unit.checkIoPermission(0x64, 1));
    }

    @Test
    void v86InterruptToRing0PushesDataSegmentsAndIretReturns() {
        v86Setup(3);
        assertFault(CpuFault.GP, U_CODE & ~3, () -> unit.deliver(0x22, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0x102));
        unit.deliver(0x21, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0x102);
        assertEquals(0, st.cpl);
        assertFalse(st.v86Mode());
        assertEquals(0x9000 - 36, st.gpr[RSP]);
        long[] expected = {0x102, 0x2000, -1, 0xfff0, 0x3000, 0x4000, 0x5000, 0x6000, 0x7000};
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] >= 0) assertEquals(expected[i], read32(0x9000 - 36 + i * 4), "frame slot " + i);
        }
        assertTrue((read32(0x9000 - 28) & CpuState.VM) != 0, "pushed EFLAGS has VM");
        for (int s : new int[]{ES, DS, FS, GS}) {
            assertEquals(0, st.seg[s].selector);
            assertTrue(st.seg[s].unusable);
        }
        unit.interruptReturn(4);
        assertTrue(st.v86Mode());
        assertEquals(0x102, st.rip);
        assertEquals(0x50000L, st.seg[DS].base);
    }

    @Test
    void v86IretWithIopl3KeepsIoplAndVm() {
        v86Setup(3);
        st.gpr[RSP] = 0xfff0;
        bus.write16(0x30000 + 0xfff0, 0x200);
        bus.write16(0x30000 + 0xfff2, 0x2100);
        bus.write16(0x30000 + 0xfff4, 0x0002); // FLAGS image with IOPL 0 and IF clear
        unit.interruptReturn(2);
        assertTrue(st.v86Mode());
        assertEquals(3, Interrupts.iopl(st.rflags()));
        assertEquals(0x21000L, st.seg[CS].base);
        assertEquals(0x200, st.rip);
    }
}
