package org.jvirt.vmm.emu.cpu.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvirt.vmm.emu.cpu.CpuState.CS;
import static org.jvirt.vmm.emu.cpu.CpuState.DS;
import static org.jvirt.vmm.emu.cpu.CpuState.ES;
import static org.jvirt.vmm.emu.cpu.CpuState.RSP;
import static org.jvirt.vmm.emu.cpu.CpuState.SS;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.SystemUnit;
import org.jvirt.vmm.emu.cpu.SystemUnit.SystemOp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 32-bit protected mode: segment loads, IDT delivery with stack switch, IRET, far transfers, call gates. */
class ProtectedModeTest extends SystemFixture {
    static final int K_CODE = 0x08, K_DATA = 0x10, U_CODE = 0x1b, U_DATA = 0x23, TSS_SEL = 0x28, GATE = 0x33,
            ABSENT = 0x38, K_CODE16 = 0x40, CONF_CODE = 0x48;

    @BeforeEach
    void tables() {
        enterProtectedMode();
        gdt(1, code32(0));
        gdt(2, data32(0) & ~(1L << 40)); // Accessed bit clear: the load must set it
        gdt(3, code32(3));
        gdt(4, data32(3));
        gdt(5, desc(TSS, 0x67 + 0x2000 / 8 + 1, 9, false, 0, true, false, false, false));
        gdt(6, gate(K_CODE, 0x5000, 12, 3, 2)); // 32-bit call gate, DPL 3, 2 parameters
        gdt(7, desc(0, 0xfffff, 0x2, true, 0, false, true, false, true));
        gdt(8, desc(0, 0xffff, 0xa, true, 0, true, false, false, false));
        gdt(9, desc(0, 0xfffff, 0xe, true, 0, true, true, false, true)); // conforming code, DPL 0
        // TSS: ESP0 = 0x9000, SS0 = K_DATA; I/O bitmap at 0x68.
        bus.write32(TSS + 4, 0x9000);
        bus.write16(TSS + 8, K_DATA);
        bus.write16(TSS + 0x66, 0x68);
        unit.systemInstruction(SystemOp.LTR, TSS_SEL, 2);
        unit.loadSegment(SS, K_DATA);
        st.seg[CS].selector = K_CODE;
        st.seg[CS].dpl = 0;
        st.seg[CS].db = true;
        st.seg[CS].limit = 0xffffffffL;
        st.cpl = 0;
        idt(0x80, gate(K_CODE, 0x6000, 14, 3, 0)); // 32-bit interrupt gate usable from ring 3
        idt(0x81, gate(K_CODE, 0x6100, 15, 0, 0)); // kernel-only trap gate
        idt(0x0d, gate(K_CODE, 0x6200, 14, 0, 0));
        idt(0x30, gate(K_CODE16, 0x0300, 6, 3, 0)); // 16-bit interrupt gate
    }

    void toRing3(long esp, long eip) {
        st.seg[SS].selector = U_DATA;
        unit.loadSegment(DS, K_DATA);
        // Build an IRET frame on the kernel stack and return to ring 3.
        st.gpr[RSP] = 0x8000 - 20;
        bus.write32(0x8000 - 20, (int) eip);
        bus.write32(0x8000 - 16, U_CODE);
        bus.write32(0x8000 - 12, 0x202);
        bus.write32(0x8000 - 8, (int) esp);
        bus.write32(0x8000 - 4, U_DATA);
        unit.loadSegment(SS, K_DATA);
        unit.interruptReturn(4);
    }

    @Test
    void segmentLoadChecksAndAccessedBit() {
        unit.loadSegment(DS, K_DATA);
        assertEquals(0x100L, bus.read32(GDT + 2 * 8 + 4) & 0x100L, "Accessed bit set in the GDT");
        assertEquals(0xffffffffL, st.seg[DS].limit);
        assertFault(CpuFault.GP, 0, () -> unit.loadSegment(SS, 0));
        assertFault(CpuFault.GP, U_DATA & ~3, () -> unit.loadSegment(SS, U_DATA));  // DPL 3 != CPL 0
        assertFault(CpuFault.GP, K_CODE, () -> unit.loadSegment(SS, K_CODE));       // not writable data
        assertFault(CpuFault.SS, ABSENT, () -> unit.loadSegment(SS, ABSENT));
        assertFault(CpuFault.NP, ABSENT, () -> unit.loadSegment(DS, ABSENT));
        assertFault(CpuFault.GP, 0x100, () -> unit.loadSegment(DS, 0x100));          // beyond the GDT limit
        assertFault(CpuFault.GP, 4, () -> unit.loadSegment(DS, 4));                   // no LDT loaded
        unit.loadSegment(ES, 0);
        assertTrue(st.seg[ES].unusable);
        unit.loadSegment(DS, K_CODE); // readable code is fine for DS
    }

