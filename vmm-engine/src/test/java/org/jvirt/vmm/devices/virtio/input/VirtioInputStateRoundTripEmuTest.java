package org.jvirt.vmm.devices.virtio.input;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio-input guest is saved while it waits for keys on its virtio keyboard (DRIVER_OK, 64
 * buffers posted) and restored from the state file alone: the machine section brings back the
 * three devices, their "virtio-inputN" sections the transport and device state, and the keyboard,
 * active again, is in front of the PS/2 one: the keys typed into the restored machine arrive as
 * evdev events in the buffers the guest posted before the save.
 */
class VirtioInputStateRoundTripEmuTest {
    @TempDir
    Path dir;

    @Test
    void keyboardWorksAfterRestore() throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(GuestImages.require("virtio-input")).withAccel(MachineConfig.Accel.EMU)
                .withSerial(new MachineConfig.Serial.Custom(serial)).withInputs(List.of(
                        new MachineConfig.InputDevice(MachineConfig.InputKind.KEYBOARD, MachineConfig.InputBus.VIRTIO, null),
                        new MachineConfig.InputDevice(MachineConfig.InputKind.TABLET, MachineConfig.InputBus.VIRTIO, null),
                        new MachineConfig.InputDevice(MachineConfig.InputKind.MOUSE, MachineConfig.InputBus.VIRTIO, null)));
        Path file = dir.resolve("vinput.state");
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("virtio-input: ps2 keys", Duration.ofSeconds(60)), serial.output());
            m.board().input().key(0x1e, true);
            m.board().input().key(0x1e, false);
            assertTrue(serial.awaitOutput("virtio-input: keyboard keys", Duration.ofSeconds(30)), serial.output());
            m.pause();
            MachineStateFile.save(m, file);
        }
        InMemorySerialBackend after = new InMemorySerialBackend();
        try (Machine m = MachineStateFile.restoreMachine(file, new MachineConfig.Serial.Custom(after), MachineConfig.Accel.EMU)) {
            m.resume();
            for (int q : new int[] {0x30, 0x58}) {
                m.board().input().key(q, true);
                m.board().input().key(q, false);
            }
            assertTrue(after.awaitOutput("virtio-input: tablet", Duration.ofSeconds(30)), "restored guest printed: " + after.output());
            String out = after.output().replace("\r", "").strip() + "\n";
            assertTrue(out.startsWith("kbd: 1 30 1 (8)\nkbd: syn\nkbd: 1 30 0 (8)\nkbd: syn\nkbd: 1 58 1 (8)\nkbd: syn\nkbd: 1 58 0 (8)\nkbd: syn\n"
                    + "kbd: 8042 empty\n"), "restored guest printed: " + out);
            assertFalse(out.contains("ps2"), out);
        }
    }
}
