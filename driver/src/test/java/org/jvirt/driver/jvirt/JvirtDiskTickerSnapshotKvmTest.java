package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.Flags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots, save/restore and managed save of a guest that writes its qcow2 disk while it runs:
 * the disk-ticker test guest writes tick N to sector N % 64 every 100 ms of guest time and prints
 * "disk-tick N" (test-fixtures/README.md); before overwriting a sector it checks that the sector
 * holds tick N - 64, so a guest whose memory and disk come from different moments fails by
 * itself ("not ok disk-ticker"). The disk after a revert, restore or start is compared with a
 * copy taken while the domain was paused at the snapshot or save (qemu-img compare), and the
 * serial output, with the part a revert discards left out, must read as one uninterrupted run.
 * On KVM, or on the emulator without /dev/kvm; skipped without qemu-img.
 */
class JvirtDiskTickerSnapshotKvmTest {

    /** A complete "disk-tick N" line (CR LF as the guest prints it). */
    private static final Pattern DISK_TICK = Pattern.compile("disk-tick (\\d+)\r\n");
    private static final int SECTORS = 64;
    private static final int REVERT_PAUSED = 2;

    @TempDir Path root;
    private TickerEmbed guest;
    private Path disk;
    /**
     * The serial output of the run the guest now continues: the output up to the snapshot it
     * was last reverted to, then what the VMM printed since (from {@link #followedFrom}).
     */
    private String timelineBase = "";
    private int followedFrom;

    @BeforeEach
    void setUp() throws Exception {
        guest = TickerEmbed.open(root, "the disk-ticker's snapshots", "disk-ticker");
        QemuImgTool.assumeAvailable("the disk-ticker's snapshots");
        disk = root.resolve("disk.qcow2");
    }

    /** The guest's 4 MiB qcow2 disk, made by qemu-img with OPTIONS (-o; "" for its defaults: v3, 64 KiB clusters). */
    private Domain defineWithDisk(Connect c, String options) throws Exception {
        return defineWithDisk(c, options, "");
    }

    /** The same with the guest's command line (test-fixtures/README.md: ticks=N, rewrite=1). */
    private Domain defineWithDisk(Connect c, String options, String cmdline) throws Exception {
        QemuImgTool.Result r = options.isEmpty() ? QemuImgTool.run("create", "-q", "-f", "qcow2", disk.toString(), "4M")
                : QemuImgTool.run("create", "-q", "-f", "qcow2", "-o", options, disk.toString(), "4M");
        assertEquals(0, r.exit(), r.out());
        String x = xml();
        if (!cmdline.isEmpty()) x = x.replace("</kernel>\n", "</kernel>\n    <cmdline>" + cmdline + "</cmdline>\n");
        return c.domainDefineXML(x);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (guest != null) guest.close();
    }

    private String xml() {
        return guest.xml("    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
                + "      <source file='" + disk + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n");
    }

    /** The serial file as written (CR LF kept, so that offsets stay valid as it grows). */
    private String raw() throws Exception {
        return Files.exists(guest.serial) ? Files.readString(guest.serial) : "";
    }

    private String timeline() throws Exception {
        String r = raw();
        return timelineBase + r.substring(Math.min(followedFrom, r.length()));
    }

    private static int lastTick(String s) {
        Matcher m = DISK_TICK.matcher(s);
        int last = 0;
        while (m.find()) last = Integer.parseInt(m.group(1));
        return last;
    }

    /** Waits until the timeline shows tick N. */
    private void awaitTick(int n) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L * JvirtTestSupport.waitScale();
        while (System.nanoTime() < end) {
            String t = timeline();
            if (t.contains("not ok")) throw new AssertionError("the guest failed: " + t);
            if (lastTick(t) >= n) return;
            Thread.sleep(50);
        }
        throw new AssertionError("no disk-tick " + n + ": " + timeline());
    }

    /**
     * The timeline reads as one uninterrupted run: booted once, ticks 1, 2, 3, ... with none
     * repeated or lost, no failure; returns the last tick.
     */
    private int assertUninterrupted() throws Exception {
        String t = timeline().replace("\r\n", "\n");
        assertTrue(!t.contains("not ok"), "the guest failed: " + t);
        assertEquals(1, t.split("disk-ticker: running", -1).length - 1, "booted once: " + t);
        Matcher m = Pattern.compile("(?m)^disk-tick (\\d+)$").matcher(t);
        int expect = 1;
        while (m.find()) {
            assertEquals(expect, Integer.parseInt(m.group(1)), "a tick repeated or lost: " + t);
            expect++;
        }
        return expect - 1;
    }

    private void assertSameDisk(Path expected, String when) throws Exception {
        QemuImgTool.Result r = QemuImgTool.compare(disk, expected);
        assertEquals(0, r.exit(), when + ": the disk differs from " + expected.getFileName() + ": " + r.out());
    }

    private long vmmPid() throws Exception {
        return Long.parseLong(Files.readString(JvirtPaths.embed(root).pidFile("tick")).trim());
    }

    /** A snapshot of the running domain and, taken while it is paused for it, a copy of its disk. */
    private record Taken(String name, Path copy, String timeline, int lastTick) { }

