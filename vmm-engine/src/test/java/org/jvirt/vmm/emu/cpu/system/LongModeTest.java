package org.jvirt.vmm.emu.cpu.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvirt.vmm.emu.cpu.CpuState.CS;
import static org.jvirt.vmm.emu.cpu.CpuState.DS;
import static org.jvirt.vmm.emu.cpu.CpuState.GS;
import static org.jvirt.vmm.emu.cpu.CpuState.RCX;
import static org.jvirt.vmm.emu.cpu.CpuState.RSP;
import static org.jvirt.vmm.emu.cpu.CpuState.SS;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.SystemUnit;
import org.jvirt.vmm.emu.cpu.SystemUnit.SystemOp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Long mode: 16-byte gates, IST, IRETQ, SYSCALL/SYSRET, 64-bit call gates, the mode switch itself. */
class LongModeTest extends SystemFixture {
    static final int K_CODE = 0x08, K_DATA = 0x10, U_CODE32 = 0x1b, U_DATA = 0x23, U_CODE = 0x2b, TSS_SEL = 0x30,
            GATE64 = 0x40;

    @BeforeEach
    void longMode() {
        enterProtectedMode();
        gdt(1, code64(0));
        gdt(2, data32(0));
        gdt(3, code32(3));
        gdt(4, data32(3));
        gdt(5, code64(3));
        gdt(6, desc(TSS, 0x67, 9, false, 0, true, false, false, false));
        gdt(7, 0); // upper half of the 16-byte TSS descriptor: base 63..32 = 0
        // 64-bit call gate (16 bytes) at index 8, DPL 3, to K_CODE:0xffffffff80001000
        long off = 0xffffffff80001000L;
        gdt(8, gate(K_CODE, off, 12, 3, 0));
        gdt(9, off >>> 32);
        bus.write64(TSS + 4, 0x9000);      // RSP0
        bus.write64(TSS + 0x24, 0xa008);   // IST1 (not 16-byte aligned on purpose)
        st.cr4 = CpuState.CR4_PAE;
        st.efer = CpuState.EFER_LME | CpuState.EFER_SCE;
        unit.writeControlRegister(0, CpuState.CR0_PE | CpuState.CR0_PG | CpuState.CR0_ET);
        assertTrue(st.longMode(), "CR0.PG with EFER.LME and CR4.PAE sets EFER.LMA");
        st.idtLimit = 0xfff;
        unit.farJump(K_CODE, 0xffffffff80000000L, 8, 0);
        assertTrue(st.mode64());
        unit.systemInstruction(SystemOp.LTR, TSS_SEL, 2);
        unit.loadSegment(SS, K_DATA);
        idt64(0x80, K_CODE, 0xffffffff80002000L, 14, 3, 0);
        idt64(0x02, K_CODE, 0xffffffff80003000L, 14, 0, 1); // NMI on IST1
    }

    void toUser(int cs, long rip, long rsp) {
        st.gpr[RSP] = 0x8000 - 40;
        bus.write64(0x8000 - 40, rip);
        bus.write64(0x8000 - 32, cs);
        bus.write64(0x8000 - 24, 0x202);
        bus.write64(0x8000 - 16, rsp);
        bus.write64(0x8000 - 8, U_DATA);
        unit.interruptReturn(8);
    }

    @Test
    void iretqToRing3ThenInterruptBackSwitchesToRsp0() {
        unit.loadSegment(DS, K_DATA);
        toUser(U_CODE, 0x400000, 0x7ff0);
        assertEquals(3, st.cpl);
        assertTrue(st.mode64());
        assertEquals(0x7ff0, st.gpr[RSP]);
        assertEquals(0x400000, st.rip);
        assertTrue(st.seg[DS].unusable, "DPL-0 data segment nulled on the way out");
        unit.deliver(0x80, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0x400002);
        assertEquals(0, st.cpl);
        assertEquals(0xffffffff80002000L, st.rip);
        assertEquals(0x9000 - 40, st.gpr[RSP]);
        assertEquals(0x400002, bus.read64(0x9000 - 40));
        assertEquals(U_CODE, bus.read64(0x9000 - 32));
        assertEquals(0x7ff0, bus.read64(0x9000 - 16));
        assertEquals(U_DATA, bus.read64(0x9000 - 8));
        assertEquals(0, st.seg[SS].selector & 0xfffc, "SS is null after a privilege change");
        unit.interruptReturn(8);
        assertEquals(3, st.cpl);
        assertEquals(0x7ff0, st.gpr[RSP]);
    }

