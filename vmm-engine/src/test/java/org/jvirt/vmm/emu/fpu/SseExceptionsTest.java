package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F38;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F3;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Availability and exception rules: #UD, #NM, #GP(0) alignment, #XM versus #UD, #MF. */
class SseExceptionsTest {
    private static void fault(int vector, Executable e) {
        CpuFault f = assertThrows(CpuFault.class, e);
        assertEquals(vector, f.vector, f.getMessage());
    }

    @Test
    void sseNeedsOsfxsrAndNoEmulation() {
        Rig rig = new Rig();
        rig.cpu.cr4 &= ~CpuState.CR4_OSFXSR;
        fault(CpuFault.UD, () -> rig.sse0f(0x58, PREFIX_NONE, 0, 1)); // ADDPS
        fault(CpuFault.UD, () -> rig.rm(MAP_0F, 0xae, PREFIX_NONE, 2, 0x100)); // LDMXCSR
        Rig em = new Rig();
        em.cpu.cr0 |= CpuState.CR0_EM;
        fault(CpuFault.UD, () -> em.sse0f(0xef, PREFIX_66, 0, 1)); // PXOR xmm
        fault(CpuFault.UD, () -> em.sse0f(0xef, PREFIX_NONE, 0, 1)); // PXOR mm: MMX is #UD with EM too
        fault(CpuFault.NM, () -> em.x87(0xd9, 0xe8)); // x87 with EM: #NM
    }

    @Test
    void taskSwitchedGivesDeviceNotAvailable() {
        Rig rig = new Rig();
        rig.cpu.cr0 |= CpuState.CR0_TS;
        fault(CpuFault.NM, () -> rig.sse0f(0x28, PREFIX_NONE, 0, 1));
        fault(CpuFault.NM, () -> rig.sse0f(0xfc, PREFIX_NONE, 0, 1));
        fault(CpuFault.NM, () -> rig.x87(0xd9, 0xe8));
        fault(CpuFault.NM, () -> rig.rm(MAP_0F, 0xae, PREFIX_NONE, 0, 0x100)); // FXSAVE
        assertTrue(rig.rr(MAP_0F, 0xae, PREFIX_NONE, 5, 0, 0, false)); // LFENCE needs nothing
    }

    @Test
    void alignedFormsFaultOnMisalignedMemory() {
        Rig rig = new Rig();
        fault(CpuFault.GP, () -> rig.rm(MAP_0F, 0x28, PREFIX_NONE, 0, 0x108)); // MOVAPS load
        fault(CpuFault.GP, () -> rig.rm(MAP_0F, 0x29, PREFIX_66, 0, 0x104)); // MOVAPD store
        fault(CpuFault.GP, () -> rig.rm(MAP_0F, 0x6f, PREFIX_66, 0, 0x101)); // MOVDQA
        fault(CpuFault.GP, () -> rig.rm(MAP_0F, 0xfe, PREFIX_66, 0, 0x108)); // PADDD xmm, m128
        fault(CpuFault.GP, () -> rig.rm(MAP_0F, 0x58, PREFIX_NONE, 0, 0x108)); // ADDPS xmm, m128
        fault(CpuFault.GP, () -> rig.rm(MAP_0F, 0xae, PREFIX_NONE, 0, 0x108)); // FXSAVE
        assertTrue(rig.rm(MAP_0F, 0x10, PREFIX_NONE, 0, 0x101)); // MOVUPS may be misaligned
        assertTrue(rig.rm(MAP_0F, 0x6f, PREFIX_F3, 0, 0x103)); // MOVDQU
        assertTrue(rig.rm(MAP_0F, 0x58, PREFIX_F3, 0, 0x101)); // ADDSS reads 4 bytes: no alignment
        assertTrue(rig.rm(MAP_0F38, 0x20, PREFIX_66, 0, 0x101)); // PMOVSXBW m64
        assertTrue(rig.rm(MAP_0F, 0xfe, PREFIX_NONE, 0, 0x101)); // PADDD mm, m64
    }