    private Taken snapshot(Domain d, String name) throws Exception {
        d.suspend(); // the copy then holds what the snapshot holds
        d.snapshotCreateXML("<domainsnapshot><name>" + name + "</name></domainsnapshot>");
        assertEquals(DomainStateReason.paused(PausedReason.USER), d.getState());
        Path copy = root.resolve("at-" + name + ".qcow2");
        Files.copy(disk, copy);
        String t = timeline();
        d.resume();
        return new Taken(name, copy, t, lastTick(t));
    }

    /**
     * Reverts to the snapshot paused, checks the disk against the copy, lets the guest run on and
     * checks that it goes on from the snapshot point: its next tick is the one after the snapshot's.
     */
    private void revertAndContinue(Domain d, Taken s) throws Exception {
        long pid = vmmPid();
        d.revertToSnapshot(d.snapshotLookupByName(s.name()), REVERT_PAUSED);
        assertEquals(DomainStateReason.paused(PausedReason.FROM_SNAPSHOT), d.getState());
        assertEquals(pid, vmmPid(), "the running VMM reverts in place (QEMU's loadvm)");
        assertSameDisk(s.copy(), "after the revert to " + s.name());
        timelineBase = s.timeline();
        followedFrom = raw().length();
        d.resume();
        awaitTick(s.lastTick() + 3);
        // the first line completed after the snapshot point (the snapshot may have cut a line in two)
        String t = timeline();
        Matcher m = DISK_TICK.matcher(t);
        int next = -1;
        while (next < 0 && m.find()) if (m.end() > s.timeline().length()) next = Integer.parseInt(m.group(1));
        assertEquals(s.lastTick() + 1, next, "after the revert to " + s.name() + " (at tick " + s.lastTick()
                + ") the guest printed: " + t.substring(s.timeline().length()));
        assertUninterrupted();
    }

    /**
     * The disk as the guest left it after tick LAST (or LAST + 1, written but not printed yet when
     * the domain was paused): sector s holds the latest tick n <= last with n % 64 == s, else zeros.
     */
    private void assertDiskHoldsTicksUpTo(int last) throws Exception {
        Path raw = root.resolve("disk.raw");
        QemuImgTool.toRaw(disk, raw);
        byte[] img = Files.readAllBytes(raw);
        Files.delete(raw);
        AssertionError first = null;
        for (int l : new int[] {last, last + 1}) {
            try {
                for (int s = 0; s < SECTORS; s++) {
                    long n = s == 0 ? (l / SECTORS) * SECTORS : (l < s ? 0 : l - (l - s) % SECTORS);
                    assertEquals(n, heldTick(img, s), "sector " + s + " after tick " + l);
                }
                return;
            } catch (AssertionError e) {
                if (first == null) first = e;
            }
        }
        throw first;
    }

    /** The tick sector s holds (0 for zeros); fails on anything but the guest's pattern. */
    static long heldTick(byte[] img, int s) {
        int o = s * 512;
        boolean zero = true;
        for (int i = 0; i < 512; i++) zero &= img[o + i] == 0;
        if (zero) return 0;
        assertEquals("JVIRT-DISK-TICK:", new String(img, o, 16, java.nio.charset.StandardCharsets.US_ASCII), "sector " + s);
        long n = 0;
        for (int i = 0; i < 8; i++) n |= (img[o + 16 + i] & 0xffL) << (8 * i);
        for (int i = 24; i < 512; i++) assertEquals((byte) (n + i), img[o + i], "sector " + s + " byte " + i);
        return n;
    }

    private void assertImageChecks() throws Exception {
        QemuImgTool.Result r = QemuImgTool.check(disk);
        assertEquals(0, r.exit(), "qemu-img check: " + r.out());
    }

    @Test
    void snapshotThenWritesThenRevertBringsTheDiskBackAndTheTicksContinueFromTheSnapshot() throws Exception {
        Connect c = new Connect(guest.uri());
        Domain d = defineWithDisk(c, "");
        d.create();
        awaitTick(SECTORS + 6); // past the wrap: the revert must bring back sectors overwritten since the snapshot too
        Taken s = snapshot(d, "live");
        awaitTick(s.lastTick() + 5); // the guest writes on: sectors the snapshot does not have

        // what the image's internal snapshot holds, read by qemu-img, is the paused copy
        Path extracted = root.resolve("extracted.qcow2");
        QemuImgTool.Result x = QemuImgTool.run("convert", "-U", "-f", "qcow2", "-O", "qcow2", "-l", "snapshot.name=live",
                disk.toString(), extracted.toString());
        assertEquals(0, x.exit(), x.out());
        assertEquals(0, QemuImgTool.compare(extracted, s.copy()).exit(), "the internal snapshot holds the disk as it was");
        d.suspend();
        assertEquals(1, QemuImgTool.compare(disk, s.copy()).exit(), "the disk moved on after the snapshot");
        d.resume();

        revertAndContinue(d, s);
        d.suspend();
        assertDiskHoldsTicksUpTo(lastTick(timeline()));
        d.destroy();
        assertImageChecks();
        c.close();
    }