    @Test
    void istStackIsAlignedAndAlwaysPushesSsRsp() {
        st.gpr[RSP] = 0x8123;
        unit.deliver(2, SystemUnit.NMI, false, 0, 0xffffffff80000010L);
        assertEquals(0xa000 - 40, st.gpr[RSP]);
        assertEquals(0x8123, bus.read64(0xa000 - 16));
        assertEquals(K_DATA, bus.read64(0xa000 - 8));
        assertEquals(0, st.cpl);
        unit.interruptReturn(8);
        assertEquals(0x8123, st.gpr[RSP]);
        assertEquals(0xffffffff80000010L, st.rip);
    }

    @Test
    void sameRingInterruptAlignsTheCurrentStack() {
        st.gpr[RSP] = 0x8008;
        unit.deliver(0x80, SystemUnit.EXCEPTION, true, 7, 0x1);
        assertEquals(0x8000 - 48, st.gpr[RSP]);
        assertEquals(7, bus.read64(0x8000 - 48));
    }

    @Test
    void gateToNon64BitCodeAndNonCanonicalReturnsFault() {
        idt64(0x81, U_CODE32, 0x1000, 14, 0, 0);
        assertFault(CpuFault.GP, U_CODE32 - 3 + 1, () -> unit.deliver(0x81, SystemUnit.HARDWARE_INTERRUPT, false, 0, 0));
        idt(0x82 * 2, gate(K_CODE, 0, 6, 0, 0)); // a 16-bit gate is invalid in long mode
        assertFault(CpuFault.GP, 0x82 * 8 + 2, () -> unit.deliver(0x82, SystemUnit.SOFTWARE_INTERRUPT, false, 0, 0));
        st.gpr[RSP] = 0x8000 - 40;
        bus.write64(0x8000 - 40, 0x0000800000000000L); // non-canonical RIP
        bus.write64(0x8000 - 32, U_CODE);
        bus.write64(0x8000 - 24, 2);
        bus.write64(0x8000 - 16, 0x7000);
        bus.write64(0x8000 - 8, U_DATA);
        assertFault(CpuFault.GP, 0, () -> unit.interruptReturn(8));
        assertEquals(0, st.cpl, "nothing changed");
    }

    @Test
    void iretToCompatibilityModeWithNullSsIsRefusedAtRing3() {
        st.gpr[RSP] = 0x8000 - 40;
        bus.write64(0x8000 - 40, 0x1000);
        bus.write64(0x8000 - 32, U_CODE32);
        bus.write64(0x8000 - 24, 2);
        bus.write64(0x8000 - 16, 0x7000);
        bus.write64(0x8000 - 8, 0);
        assertFault(CpuFault.GP, 0, () -> unit.interruptReturn(8));
        bus.write64(0x8000 - 8, U_DATA);
        unit.interruptReturn(8);
        assertFalse(st.mode64());
        assertTrue(st.longMode());
        assertEquals(3, st.cpl);
    }

    @Test
    void syscallAndSysret() {
        st.star = ((long) 0x18 << 48) | ((long) K_CODE << 32);
        st.lstar = 0xffffffff81000000L;
        st.sfmask = CpuState.IF | CpuState.TF;
        toUser(U_CODE, 0x400000, 0x7ff0);
        st.setRflags(0x202 | CpuState.TF);
        unit.fastSystemCall(SystemOp.SYSCALL, 8, 0x400002);
        assertEquals(0, st.cpl);
        assertEquals(0xffffffff81000000L, st.rip);
        assertEquals(0x400002, st.gpr[RCX]);
        assertEquals(0x302, st.gpr[11]);
        assertEquals(K_CODE, st.seg[CS].selector);
        assertEquals(K_DATA, st.seg[SS].selector);
        assertEquals(0, st.rflags() & (CpuState.IF | CpuState.TF));
        unit.fastSystemCall(SystemOp.SYSRET, 8, 0);
        assertEquals(3, st.cpl);
        assertEquals(U_CODE, st.seg[CS].selector);
        assertEquals(U_DATA, st.seg[SS].selector);
        assertTrue(st.mode64());
        assertEquals(0x400002, st.rip);
        assertEquals(0x302, st.rflags());
        // SYSRET to a non-canonical RCX faults (in ring 0, before anything changes).
        st.cpl = 0;
        st.gpr[RCX] = 0x0000800000000000L;
        assertFault(CpuFault.GP, 0, () -> unit.fastSystemCall(SystemOp.SYSRET, 8, 0));
        // 32-bit SYSRET returns to compatibility mode.
        st.gpr[RCX] = 0x12345678abcdL;
        unit.fastSystemCall(SystemOp.SYSRET, 4, 0);
        assertEquals(U_CODE32, st.seg[CS].selector);
        assertEquals(0xabcdL | 0x5678L << 16, st.rip);
        assertFalse(st.mode64());
        st.efer &= ~CpuState.EFER_SCE;
        assertFault(CpuFault.UD, 0, () -> unit.fastSystemCall(SystemOp.SYSCALL, 8, 0));
    }

