package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvirt.vmm.emu.cpu.CpuHarness.faults;
import static org.jvirt.vmm.emu.cpu.CpuHarness.halted;
import static org.jvirt.vmm.emu.cpu.CpuHarness.reachesUserHlt;
import static org.jvirt.vmm.emu.cpu.CpuState.*;

import org.junit.jupiter.api.Test;

/** The CPU's control side: interrupts, NMI, single-step, stop, double fault, IOPL, the decode cache. */
class X86CpuControlTest {
    @Test
    void softwareInterruptGoesToTheSystemUnit() {
        CpuHarness h = CpuHarness.long64();
        h.code(0xcd, 0x80);
        assertEquals(X86Cpu.RunExit.HALTED, h.run());
        assertEquals(0x80, h.vector);
        assertEquals(SystemUnit.SOFTWARE_INTERRUPT, h.kind);
    }

    @Test
    void interruptIsDeliveredAtABoundaryAndWakesHlt() {
        CpuHarness h = CpuHarness.real();
        boolean[] pending = {true};
        h.cpu.setInterruptSource(new InterruptSource() {
            @Override public boolean hasInterrupt() { return pending[0]; }
            @Override public int acknowledge() { pending[0] = false; return 0x20; }
        });
        h.code(0xfb, 0x90); // sti; nop (the interrupt comes after the instruction following STI)
        assertEquals(X86Cpu.RunExit.HALTED, h.run());
        assertEquals(0x20, h.vector);
        assertEquals(SystemUnit.HARDWARE_INTERRUPT, h.kind);
        assertEquals(CpuHarness.CODE + 2, h.st.rip, "delivered after STI's shadow, before HLT");
        assertFalse(pending[0]);
    }

    @Test
    void requestStopReturnsAtTheNextBoundary() {
        CpuHarness h = CpuHarness.real();
        h.code(0xeb, 0xfe); // jmp $
        assertEquals(X86Cpu.RunExit.BUDGET, h.cpu.run(1000));
        assertEquals(1000, h.cpu.instructionsRetired());
        h.cpu.requestStop();
        assertEquals(X86Cpu.RunExit.STOPPED, h.cpu.run(1000));
    }

    @Test
    void userModeIoAndCliNeedIopl() {
        CpuHarness h = CpuHarness.protected32();
        h.st.cpl = 3;
        h.code(0xe4, 0x60); // in al,60h: CPL 3 > IOPL 0 -> the system unit's bitmap check (#GP here)
        faults(h, CpuFault.GP);

        h = CpuHarness.protected32();
        h.st.cpl = 3;
        h.code(0xfa); // cli
        faults(h, CpuFault.GP);

        h = CpuHarness.protected32();
        h.st.cpl = 3;
        h.st.setRflags(h.st.rflags() | IOPL);
        h.code(0xfa, 0xe4, 0x60); // IOPL 3: both allowed
        reachesUserHlt(h);
        assertEquals(0, h.st.rflags() & IF);
        assertEquals(0x78, h.r(RAX) & 0xff);
    }

    @Test
    void rdtscWorksAtCpl3WithTheRealSystemUnit() {
        CpuHarness h = CpuHarness.protected32();
        h.cpu.setSystemUnit(new org.jvirt.vmm.emu.cpu.system.X86SystemUnit(h.st, h.cpu.linearMemory(), null, () -> 0x1_2345_6789L, 0, 1));
        h.st.cpl = 3;
        h.code(0x0f, 0x31); // rdtsc: RDMSR is CPL-0 only, RDTSC is not (CR4.TSD clear)
        assertEquals(X86Cpu.RunExit.BUDGET, h.cpu.run(1));
        assertEquals(0x2345_6789L, h.r(RAX));
        assertEquals(1, h.r(RDX));
        assertEquals(CpuHarness.CODE + 2, h.st.rip);
    }

    @Test
    void failedCmpxchgStoresNothing() {
        // a store there would overwrite what another vCPU wrote between the read and the write
        CpuHarness h = CpuHarness.long64();
        h.poke32(0x3000, 5);
        h.watched[3] = true; // a watched page counts every store into it
        h.set(RBX, 0x3000);
        h.set(RAX, 1);
        h.set(RCX, 9);
        h.code(0xf0, 0x0f, 0xb1, 0x0b); // lock cmpxchg [rbx], ecx: 5 != 1
        halted(h);
        assertEquals(0, h.codeVersion, "no store on a failed compare");
        assertEquals(5, h.r(RAX));
        assertEquals(5, h.peek32(0x3000));

        h = CpuHarness.long64();
        h.poke32(0x3000, 5);
        h.watched[3] = true;
        h.set(RBX, 0x3000);
        h.set(RAX, 5);
        h.set(RCX, 9);
        h.code(0xf0, 0x0f, 0xb1, 0x0b); // equal: stores ECX
        halted(h);
        assertTrue(h.codeVersion > 0);
        assertEquals(9, h.peek32(0x3000));
    }

