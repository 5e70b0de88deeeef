package org.jvirt.vmm.devices.balloon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;

/**
 * The virtio-balloon guest is saved with 2048 pages in its balloon and its statistics buffer
 * held by the device, and restored from the state file alone: the machine section brings the
 * balloon back, its "virtio-balloon" section the transport, num_pages/actual, the frame set and
 * the held buffer; the restored device hands that buffer back when the polling starts (the
 * guest posts new statistics into it) and the guest deflates all 2048 pages on the next target.
 */
class VirtioBalloonStateRoundTripEmuTest {
    private static final long RAM = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void theBalloonAndItsHeldBufferSurviveARestore() throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(GuestImages.require("virtio-balloon")).withAccel(MachineConfig.Accel.EMU).withMemory(RAM)
                .withSerial(new MachineConfig.Serial.Custom(serial)).withBalloon(new MachineConfig.Balloon(null, false, 0));
        Path file = dir.resolve("balloon.state");
        GuestStats before;
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("virtio-balloon: ready", Duration.ofSeconds(60)), serial.output());
            m.board().balloon().setTarget(RAM - (8 << 20));
            assertTrue(serial.awaitOutput("num_pages 2048: inflated 2048 deflated 0, actual 2048", Duration.ofSeconds(30)), serial.output());
            m.pause();
            before = m.board().balloon().guestStats();
            assertEquals(2048, m.board().balloon().balloonedPages());
            MachineStateFile.save(m, file);
        }
        InMemorySerialBackend after = new InMemorySerialBackend();
        try (Machine m = MachineStateFile.restoreMachine(file, new MachineConfig.Serial.Custom(after), MachineConfig.Accel.EMU)) {
            VirtioBalloon b = m.board().balloon();
            assertEquals(RAM - (8 << 20), b.actualBytes());
            assertEquals(2048, b.numPages());
            assertEquals(2048, b.balloonedPages());
            assertEquals(before, b.guestStats());
            m.resume();
            b.setPollInterval(1);
            assertTrue(after.awaitOutput("stats round 2 posted", Duration.ofSeconds(30)), "restored guest printed: " + after.output());
            assertTrue(after.output().contains("virtio-balloon: stats buffer back, 0 bytes written"), after.output());
            b.setPollInterval(0);
            b.setTarget(RAM);
            assertTrue(after.awaitOutput("num_pages 0: inflated 0 deflated 2048, actual 0", Duration.ofSeconds(30)), after.output());
            assertEquals(0, b.balloonedPages());
            assertEquals(RAM, b.actualBytes());
            assertEquals((2L << 32) | (1 << 20) | 0x123, b.guestStats().value(GuestStats.SWAP_IN), "round 2 in the buffer held across the restore");
        }
    }
}