    @Test
    void swapgsAndBaseMsrs() {
        unit.writeMsr(0xc0000101, 0x1111);
        unit.writeMsr(0xc0000102, 0xffff888000000000L);
        unit.systemInstruction(SystemOp.SWAPGS, 0, 4);
        assertEquals(0xffff888000000000L, st.seg[GS].base);
        assertEquals(0x1111, unit.readMsr(0xc0000102));
        assertFault(CpuFault.GP, 0, () -> unit.writeMsr(0xc0000100, 0x0000800000000000L));
        unit.systemInstruction(SystemOp.SGDT, 0x600, 8);
        assertEquals(GDT, bus.read64(0x602), "SGDT stores an 8-byte base in 64-bit mode");
    }

    @Test
    void callGate64FromRing3() {
        toUser(U_CODE, 0x400000, 0x7ff0);
        unit.farCall(GATE64 | 3, 0, 4, 0x400007);
        assertEquals(0, st.cpl);
        assertEquals(0xffffffff80001000L, st.rip);
        assertEquals(0x9000 - 32, st.gpr[RSP]);
        assertEquals(0x400007, bus.read64(0x9000 - 32));
        assertEquals(U_CODE, bus.read64(0x9000 - 24));
        assertEquals(0x7ff0, bus.read64(0x9000 - 16));
        assertEquals(U_DATA, bus.read64(0x9000 - 8));
        unit.farReturn(8, 0);
        assertEquals(3, st.cpl);
        assertEquals(0x400007, st.rip);
        assertEquals(0x7ff0, st.gpr[RSP]);
    }

    @Test
    void leavingLongModeAndControlRegisterChecks() {
        assertFault(CpuFault.GP, 0, () -> unit.writeControlRegister(0, CpuState.CR0_PE)); // paging off in 64-bit mode
        assertFault(CpuFault.GP, 0, () -> unit.writeControlRegister(4, 0));                 // PAE off in long mode
        assertFault(CpuFault.GP, 0, () -> unit.writeControlRegister(4, CpuState.CR4_PAE | CpuState.CR4_OSXSAVE));
        assertFault(CpuFault.GP, 0, () -> unit.writeControlRegister(3, 1L << 52));
        int flushes = tlb.flushes;
        unit.writeControlRegister(3, 0x5000);
        assertEquals(flushes + 1, tlb.flushes);
        int full = tlb.fullFlushes;
        unit.writeControlRegister(4, CpuState.CR4_PAE | CpuState.CR4_PGE);
        assertEquals(full + 1, tlb.fullFlushes);
        unit.writeControlRegister(8, 0xf);
        assertEquals(0xf, unit.readControlRegister(8));
        assertFault(CpuFault.GP, 0, () -> unit.writeControlRegister(8, 0x10));
        assertFault(CpuFault.GP, 0, () -> unit.writeMsr(0xc0000080, 0)); // LME change with paging on
        unit.writeMsr(0xc0000080, CpuState.EFER_LME | CpuState.EFER_SCE | CpuState.EFER_NXE);
        assertTrue(st.longMode(), "LMA is read-only");
        // A ring-3 code segment is not a JMP target from ring 0.
        assertFault(CpuFault.GP, U_CODE32 & ~3, () -> unit.farJump(U_CODE32 & ~3, 0x1000, 4, 0));
        // From compatibility mode, clearing CR0.PG leaves long mode.
        gdt(10, code32(0));
        unit.farJump(0x50, 0x1000, 4, 0);
        assertFalse(st.mode64());
        unit.writeControlRegister(0, CpuState.CR0_PE);
        assertFalse(st.longMode());
    }
}