    @Test
    void interruptFromRing3SwitchesToTheTssStackAndIretReturns() {
        toRing3(0x7000, 0x4000);
        assertEquals(3, st.cpl);
        assertEquals(U_CODE, st.seg[CS].selector);
        assertTrue(st.seg[DS].unusable, "DS with DPL 0 is nulled on the return to ring 3");
        unit.deliver(0x80, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0x4002);
        assertEquals(0, st.cpl);
        assertEquals(K_CODE, st.seg[CS].selector);
        assertEquals(K_DATA, st.seg[SS].selector);
        assertEquals(0x6000, st.rip);
        assertEquals(0x9000 - 20, st.gpr[RSP]);
        assertEquals(0x4002, read32(0x9000 - 20));
        assertEquals(U_CODE, read32(0x9000 - 16));
        assertEquals(0x202, read32(0x9000 - 12));
        assertEquals(0x7000, read32(0x9000 - 8));
        assertEquals(U_DATA, read32(0x9000 - 4));
        assertFalse((st.rflags() & CpuState.IF) != 0, "an interrupt gate clears IF");
        unit.interruptReturn(4);
        assertEquals(3, st.cpl);
        assertEquals(0x4002, st.rip);
        assertEquals(0x7000, st.gpr[RSP]);
        assertEquals(U_DATA, st.seg[SS].selector);
    }

    @Test
    void softwareInterruptThroughAKernelGateFromRing3() {
        toRing3(0x7000, 0x4000);
        assertFault(CpuFault.GP, 0x81 * 8 + 2, () -> unit.deliver(0x81, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0));
        // An exception ignores the gate DPL and pushes its error code.
        unit.deliver(0x81, SystemUnit.EXCEPTION, true, 0x1234, 0x4000);
        assertEquals(0x6100, st.rip);
        assertEquals(0x1234, read32(st.gpr[RSP]));
        assertTrue((st.rflags() & CpuState.IF) != 0, "a trap gate keeps IF");
    }

    @Test
    void deliveryFaultsCarryTheExtBit() {
        assertFault(CpuFault.GP, 0x90 * 8 + 2 + 1, () -> unit.deliver(0x90, SystemUnit.HARDWARE_INTERRUPT, false, 0, 0));
        st.idtLimit = 0x80 * 8 - 1;
        assertFault(CpuFault.GP, 0x80 * 8 + 2, () -> unit.deliver(0x80, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0));
        idt(0x40, gate(ABSENT, 0, 14, 0, 0));
        st.idtLimit = 0x7ff;
        assertFault(CpuFault.GP, ABSENT + 1, () -> unit.deliver(0x40, SystemUnit.HARDWARE_INTERRUPT, false, 0, 0));
        idt(0x41, gate(K_CODE, 0, 14, 0, 0) & ~(1L << 47));
        assertFault(CpuFault.NP, 0x41 * 8 + 3, () -> unit.deliver(0x41, SystemUnit.EXCEPTION, false, 0, 0));
    }

    @Test
    void sixteenBitGatePushesWords() {
        st.gpr[RSP] = 0x8000;
        unit.deliver(0x30, SystemUnit.EXCEPTION, true, 0xbeef, 0x1234);
        assertEquals(0x8000 - 8, st.gpr[RSP]);
        assertEquals(0xbeef, bus.read16(0x8000 - 8));
        assertEquals(0x1234, bus.read16(0x8000 - 6));
        assertEquals(K_CODE, bus.read16(0x8000 - 4));
        assertEquals(0x300, st.rip);
        assertFalse(st.seg[CS].db);
    }

