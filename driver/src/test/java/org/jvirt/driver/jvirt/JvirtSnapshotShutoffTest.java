package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainSnapshot;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots of a shut-off jvirt domain, checked against the real qemu-img: the libvirt snapshot
 * is an internal qcow2 snapshot of its disk, revert brings the data back (qemu-img compare
 * against a copy taken at the snapshot), delete removes it, and the metadata outlives the connection.
 */
class JvirtSnapshotShutoffTest {

    @TempDir Path root;

    private static boolean qemuTools() {
        return Files.isExecutable(Path.of("/usr/bin/qemu-img")) && Files.isExecutable(Path.of("/usr/bin/qemu-io"));
    }

    private static String domainXml(String name, Path disk, String format) {
        return JvirtTestSupport.domainXml(name, "ticker").replace("<devices>",
                "<devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='" + format + "'/>\n"
                        + "      <source file='" + disk + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>");
    }

    private static Proc run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Proc(p.waitFor(), out);
    }

    private record Proc(int rc, String out) { }

    private static void write(Path disk, int pattern, String offset) throws Exception {
        Proc p = run("qemu-io", "-f", "qcow2", "-c", "write -P " + pattern + " " + offset + " 64k", disk.toString());
        assertEquals(0, p.rc(), p.out());
    }

