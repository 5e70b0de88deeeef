package org.jvirt.vmm.emu;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.cpu.state.MpState;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The emulator's boot entry against the registers KVM's reset sets for the same BootCpuState. */
class EmuBootEntryTest {

    private static VcpuState exported(CpuState s) {
        return CpuStateMapping.export(s, new FxImageUnit(), new byte[VcpuState.LAPIC_SIZE], 0, Map.of(), MpState.RUNNABLE);
    }

    private static BootCpuState boot(BootCpuState.Mode mode) {
        return new BootCpuState(mode, KvmShapedStates.RIP, KvmShapedStates.RSP, 0, KvmShapedStates.RSI,
                KvmShapedStates.GDT, 0x1f, mode == BootCpuState.Mode.LONG_64 ? KvmShapedStates.CR3 : 0x5555000);
    }

    @Test
    void pvhEntryMatchesKvmRegisterForRegister() {
        CpuState s = new CpuState();
        s.gpr[CpuState.RAX] = 99; // leftovers from before the reset
        s.cr3 = 0x1234000;
        EmuBootEntry.apply(s, boot(BootCpuState.Mode.PROTECTED_32));
        VcpuState kvm = KvmShapedStates.boot(false);
        VcpuState emu = exported(s);
        assertEquals(kvm.system(), emu.system());
        assertEquals(kvm.general(), emu.general());
        assertEquals(kvm.debug(), emu.debug());
        assertTrue(s.protectedMode() && !s.longMode());
        assertEquals(0, s.cpl);
    }

    @Test
    void longEntryMatchesKvmRegisterForRegister() {
        CpuState s = new CpuState();
        EmuBootEntry.apply(s, boot(BootCpuState.Mode.LONG_64));
        VcpuState kvm = KvmShapedStates.boot(true);
        VcpuState emu = exported(s);
        assertEquals(kvm.system(), emu.system());
        assertEquals(kvm.general(), emu.general());
        assertTrue(s.mode64());
        // the MSRs KVM's BootMsrs sets have the same values
        kvm.msrs().forEach((index, value) -> {
            if (emu.msrs().containsKey(index)) assertEquals(value, emu.msrs().get(index), Integer.toHexString(index));
        });
    }

    @Test
    void anApplicationProcessorStaysAtPowerOn() {
        CpuState s = new CpuState();
        s.cr0 |= CpuState.CR0_PE;
        EmuBootEntry.apply(s, null);
        assertFalse(s.protectedMode());
        assertEquals(0xfff0, s.rip);
        assertEquals(0xffff0000L, s.seg[CpuState.CS].base);
    }
}
