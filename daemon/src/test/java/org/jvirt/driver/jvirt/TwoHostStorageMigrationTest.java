package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.jvirt.NetnsGuests.Ticks;
import org.jvirt.driver.jvirt.NetnsHosts.Host;
import org.jvirt.driver.jvirt.NetnsHosts.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: `virsh migrate --live --copy-storage-all` between the two netns hosts
 * ({@link NetnsHosts}), each with its own disk directory, of the disk-ticker writing its local
 * qcow2 disk (a sector every tick, rewritten without pause between ticks). It checks each sector
 * it overwrites against what it wrote 64 ticks before and, at its last tick on B, re-reads all
 * 64 ("ok disk-ticker"). Then B's image must equal, for the real qemu-img compare, the image the
 * disk-ticker's rule gives over the same initial disk: every write kept, on either host.
 */
class TwoHostStorageMigrationTest {
    @TempDir Path tmp;

    static final Ticks TICKS = Ticks.DISK_TICKER;
    /**
     * The guest's last tick: 30 s of guest time. The move starts at tick 5 and must end before
     * the last ticks; Prepare starts a VMM (a JVM) on B, which took up to 10 s on a loaded 2-core machine.
     */
    static final int LAST_TICK = 300;
    static final int SECTORS = 64;
    static final long DISK_BYTES = 32L << 20;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void copyStorageAllMovesAQcow2DiskTheGuestKeepsWriting() throws Exception {
        QemuImgTool.assumeAvailable("the two-host storage migration test");
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("disk-ticker.elf")), "test guests not built (make -C test-fixtures/guests)");
        // the initial disk: zeros where the ticks go, 4 MiB of data past them for the copy to carry
        Path initial = tmp.resolve("initial.raw"), expected = tmp.resolve("expected.raw");
        writeInitialDisk(initial);
        try (NetnsHosts hosts = NetnsHosts.open(tmp);
             SerialArrivals serial = new SerialArrivals(NetnsGuests.serialSocket(hosts.a), NetnsGuests.serialSocket(hosts.b))) {
            Host a = hosts.a, b = hosts.b;
            Path diskA = Files.createDirectories(a.root.resolve("images")).resolve("dt.qcow2");
            Path diskB = Files.createDirectories(b.root.resolve("images")).resolve("dt.qcow2");
            qemuImg("convert", "-f", "raw", "-O", "qcow2", initial.toString(), diskA.toString());
            qemuImg("create", "-q", "-f", "qcow2", diskB.toString(), Long.toString(DISK_BYTES));
            String uuid = UUID.randomUUID().toString();
            Path xmlA = NetnsGuests.write(tmp, "dt-a.xml", xml(a, uuid, diskA));
            Path xmlB = NetnsGuests.write(tmp, "dt-b.xml", xml(b, uuid, diskB));
            Result created = a.virsh(a.uri(), "create " + xmlA);
            assertEquals(0, created.exit(), created.out());
            TICKS.await(serial, 5);

            Result r = a.virsh(a.uri(), "migrate --live --copy-storage-all dt " + b.uri() + " --xml " + xmlB);
            assertEquals(new Result(0, "\n"), r, "virsh migrate --copy-storage-all");
            int lastOnA = lastTickFrom(serial, NetnsGuests.serialSocket(a));
            assertTrue(lastOnA < LAST_TICK - 5, "the guest moved before its last ticks: its last one on A was " + lastOnA);
            assertEquals("running (migrated)\n\n", b.virsh(b.uri(), "domstate dt --reason").out());
            assertEquals("\n", a.virsh(a.uri(), "list --all --name").out(), "the transient domain is gone from A");
            assertTrue(b.virsh(b.uri(), "domblklist dt").out().contains(diskB.toString()), b.virsh(b.uri(), "domblklist dt").out());

            // the guest runs to its last tick on B, then checks all 64 sectors and exits
            long end = System.nanoTime() + 120_000_000_000L;
            while (!serial.text().contains("ok disk-ticker") && System.nanoTime() < end) Thread.sleep(100);
            String out = serial.text();
            assertFalse(out.contains("not ok"), "the disk-ticker's checks: " + out);
            assertTrue(out.contains("ok disk-ticker"), "the disk-ticker reached tick " + LAST_TICK + " on B and checked its disk: " + out);
            List<SerialArrivals.Line> ticks = TICKS.assertOneBootAndEveryTickOnce(serial);
            assertEquals(LAST_TICK, ticks.size());
            assertEquals(NetnsGuests.serialSocket(b), ticks.get(ticks.size() - 1).socket(), "the last ticks came from B");
            NetnsGuests.assertNothingOn(b); // the guest exited: its VMM closed the image
            assertEquals(List.of(), a.vmmPids(), "no VMM left on A");

            Files.copy(initial, expected);
            writeTicks(expected, LAST_TICK);
            QemuImgTool.Result cmp = QemuImgTool.run("compare", "-f", "qcow2", "-F", "raw", diskB.toString(), expected.toString());
            assertEquals(0, cmp.exit(), "B's image holds every write (qemu-img compare): " + cmp.out());
            QemuImgTool.Result check = QemuImgTool.check(diskB);
            assertEquals(0, check.exit(), "qemu-img check of B's image: " + check.out());
            System.out.printf("--copy-storage-all: moved at tick %d of %d; B's image matches%n", lastOnA, LAST_TICK);
        }
    }

    /** The disk-ticker 'dt' on HOST with its qcow2 disk at DISK. */
    private static String xml(Host host, String uuid, Path disk) {
        String devices = "    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n      <source file='" + disk
                + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n";
        return NetnsGuests.xml(host, JvirtTestSupport.guestVirtType(), "dt", uuid, 64, "disk-ticker", "rewrite=1 ticks=" + LAST_TICK, devices);
    }

    /** The highest tick that arrived on SOCKET. */
    private static int lastTickFrom(SerialArrivals serial, Path socket) {
        int last = -1;
        for (SerialArrivals.Line l : TICKS.lines(serial)) {
            if (l.socket().equals(socket)) last = Integer.parseInt(l.text().substring(l.text().indexOf(' ') + 1));
        }
        return last;
    }

    private static void qemuImg(String... args) throws Exception {
        QemuImgTool.Result r = QemuImgTool.run(args);
        assertEquals(0, r.exit(), "qemu-img " + String.join(" ", args) + ": " + r.out());
    }

    /** DISK_BYTES of zeros with 4 MiB of random data from 1 MiB on (past the disk-ticker's 64 sectors). */
    private static void writeInitialDisk(Path raw) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
            byte[] data = new byte[4 << 20];
            new Random(1).nextBytes(data);
            f.seek(1L << 20);
            f.write(data);
        }
    }

    /** The disk-ticker's sectors after tick N (its header comment): tick t in sector t % 64 for the last 64 ticks. */
    private static void writeTicks(Path raw, int n) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            for (int t = Math.max(1, n - SECTORS + 1); t <= n; t++) {
                byte[] sector = new byte[512];
                System.arraycopy("JVIRT-DISK-TICK:".getBytes(StandardCharsets.US_ASCII), 0, sector, 0, 16);
                for (int i = 0; i < 8; i++) sector[16 + i] = (byte) ((long) t >>> (8 * i));
                for (int i = 24; i < 512; i++) sector[i] = (byte) (t + i);
                f.seek((long) (t % SECTORS) * 512);
                f.write(sector);
            }
        }
    }
}
