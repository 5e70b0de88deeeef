package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk-only external snapshots of a running domain (snapshot-create-as --disk-only): the
 * disk-ticker keeps writing its disk, and from the snapshot on its writes go to a new qcow2
 * overlay while the image it ran on stays as it was at the snapshot (compared with a copy made
 * while paused); the guest's own checks (each sector read back before it is rewritten) pass
 * across the switch; live XML, config and metadata name the files as libvirt's do; a revert
 * puts the disk on a new overlay over that image. On KVM, or on the emulator without /dev/kvm.
 */
class JvirtSnapshotExternalRunningKvmTest {

    @TempDir Path root;
    private TickerEmbed guest;

    @BeforeEach
    void setUp() throws Exception {
        guest = TickerEmbed.open(root, "external snapshots of a running domain", "disk-ticker");
        QemuImgTool.assumeAvailable("external snapshots of a running domain");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (guest != null) guest.close();
    }

    private String xml(Path disk, String format) {
        return guest.xml("    <disk type='file' device='disk'>\n      <driver name='qemu' type='" + format + "'/>\n"
                + "      <source file='" + disk + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n");
    }

    /** The disk-ticker defined and started on a new 4 MiB qcow2 image DISK, once it has written TICKS ticks. */
    private Domain startOnNewQcow2(Path disk, int ticks) throws Exception {
        assertEquals(0, QemuImgTool.run("create", "-q", "-f", "qcow2", disk.toString(), "4M").exit());
        Domain d = new Connect(guest.uri()).domainDefineXML(xml(disk, "qcow2"));
        d.create();
        guest.awaitSerial("disk-tick " + ticks + "\n");
        return d;
    }

    private int lastDiskTick() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("disk-tick (\\d+)\n").matcher(guest.serialText());
        int last = -1;
        while (m.find()) last = Integer.parseInt(m.group(1));
        return last;
    }

