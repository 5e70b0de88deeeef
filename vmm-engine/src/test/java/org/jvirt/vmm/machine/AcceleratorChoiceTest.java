package org.jvirt.vmm.machine;

import org.jvirt.vmm.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Which CPU backend a machine gets, and the typed refusal of one this build or host lacks (no KVM needed). */
class AcceleratorChoiceTest {

    @Test
    void acceleratorNamesAreTheCommandLineValues() {
        assertEquals(MachineConfig.Accel.KVM, MachineConfig.Accel.parse("kvm"));
        assertEquals(MachineConfig.Accel.EMU, MachineConfig.Accel.parse("emu"));
        assertEquals("emu", MachineConfig.Accel.EMU.cliName());
        assertEquals("kvm", MachineConfig.Accel.KVM.cliName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineConfig.Accel.parse("tcg"));
        assertEquals("unknown accelerator 'tcg' (kvm or emu)", e.getMessage());
    }

    @Test
    void theEmulatorRunsAGuestWithoutKvm(@TempDir Path dir) throws Exception {
        assertTrue(MachineConfig.Accel.KVM.implemented());
        assertTrue(MachineConfig.Accel.EMU.implemented());
        Path kernel = dir.resolve("ok.elf");
        Files.write(kernel, TestImages.pvhElf(false, TestImages.PVH_OK_CODE, TestImages.LOAD, 0, TestImages.LOAD));
        Path serial = dir.resolve("serial.txt");
        try (Machine m = Machine.create(MachineConfig.of(kernel).withAccel(MachineConfig.Accel.EMU)
                .withSerial(new MachineConfig.Serial.ToFile(serial)))) {
            m.start();
            MachineExit exit = m.awaitExit(java.time.Duration.ofSeconds(30));
            assertNotNull(exit, "the guest did not finish");
            assertEquals(MachineExit.Kind.DEBUG_EXIT, exit.kind(), exit.message());
            assertEquals(5, exit.debugExitValue());
        }
        assertEquals("ok\n", Files.readString(serial));
    }

    @Test
    void kvmWithoutAUsableDeviceIsAHostRefusal(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm")),
                "this host has /dev/kvm: the refusal cannot be seen");
        Path kernel = dir.resolve("ok.elf");
        Files.write(kernel, TestImages.pvhElf(false, TestImages.PVH_OK_CODE, TestImages.LOAD, 0, TestImages.LOAD));
        AcceleratorUnavailableException e = assertThrows(AcceleratorUnavailableException.class,
                () -> Machine.create(MachineConfig.of(kernel)));
        assertEquals(MachineConfig.Accel.KVM, e.accel());
        assertEquals(AcceleratorUnavailableException.Reason.HOST_UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().startsWith("KVM is not usable: "), e.getMessage());
    }
}