    @Test
    void aChainOfThreeSnapshotsWithRevertsBetweenThemEachBringingItsDiskBack() throws Exception {
        Connect c = new Connect(guest.uri());
        Domain d = defineWithDisk(c, "compat=0.10"); // version 2: the older snapshot table entries
        d.create();
        Map<String, Taken> taken = snapshotsThreeTicksApart(d, "a", "b", "c");
        assertEquals("b", d.snapshotLookupByName("c").getParentName());
        for (String n : List.of("b", "a", "c")) {
            revertAndContinue(d, taken.get(n));
            assertEquals(n, d.snapshotCurrent().getName());
        }
        // deleting a snapshot while the guest writes (its clusters' references drop); the others stay intact
        d.snapshotLookupByName("b").delete(0);
        awaitTick(lastTick(timeline()) + 3);
        revertAndContinue(d, taken.get("a"));
        d.suspend();
        assertEquals(1, QemuImgTool.compare(disk, taken.get("a").copy()).exit(), "the disk moved on from a's (3 ticks or more)");
        assertDiskHoldsTicksUpTo(lastTick(timeline()));
        d.destroy();
        assertImageChecks();
        c.close();
    }

    /**
     * With the guest rewriting its last sector between ticks (rewrite=1) nearly every pause finds
     * a request in flight or queued: the snapshots and the save must hold it back and the state
     * must let the new VMM complete it.
     */
    @Test
    void snapshotsAndASaveWhileTheDiskIsBusyLoseNoRequest() throws Exception {
        Connect c = new Connect(guest.uri());
        Domain d = defineWithDisk(c, "", "rewrite=1");
        d.create();
        Map<String, Taken> taken = snapshotsThreeTicksApart(d, "a", "b", "c");
        for (String n : List.of("a", "c", "b")) revertAndContinue(d, taken.get(n));
        Path image = root.resolve("busy.sav");
        d.save(image.toString());
        Path atSave = root.resolve("at-busy-save.qcow2");
        Files.copy(disk, atSave);
        int savedAt = lastTick(timeline());
        c.restore(image.toString(), Flags.Save.PAUSED);
        assertSameDisk(atSave, "after the restore");
        d.resume();
        awaitTick(savedAt + 3);
        assertUninterrupted();
        d.suspend();
        // the restored VMM's counters: the rewriting makes many writes per tick (one without it)
        long writes = d.blockStats("vda").wr_req, ticks = lastTick(timeline()) - savedAt;
        System.out.println("busy disk: " + writes + " writes in " + ticks + " ticks");
        assertDiskHoldsTicksUpTo(lastTick(timeline()));
        d.destroy();
        // the guest's rewriting is what puts requests in flight under the snapshots and the save; on a
        // machine where the nested KVM runs it too slowly (seen: 4 writes in 4 ticks, on the last green
        // commit as well) this test did not exercise that case: reported as such, not as a pass
        org.junit.jupiter.api.Assumptions.assumeTrue(writes >= 10 * ticks,
                writes + " writes in " + ticks + " ticks: the disk was not kept busy here, so requests in flight were not exercised");
        assertImageChecks();
        c.close();
    }

    /** Snapshots NAMES of the running domain, each at least 3 ticks after the one before; waits 3 ticks more. */
    private Map<String, Taken> snapshotsThreeTicksApart(Domain d, String... names) throws Exception {
        Map<String, Taken> taken = new HashMap<>();
        int next = 3;
        for (String n : names) {
            awaitTick(next);
            Taken t = snapshot(d, n);
            taken.put(n, t);
            next = t.lastTick() + 3;
        }
        awaitTick(next);
        return taken;
    }

    @Test
    void saveRestoreInANewVmmAndManagedSaveStartKeepTheDiskAsWrittenAtTheSave() throws Exception {
        Connect c = new Connect(guest.uri());
        Domain d = defineWithDisk(c, "cluster_size=4096,lazy_refcounts=on"); // one 4 KiB cluster per 8 sectors
        d.create();
        awaitTick(3);
        long pid = vmmPid();
        Path image = root.resolve("tick.sav");
        d.save(image.toString());
        Path atSave = root.resolve("at-save.qcow2");
        Files.copy(disk, atSave);
        int savedAt = lastTick(timeline());
        c.restore(image.toString(), Flags.Save.PAUSED);
        assertNotEquals(pid, vmmPid(), "restored in a new VMM");
        assertSameDisk(atSave, "after the restore");
        d.resume();
        awaitTick(savedAt + 3);
        assertUninterrupted();

        d.managedSave();
        Path atManagedSave = root.resolve("at-managedsave.qcow2");
        Files.copy(disk, atManagedSave);
        int managedAt = lastTick(timeline());
        d.create(Flags.Create.START_PAUSED);
        assertEquals(DomainStateReason.paused(PausedReason.USER), d.getState());
        assertSameDisk(atManagedSave, "after the start from the managed save");
        d.resume();
        awaitTick(managedAt + 3);
        assertUninterrupted();
        d.suspend();
        assertDiskHoldsTicksUpTo(lastTick(timeline()));
        d.destroy();
        assertImageChecks();
        c.close();
    }
}
