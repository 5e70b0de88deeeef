package org.jvirt.vmm.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.jvirt.vmm.block.qcow2.Qcow2Create;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio-blk test guest on a qcow2 overlay whose backing file is the agreed raw disk: it reads
 * sector 0 through the overlay from the backing file and its write of sector 1 lands in the
 * overlay (copy-on-write), leaving the backing file as it was.
 */
@RequiresKvm
class VirtioBlkQcow2KvmTest {

    @TempDir Path tmp;

    @Test
    void guestReadsAndWritesAQcow2Overlay() throws Exception {
        Path elf = GuestImages.require("virtio-blk");
        Path base = GuestImagesKvmTest.makeDisk(tmp.resolve("base.img"));
        byte[] baseBytes = Files.readAllBytes(base);
        Path overlay = tmp.resolve("disk.qcow2");
        Qcow2Create.create(overlay, baseBytes.length, 3, 16, "base.img", "raw");
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig cfg = MachineConfig.of(elf).withMemory(GuestImagesKvmTest.MEMORY)
                .withSerial(new MachineConfig.Serial.Custom(serial))
                .withDisks(List.of(new MachineConfig.Disk(overlay, false, ImageFormat.QCOW2)));
        MachineExit exit;
        try (Machine m = Machine.create(cfg)) {
            m.start();
            exit = m.awaitExit(Duration.ofSeconds(60));
        }
        String out = serial.output().replace("\r\n", "\n");
        assertNotNull(exit, "did not finish; serial:\n" + out);
        assertTrue(out.contains("\nok virtio-blk\n"), "serial:\n" + out);
        assertEquals(1, exit.exitStatus(), exit + "\n" + out);
        Path flat = tmp.resolve("flat.img");
        try (BlockBackend d = DiskImages.open(overlay, ImageFormat.QCOW2, true)) {
            byte[] all = new byte[(int) d.capacity()];
            d.read(0, all, 0, all.length);
            Files.write(flat, all);
        }
        GuestImagesKvmTest.assertGuestWroteSector1(flat);
        assertEquals(java.util.Arrays.hashCode(baseBytes), java.util.Arrays.hashCode(Files.readAllBytes(base)), "backing file untouched");
    }
}
