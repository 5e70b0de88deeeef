package org.jvirt.vmm.emu;

import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.platform.PlatformState;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pause, state export and import, resume on the emulator (what save/restore and snapshots do), then the power button; no KVM. */
class EmuStateRoundTripTest {

    @Test
    void tickerKeepsTickingAfterItsOwnStateIsReimported() throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(GuestImages.require("ticker")).withAccel(MachineConfig.Accel.EMU)
                .withSerial(new MachineConfig.Serial.Custom(serial));
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("tick 3\r\n", Duration.ofSeconds(30)), serial.output());
            m.pause();
            PlatformState platform = m.exportPlatformState();
            List<VcpuState> vcpus = m.exportVcpuStates();
            assertEquals(1, vcpus.size());
            // the guest clock stood still while paused: the export is where the guest left off
            Thread.sleep(300);
            assertEquals(platform.clockNanos(), m.exportPlatformState().clockNanos());
            m.importPlatformState(platform);
            m.importVcpuStates(vcpus);
            assertEquals(vcpus.get(0).general(), m.exportVcpuStates().get(0).general());
            m.resume();
            assertTrue(serial.awaitOutput("tick 8\r\n", Duration.ofSeconds(30)), serial.output());
            assertTrue(m.isRunning());
            // the ACPI power button: SCI level-triggered through the 8259 (ELCR), then S5
            m.requestPowerButton();
            org.jvirt.vmm.machine.MachineExit exit = m.awaitExit(Duration.ofSeconds(30));
            assertTrue(exit != null && exit.kind() == org.jvirt.vmm.machine.MachineExit.Kind.POWER_OFF, exit + "\n" + serial.output());
            assertTrue(serial.output().contains("ticker: power button"), serial.output());
        }
    }
}
