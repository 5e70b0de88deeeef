package org.jvirt.vmm.block.qcow2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Internal snapshots against the real qemu-img: snapshots jvirt creates are listed by
 * `qemu-img snapshot -l` and applied by `qemu-img snapshot -a` to the right contents; snapshots
 * qemu-img creates are applied by jvirt; deletes free what only the snapshot used; `qemu-img
 * check` is clean after each. Longer random runs: -Djvirt.qcow2.snapshot.rounds=N.
 */
class Qcow2SnapshotsTest {

    static final long SIZE = 2L << 20;
    static final int OPS = 40;
    static final int ROUNDS = Integer.getInteger("jvirt.qcow2.snapshot.rounds", 12);

    @TempDir Path dir;

    @BeforeEach
    void qemu() {
        QemuImg.assumeAvailable();
    }

    Qcow2Image open(Path p) throws Exception {
        return Qcow2Image.open(p, false, (b, f) -> DiskImages.open(b, ImageFormat.parse(f), true));
    }

    Path image(String compat, long seed) throws Exception {
        Path src = ImageData.writeRaw(dir.resolve("src.raw"), ImageData.disk(SIZE, seed));
        Path p = dir.resolve("disk.qcow2");
        QemuImg.img("convert", "-c", "-O", "qcow2", "-o", "compat=" + compat + ",cluster_size=4096", src.toString(), p.toString());
        return p;
    }

    @ParameterizedTest(name = "compat={0}")
    @ValueSource(strings = {"0.10", "1.1"})
    void jvirtSnapshotsAreListedAndAppliedByQemuImg(String compat) throws Exception {
        Path p = image(compat, 1);
        byte[] model = current(p);
        Map<String, byte[]> taken = new LinkedHashMap<>();
        Random r = new Random(2);
        try (Qcow2Image img = open(p)) {
            for (String name : new String[] {"first", "second", "third"}) {
                Qcow2WritesPassQemuImgCheckTest.randomOps(img, model, r, OPS);
                img.createSnapshot(name, 1_000_000L);
                taken.put(name, model.clone());
            }
            Qcow2WritesPassQemuImgCheckTest.randomOps(img, model, r, OPS);
            assertEquals(List.of("1:first", "2:second", "3:third"), img.snapshots().stream().map(s -> s.id() + ":" + s.name()).toList());
        }
        assertClean(p);
        assertEquals(List.of("first", "second", "third"), listed(p));
        ImageData.assertSameBytes(model, current(p), "active layer");
        for (Map.Entry<String, byte[]> s : taken.entrySet()) {
            ImageData.assertSameBytes(s.getValue(), appliedByQemu(p, s.getKey()), "snapshot " + s.getKey() + " applied by qemu-img");
        }
    }

    @Test
    void qemuSnapshotsAreAppliedByJvirt() throws Exception {
        Path p = image("1.1", 3);
        QemuImg.io(p, "qcow2", "write -P 0x11 0 100k");
        QemuImg.img("snapshot", "-c", "a", p.toString());
        byte[] a = current(p);
        QemuImg.io(p, "qcow2", "write -P 0x22 50k 100k", "write -z 1M 64k");
        QemuImg.img("snapshot", "-c", "b", p.toString());
        byte[] b = current(p);
        QemuImg.io(p, "qcow2", "write -P 0x33 0 1M");
        try (Qcow2Image img = open(p)) {
            assertEquals(List.of("a", "b"), img.snapshots().stream().map(Qcow2Snapshot::name).toList());
            img.applySnapshot("a");
            ImageData.assertSameBytes(a, ImageData.readAll(img), "after applying a");
            byte[] model = a.clone();
            Qcow2WritesPassQemuImgCheckTest.randomOps(img, model, new Random(4), OPS);
            ImageData.assertSameBytes(model, ImageData.readAll(img), "writes after applying a");
            img.applySnapshot("2"); // by id, as qemu-img takes it
            ImageData.assertSameBytes(b, ImageData.readAll(img), "after applying b");
        }
        assertClean(p);
        ImageData.assertSameBytes(b, current(p), "active layer is b");
        ImageData.assertSameBytes(a, appliedByQemu(p, "a"), "a is unchanged by the writes made on top of it");
    }