    @Test
    void popfAtCpl3KeepsIoplAndIf() {
        CpuHarness h = CpuHarness.protected32();
        h.st.cpl = 3;
        h.st.setRflags(IF);
        h.set(RAX, 0x3000 | CF | DF);
        // push eax; popfd: IOPL (CPL 3 > 0) and IF (CPL > IOPL) stay, CF and DF load
        h.code(0x50, 0x9d);
        reachesUserHlt(h);
        assertEquals(IF | CF | DF, h.st.rflags() & (IF | IOPL | CF | DF));
    }

    @Test
    void movSsHoldsOffInterruptsForOneInstruction() {
        CpuHarness h = CpuHarness.real();
        boolean[] pending = {false};
        h.cpu.setInterruptSource(new InterruptSource() {
            @Override public boolean hasInterrupt() { return pending[0]; }
            @Override public int acknowledge() { pending[0] = false; return 0x30; }
        });
        h.st.setRflags(IF);
        h.code(0x8e, 0xd0, 0x90, 0x90); // mov ss,ax; nop; nop
        assertEquals(X86Cpu.RunExit.BUDGET, h.cpu.run(1)); // mov ss
        pending[0] = true;
        assertEquals(X86Cpu.RunExit.BUDGET, h.cpu.run(1)); // the nop runs in the shadow
        assertEquals(-1, h.vector);
        assertEquals(CpuHarness.CODE + 3, h.st.rip);
        h.cpu.run(1);
        assertEquals(0x30, h.vector);
        assertEquals(CpuHarness.CODE + 3, h.st.rip);
    }

    @Test
    void faultWhileDeliveringBecomesDoubleFaultThenShutdown() {
        CpuHarness h = CpuHarness.real();
        X86Cpu cpu = h.cpu;
        cpu.setSystemUnit(new RealModeSystemUnit(h.st, cpu.linearMemory(), CpuProfile.X86_64));
        h.st.idtLimit = 0x10; // vectors above 3 lie beyond the IVT limit: #UD delivery faults, so does #DF
        h.code(0x0f, 0x0b); // ud2
        assertEquals(X86Cpu.RunExit.SHUTDOWN, cpu.run(10));
        assertEquals(CpuHarness.CODE, h.st.rip);
        assertEquals(0x8000, h.r(RSP), "nothing was pushed");
    }

    @Test
    void selfModifyingCodeIsSeenThroughTheDecodeCache() {
        CpuHarness h = CpuHarness.protected32();
        // 1000: B0 01        mov al,1        <- patched to mov al,2 after the first pass
        // 1002: 41           inc ecx
        // 1003: 83 F9 02     cmp ecx,2
        // 1006: 74 07        je 100F (hlt)
        // 1008: C6 05 01 10 00 00 02   mov byte [1001h],2
        // 100F: EB EF ... -> jmp 1000 is at 100F? no: layout below
        h.code(0xb0, 0x01, 0x41, 0x83, 0xf9, 0x02, 0x74, 0x09, 0xc6, 0x05, 0x01, 0x10, 0x00, 0x00, 0x02, 0xeb, 0xef);
        // 1011: HLT (je target: 1008 + 9 = 1011)
        halted(h);
        assertEquals(2, h.r(RCX));
        assertEquals(2, h.r(RAX) & 0xff, "the second pass ran the patched instruction");
        assertTrue(h.watched[1], "the CPU asked the bus to watch its code page");
    }

    @Test
    void trapFlagTrapsAfterTheNextInstruction() {
        CpuHarness h = CpuHarness.real();
        h.st.setRflags(TF);
        h.code(0x40, 0x40); // inc ax; inc ax
        assertEquals(X86Cpu.RunExit.HALTED, h.run());
        assertEquals(CpuFault.DB, h.vector);
        assertEquals(SystemUnit.EXCEPTION, h.kind);
        assertEquals(CpuHarness.CODE + 1, h.st.rip, "a trap: after the first INC");
        assertEquals(1, h.r(RAX));
        assertEquals(0x4000, h.st.dr[6] & 0x4000);
    }

    @Test
    void nmiIsNotNestedBeforeIret() {
        CpuHarness h = CpuHarness.real();
        int[] taken = {0};
        h.cpu.setInterruptSource(new InterruptSource() {
            @Override public boolean hasInterrupt() { return false; }
            @Override public int acknowledge() { throw new IllegalStateException(); }
            @Override public boolean takeNmi() { taken[0]++; return true; }
        });
        h.code(0x90, 0x90);
        h.st.halted = false;
        assertEquals(X86Cpu.RunExit.HALTED, h.run()); // the harness halts on the first delivery
        assertEquals(CpuFault.NMI, h.vector);
        assertEquals(SystemUnit.NMI, h.kind);
        h.st.halted = false;
        h.cpu.run(2);
        assertEquals(1, taken[0], "no second NMI is taken before an IRET");
    }
}
