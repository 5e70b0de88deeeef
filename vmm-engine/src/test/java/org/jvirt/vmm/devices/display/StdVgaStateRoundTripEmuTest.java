package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine with the std VGA saved to a state file and restored from the file alone: the
 * machine section names the display, the "vga" section brings back the registers and VRAM, so
 * the restored screen is the saved one (a VBE mode and a text mode), and the 0xa0000 window is
 * the device's again.
 */
class StdVgaStateRoundTripEmuTest {
    @TempDir
    Path dir;

    @Test
    void vbePictureSurvivesSaveAndRestore() throws Exception {
        roundTrip(2);
    }

    @Test
    void textPictureSurvivesSaveAndRestore() throws Exception {
        roundTrip(10);
    }

    private void roundTrip(int mode) throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(GuestImages.require("vga")).withAccel(MachineConfig.Accel.EMU).withCmdline("vga=" + mode)
                .withVideo(MachineConfig.Video.VGA).withSerial(new MachineConfig.Serial.Custom(serial));
        Path file = dir.resolve("vga" + mode + ".state");
        byte[] before;
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("vga: drawn", Duration.ofSeconds(60)), serial.output());
            m.pause();
            before = m.board().vga().render().toPpm();
            MachineStateFile.save(m, file);
        }
        assertEquals(MachineConfig.Video.VGA, MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.EMU).video());
        try (Machine m = MachineStateFile.restoreMachine(file, new MachineConfig.Serial.Custom(new InMemorySerialBackend()), MachineConfig.Accel.EMU)) {
            assertNotNull(m.board().vga(), "the restored machine has its VGA");
            assertArrayEquals(before, m.board().vga().render().toPpm(), "the restored screen is the saved one");
            assertTrue(m.mmioBus().isClaimed(0xb8000), "the legacy window is the VGA's");
        }
    }
}