    @Test
    void unmaskedSimdExceptionIsXmAndLeavesTheDestination() {
        Rig rig = new Rig();
        rig.r.mxcsr = 0x1f80 & ~0x200; // unmask ZE
        rig.xmm(0, Float.floatToRawIntBits(1f), 0);
        rig.xmm(1, 0, 0);
        fault(CpuFault.XM, () -> rig.sse0f(0x5e, PREFIX_F3, 0, 1)); // DIVSS 1/0
        assertEquals(Float.floatToRawIntBits(1f), rig.lo(0), "destination unchanged");
        assertEquals(0x4, rig.r.mxcsr & 0x3f, "ZE recorded");
        rig.cpu.cr4 &= ~CpuState.CR4_OSXMMEXCPT;
        fault(CpuFault.UD, () -> rig.sse0f(0x5e, PREFIX_F3, 0, 1));
        rig.r.mxcsr = 0x1f80;
        assertTrue(rig.sse0f(0x5e, PREFIX_F3, 0, 1));
        assertEquals(0x7f800000L, rig.lo(0), "masked: +infinity");
    }

    @Test
    void ldmxcsrRejectsReservedBits() {
        Rig rig = new Rig();
        rig.mem.write32(0x100, 0x10000, false);
        fault(CpuFault.GP, () -> rig.rm(MAP_0F, 0xae, PREFIX_NONE, 2, 0x100));
        rig.mem.write32(0x100, 0x7f80 | 0x8040, false);
        assertTrue(rig.rm(MAP_0F, 0xae, PREFIX_NONE, 2, 0x100));
        assertEquals(0xff80 | 0x40, rig.r.mxcsr);
        assertTrue(rig.rm(MAP_0F, 0xae, PREFIX_NONE, 3, 0x200)); // STMXCSR
        assertEquals(0xffc0, rig.mem.read32(0x200, false));
    }

    @Test
    void xsaveFamilyIsUndefinedAndUnknownOpcodesAreRefused() {
        Rig rig = new Rig();
        fault(CpuFault.UD, () -> rig.rm(MAP_0F, 0xae, PREFIX_NONE, 4, 0x100)); // XSAVE
        fault(CpuFault.UD, () -> rig.rm(MAP_0F, 0xae, PREFIX_NONE, 5, 0x100)); // XRSTOR
        assertTrue(rig.rm(MAP_0F, 0xae, PREFIX_NONE, 7, 0x100)); // CLFLUSH
        assertTrue(rig.rr(MAP_0F, 0xae, PREFIX_NONE, 6, 0, 0, false)); // MFENCE
        assertTrue(rig.rr(MAP_0F, 0xae, PREFIX_NONE, 7, 0, 0, false)); // SFENCE
        assertTrue(rig.rm(MAP_0F, 0x18, PREFIX_NONE, 1, 0x100)); // PREFETCHT0
        assertFalse(rig.sse0f(0x04, PREFIX_NONE, 0, 1));
        assertFalse(rig.sse0f(0x6c, PREFIX_NONE, 0, 1)); // PUNPCKLQDQ has no MMX form
        assertFalse(rig.rr(MAP_0F38, 0xf0, PREFIX_NONE, 0, 1, 0, false)); // MOVBE is the core's
    }

    @Test
    void unmaskedX87ExceptionIsDeliveredAtTheNextWaitingInstruction() {
        Rig rig = new Rig();
        rig.mem.write16(0x100, 0x37b, false); // unmask ZE
        rig.x87m(0xd9, 5, 0x100); // FLDCW
        rig.x87(0xd9, 0xe8); // FLD1
        rig.x87(0xd9, 0xee); // FLDZ
        rig.x87(0xde, 0xf9); // FDIVP st(1), st: 1/0
        assertEquals(0x8084, rig.r.statusWord() & 0x80ff & ~0x38, "ZE, ES and B set");
        rig.x87m(0xdd, 7, 0x200); // FNSTSW does not wait
        fault(CpuFault.MF, () -> rig.x87(0xd9, 0xe8));
        rig.x87(0xdb, 0xe2); // FNCLEX
        rig.x87(0xd9, 0xe8);
        assertEquals(0, rig.r.statusWord() & 0x80ff);
    }
}
