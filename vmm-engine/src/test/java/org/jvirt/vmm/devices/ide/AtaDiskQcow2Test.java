package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.jvirt.vmm.block.qcow2.Qcow2Create;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seeded random guest writes through the IDE ports onto a qcow2 overlay; qemu-img checks the image and compares it with a raw model. */
class AtaDiskQcow2Test {

    @TempDir Path dir;

    @Test
    void guestWritesLeaveAConsistentQcow2() throws Exception {
        assumeTrue(GuestImages.onPath("qemu-img"), "skipped: qemu-img (qemu-utils) not installed");
        byte[] base = new byte[2 << 20];
        new Random(1).nextBytes(base);
        Files.write(dir.resolve("base.raw"), base);
        Path overlay = dir.resolve("disk.qcow2");
        Qcow2Create.create(overlay, base.length, 3, 16, "base.raw", "raw");
        byte[] model = base.clone();
        Random r = new Random(2);
        try (AtaDisk disk = new AtaDisk(DiskImages.open(overlay, ImageFormat.QCOW2, false), "Q", "JVIRT HARDDISK")) {
            IdeTestDriver d = new IdeTestDriver(disk, null);
            d.command28(0, 0xC6, 0, 16, 0);
            for (int i = 0; i < 60; i++) {
                int sectors = 1 + r.nextInt(64);
                long lba = r.nextInt(base.length / 512 - sectors);
                byte[] data = new byte[sectors * 512];
                r.nextBytes(data);
                boolean multiple = r.nextBoolean();
                d.command48(0, multiple ? 0x39 : 0x34, lba, sectors);
                d.pioOut(data, multiple ? 16 : 1);
                System.arraycopy(data, 0, model, (int) lba * 512, data.length);
                if (i % 10 == 0) {
                    d.command28(0, 0x20, lba, sectors, 0);
                    assertArrayEquals(data, d.pioIn(sectors, 1), "read back through the overlay");
                }
            }
            d.command28(0, 0xE7, 0, 0, 0);
            assertEquals(0x50, d.inb(IdeTestDriver.STATUS), "FLUSH CACHE");
            d.command48(0, 0x24, 0, 4096);
            assertArrayEquals(model, d.pioIn(4096, 1), "the whole disk as the model");
        }
        Files.write(dir.resolve("model.raw"), model);
        assertEquals(0, run("qemu-img", "check", "-q", overlay.toString()), "qemu-img check");
        assertEquals(0, run("qemu-img", "compare", "-q", "-f", "qcow2", "-F", "raw", overlay.toString(),
                dir.resolve("model.raw").toString()), "qemu-img compare with the raw model");
        assertArrayEquals(base, Files.readAllBytes(dir.resolve("base.raw")), "the backing file is untouched");
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) System.err.println(String.join(" ", cmd) + ": " + out);
        return rc;
    }
}