    @Test
    void callGateCopiesParametersToTheInnerStackAndRetfReturns() {
        toRing3(0x7000 - 8, 0x4000);
        bus.write32(0x7000 - 8, 0x11111111);
        bus.write32(0x7000 - 4, 0x22222222);
        unit.farCall(GATE, 0, 4, 0x4007);
        assertEquals(0, st.cpl);
        assertEquals(0x5000, st.rip);
        long sp = st.gpr[RSP];
        assertEquals(0x9000 - 24, sp);
        assertEquals(0x4007, read32(sp));
        assertEquals(U_CODE, read32(sp + 4));
        assertEquals(0x11111111L, read32(sp + 8));
        assertEquals(0x22222222L, read32(sp + 12));
        assertEquals(0x7000 - 8, read32(sp + 16));
        assertEquals(U_DATA, read32(sp + 20));
        unit.farReturn(4, 8); // RETF 8 releases the parameters on both stacks
        assertEquals(3, st.cpl);
        assertEquals(0x4007, st.rip);
        assertEquals(0x7000, st.gpr[RSP]);
        assertEquals(U_CODE, st.seg[CS].selector);
    }

    @Test
    void sixteenBitCallGateCopiesWordsAndO16RetfReturns() {
        gdt(11, gate(K_CODE, 0x5100, 4, 3, 3)); // 16-bit call gate, 3 word parameters
        toRing3(0x7000 - 6, 0x4000);
        bus.write16(0x7000 - 6, 0x1111);
        bus.write16(0x7000 - 4, 0x2222);
        bus.write16(0x7000 - 2, 0x3333);
        unit.farCall(0x5b, 0, 4, 0x4009);
        assertEquals(0, st.cpl);
        assertEquals(0x5100, st.rip);
        long sp = st.gpr[RSP];
        assertEquals(0x9000 - 14, sp);
        assertEquals(0x4009, bus.read16(sp));
        assertEquals(U_CODE, bus.read16(sp + 2));
        assertEquals(0x1111, bus.read16(sp + 4));
        assertEquals(0x2222, bus.read16(sp + 6));
        assertEquals(0x3333, bus.read16(sp + 8));
        assertEquals(0x7000 - 6, bus.read16(sp + 10));
        assertEquals(U_DATA, bus.read16(sp + 12));
        unit.farReturn(2, 6);
        assertEquals(3, st.cpl);
        assertEquals(0x4009, st.rip);
        assertEquals(0x7000, st.gpr[RSP]);
    }

    @Test
    void farTransferProtectionChecks() {
        toRing3(0x7000, 0x4000);
        assertFault(CpuFault.GP, K_CODE, () -> unit.farJump(K_CODE | 3, 0, 4, 0)); // DPL 0 from CPL 3
        assertFault(CpuFault.GP, K_CODE, () -> unit.farCall(K_CODE | 3, 0, 4, 0));
        assertFault(CpuFault.GP, 0, () -> unit.farJump(0, 0, 4, 0));
        // Jump to a conforming ring-0 segment keeps CPL 3.
        unit.farJump(CONF_CODE | 3, 0x1000, 4, 0);
        assertEquals(3, st.cpl);
        assertEquals(CONF_CODE | 3, st.seg[CS].selector);
        // A RETF to ring 0 from ring 3 is refused.
        st.gpr[RSP] = 0x7000;
        bus.write32(0x7000, 0x100);
        bus.write32(0x7004, K_CODE);
        assertFault(CpuFault.GP, K_CODE, () -> unit.farReturn(4, 0));
    }

    @Test
    void farCallSamePrivilegeAndLimitCheck() {
        st.gpr[RSP] = 0x8000;
        unit.farCall(K_CODE16, 0x1234, 2, 0x55);
        assertEquals(0x8000 - 4, st.gpr[RSP]);
        assertEquals(0x55, bus.read16(0x8000 - 4));
        assertEquals(K_CODE, bus.read16(0x8000 - 2));
        assertEquals(0x1234, st.rip);
        assertFault(CpuFault.GP, 0, () -> unit.farJump(K_CODE16, 0x10000, 4, 0));
        unit.farReturn(2, 0);
        assertEquals(K_CODE, st.seg[CS].selector);
        assertEquals(0x55, st.rip);
    }