    @Test
    void deletingSnapshotsFreesTheirClusters() throws Exception {
        Path p = image("1.1", 5);
        byte[] model = current(p);
        long emptySize;
        Random r = new Random(6);
        try (Qcow2Image img = open(p)) {
            img.createSnapshot("keep", 0);
            byte[] kept = model.clone();
            Qcow2WritesPassQemuImgCheckTest.randomOps(img, model, r, OPS);
            img.createSnapshot("drop", 0);
            Qcow2WritesPassQemuImgCheckTest.randomOps(img, model, r, OPS);
            img.deleteSnapshot("drop");
            assertEquals(List.of("keep"), img.snapshots().stream().map(Qcow2Snapshot::name).toList());
            img.close();
            assertClean(p);
            assertEquals(List.of("keep"), listed(p));
            ImageData.assertSameBytes(kept, appliedByQemu(p, "keep"), "the remaining snapshot");
        }
        try (Qcow2Image img = open(p)) {
            img.deleteSnapshot("keep");
            assertEquals(List.of(), img.snapshots());
        }
        assertClean(p);
        assertEquals(List.of(), listed(p));
        ImageData.assertSameBytes(model, current(p), "active layer after deletes");
        String check = QemuImg.img("check", "--output=json", p.toString());
        emptySize = allocatedClusters(check);
        Path fresh = dir.resolve("fresh.qcow2");
        QemuImg.img("convert", "-O", "qcow2", "-o", "cluster_size=4096", p.toString(), fresh.toString());
        // after the deletes the image holds no more than a fresh copy's clusters plus tables jvirt moved
        assertTrue(emptySize <= allocatedClusters(QemuImg.img("check", "--output=json", fresh.toString())) + 8, check);
    }

    @Test
    void randomCreateApplyDeleteAndWrites() throws Exception {
        Path p = image("1.1", 7);
        byte[] model = current(p);
        Map<String, byte[]> live = new LinkedHashMap<>();
        Random r = new Random(8);
        int n = 0;
        try (Qcow2Image img = open(p)) {
            for (int round = 0; round < ROUNDS; round++) {
                Qcow2WritesPassQemuImgCheckTest.randomOps(img, model, r, 15);
                int what = r.nextInt(4);
                List<String> names = new ArrayList<>(live.keySet());
                if (what <= 1 || names.isEmpty()) {
                    String name = "s" + n++;
                    img.createSnapshot(name, 0);
                    live.put(name, model.clone());
                } else if (what == 2) {
                    String name = names.get(r.nextInt(names.size()));
                    img.applySnapshot(name);
                    model = live.get(name).clone();
                    ImageData.assertSameBytes(model, ImageData.readAll(img), "after applying " + name);
                } else {
                    String name = names.get(r.nextInt(names.size()));
                    img.deleteSnapshot(name);
                    live.remove(name);
                }
            }
        }
        assertClean(p);
        ImageData.assertSameBytes(model, current(p), "active layer");
        assertEquals(new ArrayList<>(live.keySet()), listed(p));
        for (Map.Entry<String, byte[]> s : live.entrySet()) {
            ImageData.assertSameBytes(s.getValue(), appliedByQemu(p, s.getKey()), "snapshot " + s.getKey());
        }
    }

    @Test
    void badRequestsAreCleanErrors() throws Exception {
        Path p = image("1.1", 9);
        try (Qcow2Image img = open(p)) {
            img.createSnapshot("x", 0);
            assertEquals("qcow2 image " + p + ": a snapshot named 'x' already exists",
                    assertThrows(Qcow2Exception.class, () -> img.createSnapshot("x", 0)).getMessage());
            assertEquals("qcow2 image " + p + ": no snapshot 'y'", assertThrows(Qcow2Exception.class, () -> img.applySnapshot("y")).getMessage());
            assertEquals("qcow2 image " + p + ": no snapshot 'y'", assertThrows(Qcow2Exception.class, () -> img.deleteSnapshot("y")).getMessage());
        }
        Path one = dir.resolve("one.qcow2");
        QemuImg.img("create", "-f", "qcow2", "-o", "refcount_bits=1", one.toString(), "1M");
        try (Qcow2Image img = open(one)) {
            assertEquals("qcow2 image " + one + ": refcount_bits=1 cannot count the references a snapshot adds",
                    assertThrows(Qcow2Exception.class, () -> img.createSnapshot("x", 0)).getMessage());
        }
        assertClean(one);
    }

    static long allocatedClusters(String checkJson) {
        int at = checkJson.indexOf("\"allocated-clusters\": ");
        int end = checkJson.indexOf(',', at);
        return Long.parseLong(checkJson.substring(at + 22, end).trim());
    }

    void assertClean(Path p) throws Exception {
        String check = QemuImg.img("check", p.toString());
        assertTrue(check.contains("No errors were found on the image."), check);
        assertFalse(check.contains("leaked"), check);
    }

    List<String> listed(Path p) throws Exception {
        List<String> names = new ArrayList<>();
        String out = QemuImg.img("snapshot", "-l", p.toString());
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && f[0].matches("\\d+")) names.add(f[1]);
        }
        return names;
    }

    byte[] current(Path p) throws Exception {
        Path raw = dir.resolve("cur.raw");
        QemuImg.img("convert", "-O", "raw", p.toString(), raw.toString());
        byte[] b = Files.readAllBytes(raw);
        Files.delete(raw);
        return b;
    }

    byte[] appliedByQemu(Path p, String snapshot) throws Exception {
        Path copy = dir.resolve("copy.qcow2");
        Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
        QemuImg.img("snapshot", "-a", snapshot, copy.toString());
        assertClean(copy);
        return current(copy);
    }
}
