package org.jvirt.vmm.devices.i8042;

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
 * A key typed into a paused machine is still there after a save and a restore from the file
 * alone: the "i8042" section (version 2) carries the output buffer and the keyboard's queue, and
 * the restored kbd-echo guest reads and prints the key's bytes (translated set 2 'A': 1E, 9E).
 */
class I8042StateRoundTripEmuTest {
    @TempDir
    Path dir;

    @Test
    void queuedKeySurvivesSaveAndRestore() throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(GuestImages.require("kbd-echo")).withAccel(MachineConfig.Accel.EMU)
                .withSerial(new MachineConfig.Serial.Custom(serial));
        Path file = dir.resolve("kbd.state");
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("kbd-echo: keys translated set 2", Duration.ofSeconds(60)), serial.output());
            m.pause();
            m.board().input().key(0x1e, true);  // 1E waits in the output buffer,
            m.board().input().key(0x1e, false); // 9E in the keyboard's queue
            MachineStateFile.save(m, file);
        }
        assertTrue(!serial.output().contains("k 1e"), "the paused guest read nothing: " + serial.output());
        InMemorySerialBackend after = new InMemorySerialBackend();
        try (Machine m = MachineStateFile.restoreMachine(file, new MachineConfig.Serial.Custom(after), MachineConfig.Accel.EMU)) {
            m.resume();
            assertTrue(after.awaitOutput("k 9e", Duration.ofSeconds(30)), "restored guest printed: " + after.output());
            assertTrue(after.output().replace("\r", "").strip().startsWith("k 1e\nk 9e"), "restored guest printed: " + after.output());
        }
    }
}