    @Test
    void ioPermissionUsesIoplThenTheTssBitmap() {
        toRing3(0x7000, 0x4000);
        // Bitmap at TSS+0x68: all ports allowed except 0x64.
        bus.write8(TSS + 0x68 + (0x64 >> 3), 1 << (0x64 & 7));
        unit.checkIoPermission(0x60, 1);
        assertFault(CpuFault.GP, 0, () -> unit.checkIoPermission(0x64, 1));
        assertFault(CpuFault.GP, 0, () -> unit.checkIoPermission(0x62, 4));
        st.setRflags(st.rflags() | CpuState.IOPL);
        unit.checkIoPermission(0x64, 1);
    }

    @Test
    void ltrMarksTheTssBusyAndAccessRightsInstructions() {
        assertEquals(0xb, (bus.read32(GDT + 5 * 8 + 4) >>> 8) & 0xf, "busy TSS");
        assertEquals(TSS_SEL, unit.systemInstruction(SystemOp.STR, 0, 2));
        assertFault(CpuFault.GP, TSS_SEL, () -> unit.systemInstruction(SystemOp.LTR, TSS_SEL, 2)); // already busy
        long ar = unit.systemInstruction(SystemOp.LAR, U_CODE, 4);
        assertTrue((st.rflags() & CpuState.ZF) != 0);
        assertEquals(0xc0fa00L, ar); // limit bits 19:16 masked, as QEMU does
        assertEquals(0xffffffffL, unit.systemInstruction(SystemOp.LSL, K_DATA, 4));
        unit.systemInstruction(SystemOp.LAR, 0x400, 4);
        assertFalse((st.rflags() & CpuState.ZF) != 0, "beyond the GDT: ZF clear, no fault");
        unit.systemInstruction(SystemOp.VERW, K_CODE, 2);
        assertFalse((st.rflags() & CpuState.ZF) != 0);
        unit.systemInstruction(SystemOp.VERR, K_CODE, 2);
        assertTrue((st.rflags() & CpuState.ZF) != 0);
        st.cpl = 3;
        unit.systemInstruction(SystemOp.VERR, K_DATA | 3, 2);
        assertFalse((st.rflags() & CpuState.ZF) != 0, "DPL 0 data is not readable from CPL 3");
        assertEquals(0x1b, unit.systemInstruction(SystemOp.ARPL, 0x18 | (0x3L << 16), 2));
        assertTrue((st.rflags() & CpuState.ZF) != 0);
        assertEquals(0x1b, unit.systemInstruction(SystemOp.ARPL, 0x1b | (0x1L << 16), 2));
        assertFalse((st.rflags() & CpuState.ZF) != 0);
    }

    @Test
    void descriptorTableRegistersAndPrivilegedInstructions() {
        unit.systemInstruction(SystemOp.SGDT, 0x500, 4);
        assertEquals(0xff, bus.read16(0x500));
        assertEquals(GDT, read32(0x502));
        bus.write16(0x510, 0x3ff);
        bus.write32(0x512, 0x12345678);
        unit.systemInstruction(SystemOp.LIDT, 0x510, 2);
        assertEquals(0x345678, st.idtBase, "16-bit LIDT keeps 24 bits of base");
        assertEquals(0x3ff, st.idtLimit);
        unit.systemInstruction(SystemOp.INVLPG, 0xabc000, 4);
        assertEquals(0xabc000, tlb.lastInvalidated);
        st.cpl = 3;
        assertFault(CpuFault.GP, 0, () -> unit.systemInstruction(SystemOp.LGDT, 0x510, 4));
        assertFault(CpuFault.GP, 0, () -> unit.systemInstruction(SystemOp.CLTS, 0, 4));
        assertFault(CpuFault.GP, 0, () -> unit.writeControlRegister(0, 0));
        assertFault(CpuFault.GP, 0, () -> unit.readMsr(0x10));
        assertFault(CpuFault.GP, 0, () -> unit.systemInstruction(SystemOp.INVLPG, 0, 4));
    }

    static final int TSS2_SEL = 0x50;

    void secondTask() {
        gdt(10, desc(0x4000, 0x67, 9, false, 0, true, false, false, false));
        long t = 0x4000;
        bus.write32(t + 0x20, 0x7777);          // EIP
        bus.write32(t + 0x24, 0x2);             // EFLAGS
        bus.write32(t + 0x28, 0x1234);          // EAX
        bus.write32(t + 0x38, 0x6000);          // ESP
        for (int s = 0; s < 6; s++) bus.write16(t + 0x48 + s * 4, s == CS ? K_CODE : K_DATA);
    }

