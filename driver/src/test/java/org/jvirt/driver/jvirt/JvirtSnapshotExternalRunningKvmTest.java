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

    @Test
    void externalMemoryIsRefusedInOneLineAndNothingChanges() throws Exception {
        Path disk = root.resolve("disk.qcow2");
        assertEquals(0, QemuImgTool.run("create", "-q", "-f", "qcow2", disk.toString(), "4M").exit());
        Connect c = new Connect(guest.uri());
        Domain d = c.domainDefineXML(xml(disk, "qcow2"));
        d.create();
        guest.awaitSerial("disk-tick 2\n");
        LibvirtException e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>m</name>"
                + "<memory snapshot='external' file='" + root.resolve("mem") + "'/></domainsnapshot>", 0));
        assertEquals("Operation not supported: external memory snapshots (--memspec) of a running domain are not implemented by jvirt yet",
                e.getMessage());
        assertEquals(0, d.snapshotNum());
        assertTrue(d.getXMLDesc(0).contains("<source file='" + disk + "'"));
        assertFalse(Files.exists(root.resolve("mem")));
        d.destroy();
    }
}