    @Test
    void revertBringsTheDiskBackAndDeleteRemovesTheQcow2Snapshot() throws Exception {
        assumeTrue(qemuTools(), "qemu-img/qemu-io missing: not run");
        Path disk = root.resolve("disk.qcow2");
        assertEquals(0, run("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "4M").rc());
        write(disk, 0xaa, "0");
        String uri = "jvirt:///embed?root=" + root;
        Connect c = new Connect(uri);
        Domain d = c.domainDefineXML(domainXml("sd", disk, "qcow2"));
        DomainSnapshot s1 = d.snapshotCreateXML("<domainsnapshot><name>s1</name><description>before</description></domainsnapshot>");
        assertEquals("s1", s1.getName());
        Path copy = root.resolve("at-s1.qcow2");
        Files.copy(disk, copy);

        write(disk, 0x55, "0");
        write(disk, 0x66, "1M");
        assertEquals(1, run("qemu-img", "compare", "-q", disk.toString(), copy.toString()).rc(), "the disk changed");
        DomainSnapshot s2 = d.snapshotCreateXML("<domainsnapshot><name>s2</name></domainsnapshot>");
        c.close();

        // a new connection sees the metadata
        Connect c2 = new Connect(uri);
        Domain d2 = c2.domainLookupByName("sd");
        assertEquals(List.of("s1", "s2"), List.of(d2.snapshotListNames()));
        assertEquals("s2", d2.snapshotCurrent().getName());
        DomainSnapshot again = d2.snapshotLookupByName("s2");
        assertEquals("s1", again.getParentName());
        String xml = d2.snapshotLookupByName("s1").getXMLDesc();
        assertTrue(xml.startsWith("<domainsnapshot>\n  <name>s1</name>\n  <description>before</description>\n  <state>shutoff</state>\n"), xml);
        assertTrue(xml.contains("  <memory snapshot='no'/>\n  <disks>\n    <disk name='vda' snapshot='internal'/>\n  </disks>\n  <domain type='" + JvirtTestSupport.guestVirtType() + "'>\n"), xml);
        assertFalse(xml.contains("<active>"), xml);
        Path rng = org.jvirt.xml.schema.RelaxNgValidator.defaultSchemaDir().resolve("domainsnapshot.rng");
        if (Files.exists(rng)) { // libvirt's schema, where installed
            assertEquals(List.of(), org.jvirt.xml.schema.RelaxNgValidator.load(rng).validate(xml));
        }

        d2.revertToSnapshot(d2.snapshotLookupByName("s1"));
        Proc cmp = run("qemu-img", "compare", disk.toString(), copy.toString());
        assertEquals(0, cmp.rc(), cmp.out());
        assertEquals("s1", d2.snapshotCurrent().getName());
        Proc list = run("qemu-img", "snapshot", "-l", disk.toString());
        assertTrue(list.out().contains(" s1 ") && list.out().contains(" s2 "), list.out());

        d2.snapshotLookupByName("s2").delete(0);
        assertEquals(List.of("s1"), List.of(d2.snapshotListNames()));
        list = run("qemu-img", "snapshot", "-l", disk.toString());
        assertTrue(list.out().contains(" s1 ") && !list.out().contains(" s2 "), list.out());
        Proc check = run("qemu-img", "check", disk.toString());
        assertEquals(0, check.rc(), check.out());

        d2.snapshotLookupByName("s1").delete(0);
        assertEquals(0, d2.snapshotListNames().length);
        assertFalse(d2.hasCurrentSnapshot());
        assertEquals("", run("qemu-img", "snapshot", "-l", disk.toString()).out().trim());
        c2.close();
    }

    @Test
    void aWritableRawDiskIsRefusedWithLibvirtsWordsAndNothingIsStored() throws Exception {
        Path disk = root.resolve("disk.img");
        Files.write(disk, new byte[1 << 20]);
        Connect c = new Connect("jvirt:///embed?root=" + root);
        Domain d = c.domainDefineXML(domainXml("rd", disk, "raw"));
        LibvirtException e = assertThrows(LibvirtException.class,
                () -> d.snapshotCreateXML("<domainsnapshot><name>s</name></domainsnapshot>"));
        assertEquals("unsupported configuration: internal snapshot for disk vda unsupported for storage type raw", e.getMessage());
        assertEquals(0, d.snapshotListNames().length);
        assertArrayEquals(new byte[1 << 20], Files.readAllBytes(disk));
        c.close();
    }

    @Test
    void aDomainWithoutDisksSnapshotsWithEmptyDisks() throws Exception {
        Connect c = new Connect("jvirt:///embed?root=" + root);
        Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("nd", "ticker"));
        d.snapshotCreateXML("<domainsnapshot><name>a</name></domainsnapshot>");
        d.snapshotCreateXML("<domainsnapshot><name>b</name></domainsnapshot>");
        assertTrue(d.snapshotLookupByName("a").getXMLDesc().contains("  <disks/>\n"));
        List<String> roots = new ArrayList<>(List.of(d.snapshotListNames(org.jvirt.driver.api.Flags.SnapshotList.ROOTS)));
        assertEquals(List.of("a"), roots);
        assertNull(d.snapshotLookupByName("a").getParentName());
        LibvirtException e = assertThrows(LibvirtException.class,
                () -> d.snapshotCreateXML("<domainsnapshot><name>a</name></domainsnapshot>"));
        assertEquals("operation failed: domain moment a already exists", e.getMessage());
        // REDEFINE with CURRENT (snapshot-current NAME, snapshot-edit): the metadata as given becomes current
        String axml = d.snapshotLookupByName("a").getXMLDesc();
        d.snapshotCreateXML(axml.replace("<name>a</name>", "<name>a</name>\n  <description>edited</description>"),
                org.jvirt.driver.api.Flags.SnapshotCreate.REDEFINE | org.jvirt.driver.api.Flags.SnapshotCreate.CURRENT);
        assertEquals("a", d.snapshotCurrent().getName());
        assertTrue(d.snapshotLookupByName("a").getXMLDesc().contains("  <description>edited</description>\n"));
        assertEquals(axml.replace("<name>a</name>", "<name>a</name>\n  <description>edited</description>"),
                d.snapshotLookupByName("a").getXMLDesc(), "the rest as it was");
        d.snapshotCreateXML(d.snapshotLookupByName("b").getXMLDesc(),
                org.jvirt.driver.api.Flags.SnapshotCreate.REDEFINE | org.jvirt.driver.api.Flags.SnapshotCreate.CURRENT);
        // a disk-only snapshot needs a disk; a shut-off domain has no memory state to save (libvirt's words)
        LibvirtException ext = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML(
                "<domainsnapshot><name>x</name></domainsnapshot>", org.jvirt.driver.api.Flags.SnapshotCreate.DISK_ONLY));
        assertEquals("unsupported configuration: nothing selected for snapshot", ext.getMessage());
        LibvirtException mem = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML(
                "<domainsnapshot><name>x</name><memory snapshot='external' file='/tmp/m'/></domainsnapshot>"));
        assertEquals("XML error: memory state cannot be saved with offline or disk-only snapshot", mem.getMessage());
        assertEquals(List.of("a", "b"), List.of(d.snapshotListNames()));
        // libvirt's layout: one file per snapshot under the domain's snapshot directory, the current one marked
        assertTrue(Files.readString(root.resolve("config/snapshot/nd/b.xml")).contains("<active>1</active>"));
        assertFalse(Files.readString(root.resolve("config/snapshot/nd/a.xml")).contains("<active>"));
        // a damaged metadata file costs only its own snapshot
        Files.writeString(root.resolve("config/snapshot/nd/a.xml"), "<domainsnapshot><name>a</nam");
        assertEquals(List.of("b"), List.of(new Connect("jvirt:///embed?root=" + root).domainLookupByName("nd").snapshotListNames()));
        c.close();
    }
}
