package org.jvirt.vmm.block.qcow2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process in the middle of qcow2 writes and snapshot operations: refcounts are
 * written before the entries that use them and tables are switched by one header write, so no
 * data is lost and no snapshot can be overwritten; at worst clusters leak or a COPIED flag is
 * clear where it could be set (both harmless), which `qemu-img check -r all` repairs without
 * changing a byte of the disk.
 */
class Qcow2KillTest {

    @TempDir Path dir;

    /** The child: opens the image and writes, zeroes and snapshots until killed. */
    public static void main(String[] args) throws Exception {
        Random r = new Random(Long.parseLong(args[1]));
        try (Qcow2Image img = Qcow2Image.open(Path.of(args[0]), false, (p, f) -> DiskImages.open(p, ImageFormat.parse(f), true))) {
            System.out.println("ready");
            System.out.flush();
            byte[] b = new byte[200_000];
            for (int i = 0; ; i++) {
                r.nextBytes(b);
                int n = 1 + r.nextInt(b.length);
                long at = (long) (r.nextDouble() * (img.capacity() - n));
                if (r.nextInt(5) == 0) img.writeZeroes(at, n, r.nextBoolean());
                else img.write(at, b, 0, n);
                if (i % 40 == 0) img.createSnapshot("s" + i, 0);
                if (i % 40 == 20 && img.snapshots().size() > 2) img.deleteSnapshot(img.snapshots().get(0).id());
            }
        }
    }

    /**
     * The only inconsistency a crash may leave besides leaks: a cluster with refcount one whose
     * COPIED flag is clear (it will be copied needlessly on the next write). The unsafe kind,
     * COPIED set on a shared cluster, would let a write change a snapshot.
     */
    static boolean safeFlagMismatch(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ERROR OFLAG_COPIED (?:data|L2) cluster: .*(?:l2_entry|l1_entry)=([0-9a-f]+) refcount=(\\d+)").matcher(line);
        return m.find() && Long.parseUnsignedLong(m.group(1), 16) >= 0 && m.group(2).equals("1"); // bit 63 (COPIED) clear
    }

    byte[] raw(Path image) throws Exception {
        Path r = dir.resolve("raw.img");
        QemuImg.img("convert", "-O", "raw", image.toString(), r.toString());
        byte[] b = java.nio.file.Files.readAllBytes(r);
        java.nio.file.Files.delete(r);
        return b;
    }

    @Test
    void killedWritersLeaveAConsistentImage() throws Exception {
        QemuImg.assumeAvailable();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < Integer.getInteger("jvirt.qcow2.kills", 3); round++) {
            Path image = dir.resolve("k" + round + ".qcow2");
            QemuImg.img("create", "-f", "qcow2", "-o", "cluster_size=4096", image.toString(), "8M");
            Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Qcow2KillTest.class.getName(),
                    image.toString(), Integer.toString(round))).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            assertEquals("ready", out.readLine());
            Thread.sleep(300 + 250L * (round % 4));
            assertTrue(p.isAlive(), "the writer stopped by itself");
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            QemuImg.Result check = QemuImg.run("qemu-img", "check", image.toString());
            String label = "round " + round + ": qemu-img check exit " + check.exit() + "\n" + check.out();
            assertTrue(check.exit() == 0 || check.exit() == 3 || check.exit() == 2, label);
            for (String line : check.out().split("\n")) {
                if (line.startsWith("ERROR")) assertTrue(safeFlagMismatch(line), label);
            }
            byte[] before = raw(image);
            QemuImg.img("check", "-r", "all", image.toString());
            assertEquals(0, QemuImg.run("qemu-img", "check", image.toString()).exit());
            ImageData.assertSameBytes(before, raw(image), "repair changed no data");
            try (Qcow2Image img = Qcow2Image.open(image, false, (x, f) -> null)) {
                ImageData.readAll(img);
                if (!img.snapshots().isEmpty()) img.applySnapshot(img.snapshots().get(0).id());
            }
            assertEquals(0, QemuImg.run("qemu-img", "check", image.toString()).exit());
        }
    }
}