    @Test
    void theRunningGuestGoesOnOnTheOverlayAndTheImageKeepsTheSnapshot() throws Exception {
        for (String format : new String[] {"qcow2", "raw"}) {
            Path disk = root.resolve("disk-" + format + "." + format);
            assertEquals(0, QemuImgTool.run("create", "-q", "-f", format, disk.toString(), "4M").exit());
            Connect c = new Connect(guest.uri());
            Domain d = c.domainDefineXML(xml(disk, format));
            d.create();
            guest.awaitSerial("disk-tick 5\n");
            d.suspend();
            Path copy = root.resolve("copy-" + format);
            Files.copy(disk, copy);
            d.snapshotCreateXML("<domainsnapshot><name>ext</name></domainsnapshot>", Flags.SnapshotCreate.DISK_ONLY);
            int at = lastDiskTick();
            d.resume();
            guest.awaitSerial("disk-tick " + (at + 5) + "\n");
            assertFalse(guest.serialText().contains("not ok"), guest.serialText());

            // libvirt's default overlay name: the image's name with its suffix replaced by the snapshot's
            Path overlay = root.resolve("disk-" + format + ".ext");
            assertTrue(d.getXMLDesc(0).contains("<source file='" + overlay + "'"), d.getXMLDesc(0));
            assertTrue(d.getXMLDesc(Flags.DomainXml.INACTIVE).contains("<source file='" + overlay + "'"), "the config follows");
            QemuImgTool.Result info = QemuImgTool.run("info", "-U", overlay.toString());
            assertTrue(info.out().contains("backing file: " + disk), info.out());
            String rawCompare = format.equals("raw") ? "raw" : "qcow2";
            QemuImgTool.Result same = QemuImgTool.run("compare", "-U", "-f", rawCompare, "-F", rawCompare, disk.toString(), copy.toString());
            assertEquals(0, same.exit(), "the image the guest ran on keeps the snapshot's data: " + same.out());
            QemuImgTool.Result moved = QemuImgTool.run("compare", "-U", "-f", "qcow2", "-F", rawCompare, overlay.toString(), copy.toString());
            assertEquals(1, moved.exit(), "the guest's later writes are in the overlay: " + moved.out());

            String snap = d.snapshotLookupByName("ext").getXMLDesc();
            assertTrue(snap.contains("<state>disk-snapshot</state>"), snap);
            assertTrue(snap.contains("<memory snapshot='no'/>"), snap);
            assertTrue(snap.contains("<disk name='vda' snapshot='external' type='file'>"), snap);
            assertTrue(snap.contains("<source file='" + disk + "'/>"), "the snapshot's domain is on the old image: " + snap);

            d.revertToSnapshot(d.snapshotLookupByName("ext"));
            assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, d.getInfo().state, "a disk-only snapshot has no memory to resume");
            String config = d.getXMLDesc(Flags.DomainXml.INACTIVE);
            Path revert = root.resolve("disk-" + format + ".ext-revert1");
            assertTrue(config.contains("<source file='" + revert + "'"), config);
            assertEquals(0, QemuImgTool.run("compare", "-U", "-f", "qcow2", "-F", rawCompare, revert.toString(), copy.toString()).exit(),
                    "after the revert the disk reads as at the snapshot");
            d.snapshotLookupByName("ext").delete(Flags.SnapshotDelete.METADATA_ONLY);
            d.undefine();
        }
    }

    /**
     * --memspec with the disks external: the machine state goes to the memory file while the
     * guest is paused, the disks move onto overlays, and the guest runs on; a revert starts a new
     * VMM from the memory file on new overlays over the old images, and the guest continues from
     * the snapshot's tick with its disk reading as it was then (its own checks pass).
     */
    @Test
    void aFullSystemExternalSnapshotRevertsToTheMachineAndItsDisks() throws Exception {
        Path disk = root.resolve("disk.qcow2");
        Domain d = startOnNewQcow2(disk, 4);
        Path mem = root.resolve("mem.save");
        Path overlay = root.resolve("top.qcow2");
        LibvirtException e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>m</name>"
                + "<memory snapshot='internal'/><disks><disk name='vda' snapshot='external'/></disks></domainsnapshot>", 0));
        assertEquals("unsupported configuration: mixing internal and external targets for a snapshot is not yet supported", e.getMessage());
        d.suspend();
        Path copy = root.resolve("copy.qcow2");
        Files.copy(disk, copy);
        d.snapshotCreateXML("<domainsnapshot><name>m</name><memory snapshot='external' file='" + mem + "'/><disks><disk name='vda'"
                + " snapshot='external'><source file='" + overlay + "'/></disk></disks></domainsnapshot>", 0);
        int at = lastDiskTick();
        assertEquals(DomainState.VIR_DOMAIN_PAUSED, d.getInfo().state, "a paused domain stays paused");
        d.resume();
        guest.awaitSerial("disk-tick " + (at + 4) + "\n");
        String snap = d.snapshotLookupByName("m").getXMLDesc();
        assertTrue(snap.contains("<state>paused</state>") && snap.contains("<memory snapshot='external' file='" + mem + "'/>"), snap);
        assertTrue(d.getXMLDesc(0).contains("<source file='" + overlay + "'"), d.getXMLDesc(0));
        assertEquals(0, QemuImgTool.compare(disk, copy).exit(), "the old image keeps the snapshot's disk");

        int before = guest.serialText().length();
        d.revertToSnapshot(d.snapshotLookupByName("m"), 1); // VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
        long end = System.nanoTime() + 60_000_000_000L * JvirtTestSupport.waitScale();
        while (!guest.serialText().substring(before).contains("disk-tick " + (at + 2) + "\n") && System.nanoTime() < end) Thread.sleep(50);
        // (the old VMM's last lines may land after the mark: the jump back is where tick at + 1 shows again)
        String after = guest.serialText().substring(before);
        int back = after.indexOf("disk-tick " + (at + 1) + "\n");
        assertTrue(back >= 0, "the guest goes on from the snapshot's tick " + at + ": " + after);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("disk-tick (\\d+)\n").matcher(after.substring(back));
        for (int expect = at + 1; m.find(); expect++) assertEquals(expect, Integer.parseInt(m.group(1)), after);
        assertFalse(after.contains("not ok"), "the disk reads as the memory expects: " + after);
        Path revert = root.resolve("disk.m-revert1");
        assertTrue(d.getXMLDesc(0).contains("<source file='" + revert + "'"), d.getXMLDesc(0));
        d.destroy();
    }

    /** --quiesce asks a guest agent jvirt has not (libvirt's words); --no-metadata takes the snapshot and stores no metadata. */
    @Test
    void quiesceNeedsAnAgentAndNoMetadataLeavesOnlyTheDisksSnapshot() throws Exception {
        Path disk = root.resolve("disk.qcow2");
        Domain d = startOnNewQcow2(disk, 2);
        LibvirtException e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>q</name></domainsnapshot>",
                Flags.SnapshotCreate.DISK_ONLY | Flags.SnapshotCreate.QUIESCE));
        assertEquals("argument unsupported: QEMU guest agent is not configured", e.getMessage());
        assertFalse(Files.exists(root.resolve("disk.q")), "nothing was made");
        d.snapshotCreateXML("<domainsnapshot><name>nm</name></domainsnapshot>", Flags.SnapshotCreate.NO_METADATA);
        assertEquals(0, d.snapshotNum(), "no metadata");
        assertTrue(QemuImgTool.run("snapshot", "-U", "-l", disk.toString()).out().contains(" nm "), "the disk has its snapshot");
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
        d.destroy();
    }

    /**
     * Deleting an external snapshot of a running domain commits its overlay into the image below
     * (the VMM paused meanwhile) and moves the disk back onto it: the guest writes on and its own
     * checks of what it reads back pass; the overlay file is gone and the image holds everything.
     */
    @Test
    void deletingAnExternalSnapshotWhileRunningMergesTheOverlayBack() throws Exception {
        Path disk = root.resolve("disk.qcow2");
        Domain d = startOnNewQcow2(disk, 3);
        d.snapshotCreateXML("<domainsnapshot><name>ext</name></domainsnapshot>", Flags.SnapshotCreate.DISK_ONLY);
        Path overlay = root.resolve("disk.ext");
        int at = lastDiskTick();
        guest.awaitSerial("disk-tick " + (at + 3) + "\n");
        d.snapshotLookupByName("ext").delete(0);
        assertEquals(0, d.snapshotNum());
        assertFalse(Files.exists(overlay), "the overlay is merged and removed");
        assertTrue(d.getXMLDesc(0).contains("<source file='" + disk + "'"), d.getXMLDesc(0));
        assertTrue(d.getXMLDesc(Flags.DomainXml.INACTIVE).contains("<source file='" + disk + "'"), "the config too");
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getInfo().state);
        int after = lastDiskTick();
        guest.awaitSerial("disk-tick " + (after + 3) + "\n");
        assertFalse(guest.serialText().contains("not ok"), guest.serialText());
        d.suspend();
        assertEquals(0, QemuImgTool.check(disk).exit(), QemuImgTool.check(disk).out());
        // the image alone holds every tick the guest printed, those written to the overlay included
        int last = lastDiskTick();
        Path raw = root.resolve("disk.raw");
        QemuImgTool.toRaw(disk, raw);
        byte[] img = Files.readAllBytes(raw);
        for (int n = 1; n <= last && n < 64; n++) assertEquals(n, JvirtDiskTickerSnapshotKvmTest.heldTick(img, n), "sector " + n);
        d.destroy();
    }
}