    @Test
    void callToATssSwitchesTasksAndIretWithNtReturns() {
        secondTask();
        st.gpr[0] = 0xaaaa;
        st.gpr[RSP] = 0x8000;
        unit.loadSegment(DS, K_DATA);
        unit.farCall(TSS2_SEL, 0, 4, 0x1005);
        assertEquals(TSS2_SEL, st.tr.selector);
        assertEquals(0x7777, st.rip);
        assertEquals(0x1234, st.gpr[0]);
        assertEquals(0x6000, st.gpr[RSP]);
        assertTrue((st.rflags() & CpuState.NT) != 0, "CALL sets NT");
        assertTrue((st.cr0 & CpuState.CR0_TS) != 0);
        assertEquals(TSS_SEL, bus.read16(0x4000), "back link");
        assertEquals(0x1005, read32(TSS + 0x20), "outgoing EIP saved");
        assertEquals(0xaaaa, read32(TSS + 0x28), "outgoing EAX saved");
        assertEquals(0xb, (bus.read32(GDT + 10 * 8 + 4) >>> 8) & 0xf, "new TSS busy");
        assertEquals(0xb, (bus.read32(GDT + 5 * 8 + 4) >>> 8) & 0xf, "old TSS stays busy on CALL");
        assertFault(CpuFault.GP, TSS_SEL, () -> unit.farJump(TSS_SEL, 0, 4, 0)); // busy: no re-entry
        st.rip = 0x7800;
        unit.interruptReturn(4);
        assertEquals(TSS_SEL, st.tr.selector);
        assertEquals(0x1005, st.rip);
        assertEquals(0xaaaa, st.gpr[0]);
        assertEquals(0x8000, st.gpr[RSP]);
        assertEquals(9, (bus.read32(GDT + 10 * 8 + 4) >>> 8) & 0xf, "IRET frees the task it leaves");
        assertEquals(0, read32(0x4024) & CpuState.NT, "saved EFLAGS of the left task has NT clear");
    }

    @Test
    void interruptThroughATaskGatePushesTheErrorCodeOnTheNewStack() {
        secondTask();
        idt(0x50, gate(TSS2_SEL, 0, 5, 0, 0));
        unit.deliver(0x50, SystemUnit.EXCEPTION, true, 0x42, 0x999);
        assertEquals(TSS2_SEL, st.tr.selector);
        assertEquals(0x6000 - 4, st.gpr[RSP]);
        assertEquals(0x42, read32(0x6000 - 4));
        assertEquals(0x999, read32(TSS + 0x20));
        st.cpl = 3;
        assertFault(CpuFault.GP, 0x50 * 8 + 2, () -> unit.deliver(0x50, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0));
    }

    @Test
    void jumpToA16BitTssLoadsWordsWithTheUpperHalvesAs80386() {
        gdt(11, desc(0x4800, 0x2b, 1, false, 0, true, false, false, false)); // available 16-bit TSS
        long t = 0x4800;
        bus.write16(t + 0x0e, 0x7777);                       // IP
        bus.write16(t + 0x10, 0x0002);                       // FLAGS
        for (int r = 0; r < 8; r++) bus.write16(t + 0x12 + r * 2, 0x1230 + r);
        int[] order = {ES, CS, SS, DS};
        for (int i = 0; i < 4; i++) bus.write16(t + 0x22 + i * 2, order[i] == CS ? K_CODE : K_DATA);
        st.gpr[0] = 0x5555aaaaL;
        st.setRflags(st.rflags() | CpuState.AC);
        unit.farJump(0x58, 0, 4, 0x1005);
        assertEquals(0x58, st.tr.selector);
        assertEquals(0x7777, st.rip);
        assertEquals(0xffff1230L, st.gpr[0]);
        assertEquals(0xffff1234L, st.gpr[RSP]);
        assertEquals(0, st.rflags() & CpuState.AC, "EFLAGS' upper half is cleared");
        assertEquals(0x1005, read32(TSS + 0x20), "outgoing EIP saved in the 32-bit TSS");
    }
}
