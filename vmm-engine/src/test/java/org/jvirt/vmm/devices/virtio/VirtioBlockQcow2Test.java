package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.jvirt.vmm.block.qcow2.Qcow2Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virtio-blk on a qcow2 overlay over a raw backing file: guest reads see the backing file, guest writes land in the overlay. */
class VirtioBlockQcow2Test {

    static final long HDR = 0x20000, STATUS = 0x21000, DATA = 0x30000;

    @TempDir Path dir;

    @Test
    void requestsGoThroughTheQcow2Backend() throws Exception {
        byte[] base = new byte[1 << 20];
        for (int i = 0; i < base.length; i++) base[i] = (byte) (i / 512);
        Files.write(dir.resolve("base.raw"), base);
        Path overlay = dir.resolve("disk.qcow2");
        Qcow2Create.create(overlay, 2 << 20, 3, 16, "base.raw", "raw");
        try (VirtioBlock blk = new VirtioBlock(DiskImages.open(overlay, ImageFormat.QCOW2, false), "q")) {
            VirtioTestDriver d = new VirtioTestDriver(blk);
            assertEquals(0xF, d.initialize());
            assertEquals(4096, d.mmio.read(d.device, 8), "capacity in sectors: the qcow2 virtual size");
            byte[] pattern = new byte[1024];
            Arrays.fill(pattern, (byte) 0x5A);
            d.mem.write(DATA, pattern, 0, pattern.length);
            d.header(HDR, VirtioBlock.T_OUT, 3);
            d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 1024, 0}, new long[] {STATUS, 1, 1});
            d.kick(0);
            assertEquals(VirtioBlock.S_OK, d.mem.readByte(STATUS) & 0xFF);
            d.header(HDR, VirtioBlock.T_IN, 2);
            d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, 2048, 1}, new long[] {STATUS, 1, 1});
            d.kick(0);
            assertEquals(VirtioBlock.S_OK, d.mem.readByte(STATUS) & 0xFF);
            byte[] got = new byte[2048];
            d.mem.read(DATA, got, 0, got.length);
            for (int i = 0; i < 512; i++) assertEquals(2, got[i], "sector 2 from the backing file");
            for (int i = 512; i < 1536; i++) assertEquals(0x5A, got[i], "sectors 3-4 as written");
            for (int i = 1536; i < 2048; i++) assertEquals(5, got[i], "sector 5 from the backing file");
        }
        assertEquals(base.length, Files.size(dir.resolve("base.raw")));
        try (BlockBackend b = DiskImages.open(dir.resolve("base.raw"), ImageFormat.RAW, true)) {
            byte[] s = new byte[512];
            b.read(3 * 512, s, 0, 512);
            assertEquals(3, s[0], "the backing file is untouched");
        }
    }

    /** Seeded random guest writes through the queue, then `qemu-img compare` with a raw image given the same writes. */
    @Test
    void randomGuestWritesMatchARawImageForQemuImg() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")), "qemu-img (qemu-utils) not installed");
        Path overlay = dir.resolve("g.qcow2");
        byte[] base = new byte[4 << 20];
        new java.util.Random(1).nextBytes(base);
        Files.write(dir.resolve("base.raw"), base);
        Qcow2Create.create(overlay, base.length, 3, 16, "base.raw", "raw");
        byte[] model = base.clone();
        java.util.Random r = new java.util.Random(2);
        try (VirtioBlock blk = new VirtioBlock(DiskImages.open(overlay, ImageFormat.QCOW2, false), "g")) {
            VirtioTestDriver d = new VirtioTestDriver(blk);
            assertEquals(0xF, d.initialize());
            for (int i = 0; i < 150; i++) {
                int sectors = 1 + r.nextInt(128);
                long sector = r.nextInt(base.length / 512 - sectors);
                byte[] data = new byte[sectors * 512];
                r.nextBytes(data);
                d.mem.write(DATA, data, 0, data.length);
                d.header(HDR, VirtioBlock.T_OUT, sector);
                d.submit(new long[] {HDR, 16, 0}, new long[] {DATA, data.length, 0}, new long[] {STATUS, 1, 1});
                d.kick(0);
                assertEquals(VirtioBlock.S_OK, d.mem.readByte(STATUS) & 0xFF);
                System.arraycopy(data, 0, model, (int) sector * 512, data.length);
            }
            d.header(HDR, VirtioBlock.T_FLUSH, 0);
            d.submit(new long[] {HDR, 16, 0}, new long[] {STATUS, 1, 1});
            d.kick(0);
        }
        Path expected = dir.resolve("expected.raw");
        Files.write(expected, model);
        assertEquals(0, run("qemu-img", "check", overlay.toString()));
        assertEquals(0, run("qemu-img", "compare", "-f", "qcow2", "-F", "raw", overlay.toString(), expected.toString()));
    }

    static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int status = p.waitFor();
        if (status != 0) System.err.println(String.join(" ", cmd) + ":\n" + out);
        return status;
    }
}
