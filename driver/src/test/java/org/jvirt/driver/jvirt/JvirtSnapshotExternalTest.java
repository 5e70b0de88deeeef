package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Flags.SnapshotCreate;
import org.jvirt.driver.api.Flags.SnapshotDelete;
import org.jvirt.driver.api.Flags.SnapshotList;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External (disk-only) snapshots of shut-off jvirt domains, checked with the real qemu-img and
 * qemu-io: overlays with the disk as backing file, the config switched to them, merges on delete
 * equal to qemu-img commit, revert onto a new overlay, and libvirt's refusals.
 */
class JvirtSnapshotExternalTest {

    @TempDir Path root;
    private String uri;

    @BeforeEach
    void setUp() {
        uri = "jvirt:///embed?root=" + root;
    }

    private static boolean qemuTools() {
        return Files.isExecutable(Path.of("/usr/bin/qemu-img")) && Files.isExecutable(Path.of("/usr/bin/qemu-io"));
    }

    private static String domainXml(String name, String... disks) {
        StringBuilder b = new StringBuilder();
        char dev = 'a';
        for (int i = 0; i < disks.length; i += 2) {
            b.append("    <disk type='file' device='disk'>\n      <driver name='qemu' type='").append(disks[i + 1]).append("'/>\n")
                    .append("      <source file='").append(disks[i]).append("'/>\n      <target dev='vd").append(dev++)
                    .append("' bus='virtio'/>\n    </disk>\n");
        }
        return JvirtTestSupport.domainXml(name, "ticker").replace("<devices>\n", "<devices>\n" + b);
    }

    private record Proc(int rc, String out) { }

    private static Proc run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Proc(p.waitFor(), out);
    }

    private static void ok(String... cmd) throws Exception {
        Proc p = run(cmd);
        assertEquals(0, p.rc(), String.join(" ", cmd) + ": " + p.out());
    }

    private static void write(Path image, String format, int pattern, String offset, String len) throws Exception {
        ok("qemu-io", "-f", format, "-c", "write -P " + pattern + " " + offset + " " + len, image.toString());
    }

    private static String diskSource(Domain d) throws LibvirtException {
        String xml = d.getXMLDesc(0);
        int i = xml.indexOf("<source file='") + "<source file='".length();
        return xml.substring(i, xml.indexOf('\'', i));
    }

    @Test
    void diskOnlySnapshotOfARawDiskMakesAnOverlayAndDeleteMergesItAsQemuImgCommit() throws Exception {
        assumeTrue(qemuTools(), "qemu-img/qemu-io missing: not run");
        Path base = root.resolve("disk.img");
        ok("qemu-img", "create", "-q", "-f", "raw", base.toString(), "4M");
        write(base, "raw", 0x11, "0", "1M");
        Connect c = new Connect(uri);
        Domain d = c.domainDefineXML(domainXml("ext", base.toString(), "raw"));
        d.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>", SnapshotCreate.DISK_ONLY);

        // libvirt's default name: the disk's path with its extension replaced by the snapshot's name
        Path overlay = root.resolve("disk.s1");
        assertEquals(overlay.toString(), diskSource(d));
        assertTrue(d.getXMLDesc(0).contains("<driver name='qemu' type='qcow2'/>"), d.getXMLDesc(0));
        Proc info = run("qemu-img", "info", "--backing-chain", overlay.toString());
        assertEquals(0, info.rc(), info.out());
        assertTrue(info.out().contains("backing file: " + base), info.out());
        assertTrue(info.out().contains("backing file format: raw"), info.out());
        assertTrue(info.out().contains("virtual size: 4 MiB"), info.out());
        ok("qemu-img", "check", overlay.toString());

        String xml = d.snapshotLookupByName("s1").getXMLDesc();
        assertTrue(xml.contains("  <state>shutoff</state>\n"), xml);
        assertTrue(xml.contains("  <memory snapshot='no'/>\n  <disks>\n    <disk name='vda' snapshot='external' type='file'>\n"
                + "      <driver type='qcow2'/>\n      <source file='" + overlay + "'/>\n    </disk>\n  </disks>\n"), xml);
        assertTrue(xml.contains("<source file='" + base + "'/>"), "the snapshot's domain has the disk as it was: " + xml);
        Path rng = org.jvirt.xml.schema.RelaxNgValidator.defaultSchemaDir().resolve("domainsnapshot.rng");
        if (Files.exists(rng)) assertEquals(List.of(), org.jvirt.xml.schema.RelaxNgValidator.load(rng).validate(xml));
        assertEquals(List.of("s1"), List.of(d.snapshotListNames(SnapshotList.EXTERNAL)));
        assertEquals(0, d.snapshotListNames(SnapshotList.INTERNAL).length);

        // the guest's writes land in the overlay; the base keeps the snapshot's state
        byte[] before = Files.readAllBytes(base);
        write(overlay, "qcow2", 0x22, "512k", "1M");
        write(overlay, "qcow2", 0x33, "3M", "64k");
        ok("qemu-io", "-f", "qcow2", "-c", "write -z 0 64k", overlay.toString());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(base)));

        // reference: qemu-img commit of copies
        Path ref = Files.createDirectory(root.resolve("ref"));
        Files.copy(base, ref.resolve("disk.img"));
        Files.copy(overlay, ref.resolve("disk.s1"));
        ok("qemu-img", "rebase", "-u", "-f", "qcow2", "-F", "raw", "-b", ref.resolve("disk.img").toString(), ref.resolve("disk.s1").toString());
        ok("qemu-img", "commit", "-q", "-f", "qcow2", ref.resolve("disk.s1").toString());

        assertThrows(LibvirtException.class, () -> d.undefine(), "snapshots keep the domain");
        LibvirtException u = assertThrows(LibvirtException.class, () -> d.undefine());
        assertEquals("Requested operation is not valid: cannot delete inactive domain with 1 snapshots", u.getMessage());

        d.snapshotLookupByName("s1").delete(0);
        assertEquals(0, d.snapshotListNames().length);
        assertFalse(Files.exists(overlay), "the overlay is removed after the merge");
        assertEquals(base.toString(), diskSource(d));
        assertTrue(d.getXMLDesc(0).contains("<driver name='qemu' type='raw'/>"), d.getXMLDesc(0));
        Proc cmp = run("qemu-img", "compare", "-f", "raw", "-F", "raw", base.toString(), ref.resolve("disk.img").toString());
        assertEquals(0, cmp.rc(), cmp.out());
        c.close();
    }

    @Test
    void chainOfTwoQcow2OverlaysMergesTopFirstWithChildren() throws Exception {
        assumeTrue(qemuTools(), "qemu-img/qemu-io missing: not run");
        Path base = root.resolve("vm.qcow2");
        ok("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "8M");
        write(base, "qcow2", 0x44, "0", "2M");
        Path reference = root.resolve("reference.qcow2");
        Connect c = new Connect(uri);
        Domain d = c.domainDefineXML(domainXml("chain", base.toString(), "qcow2"));
        Path o1 = root.resolve("o1.qcow2"), o2 = root.resolve("o2.qcow2");
        String aXml = "<domainsnapshot><name>a</name><disks><disk name='vda' snapshot='external'><source file='" + o1
                + "'/></disk></disks></domainsnapshot>";
        // without --disk-only the qemu driver wants every disk internal (virDomainSnapshotAlignDisks' uniform internal snapshots)
        LibvirtException notDiskOnly = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML(aXml, 0));
        assertEquals("unsupported configuration: disk 'vda' must use snapshot mode 'internal'", notDiskOnly.getMessage());
        assertFalse(Files.exists(o1));
        d.snapshotCreateXML(aXml, SnapshotCreate.DISK_ONLY);
        write(o1, "qcow2", 0x55, "1M", "2M");
        d.snapshotCreateXML("<domainsnapshot><name>b</name><disks><disk name='vda'><driver type='qcow2'/><source file='" + o2
                + "'/></disk></disks></domainsnapshot>", SnapshotCreate.DISK_ONLY | SnapshotCreate.ATOMIC);
        write(o2, "qcow2", 0x66, "6M", "1M");
        assertEquals(o2.toString(), diskSource(d));
        assertEquals("a", d.snapshotLookupByName("b").getParentName());
        ok("qemu-img", "convert", "-O", "qcow2", o2.toString(), reference.toString()); // what the guest sees now
        Proc chain = run("qemu-img", "info", "--backing-chain", o2.toString());
        assertTrue(chain.out().contains("backing file: " + o1) && chain.out().contains("backing file: " + base), chain.out());

        LibvirtException e = assertThrows(LibvirtException.class, () -> d.snapshotLookupByName("a").delete(0));
        assertTrue(e.getMessage().contains("has child snapshots"), e.getMessage());
        d.snapshotLookupByName("a").delete(SnapshotDelete.CHILDREN);
        assertEquals(0, d.snapshotListNames().length);
        assertFalse(Files.exists(o1) || Files.exists(o2));
        assertEquals(base.toString(), diskSource(d));
        Proc cmp = run("qemu-img", "compare", base.toString(), reference.toString());
        assertEquals(0, cmp.rc(), cmp.out());
        ok("qemu-img", "check", base.toString());
        c.close();
    }

    @Test
    void revertPutsTheDiskOnANewOverlayOverTheSnapshotsBase() throws Exception {
        assumeTrue(qemuTools(), "qemu-img/qemu-io missing: not run");
        Path base = root.resolve("r.qcow2");
        ok("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "4M");
        write(base, "qcow2", 0x10, "0", "1M");
        Path atSnapshot = root.resolve("at-s.qcow2");
        Files.copy(base, atSnapshot);
        Connect c = new Connect(uri);
        Domain d = c.domainDefineXML(domainXml("rv", base.toString(), "qcow2"));
        d.snapshotCreateXML("<domainsnapshot><name>s</name></domainsnapshot>", SnapshotCreate.DISK_ONLY);
        Path overlay = root.resolve("r.s");
        write(overlay, "qcow2", 0x20, "0", "512k");

        d.revertToSnapshot(d.snapshotLookupByName("s"));
        Path fresh = root.resolve("r.s-revert1");
        assertEquals(fresh.toString(), diskSource(d));
        Proc info = run("qemu-img", "info", fresh.toString());
        assertTrue(info.out().contains("backing file: " + base), info.out());
        Proc cmp = run("qemu-img", "compare", fresh.toString(), atSnapshot.toString());
        assertEquals(0, cmp.rc(), "the disk reads as at the snapshot: " + cmp.out());
        assertTrue(Files.exists(overlay), "the state after the snapshot is left on disk");
        write(fresh, "qcow2", 0x30, "0", "64k");
        d.revertToSnapshot(d.snapshotLookupByName("s"));
        assertEquals(root.resolve("r.s-revert2").toString(), diskSource(d), "each revert gets a new overlay");
        assertEquals("s", d.snapshotCurrent().getName());
        // the disk is no longer at the snapshot's overlay: a merge is refused, --metadata drops the metadata only
        LibvirtException e = assertThrows(LibvirtException.class, () -> d.snapshotLookupByName("s").delete(0));
        assertTrue(e.getMessage().startsWith("Operation not supported: cannot merge external snapshot 's': disk vda is at"), e.getMessage());
        d.snapshotLookupByName("s").delete(SnapshotDelete.METADATA_ONLY);
        assertEquals(0, d.snapshotListNames().length);
        assertTrue(Files.exists(overlay));
        c.close();
    }

    @Test
    void refusalsInLibvirtsWordsChangeNothing() throws Exception {
        assumeTrue(qemuTools(), "qemu-img/qemu-io missing: not run");
        Path a = root.resolve("a.qcow2"), b = root.resolve("b.img");
        ok("qemu-img", "create", "-q", "-f", "qcow2", a.toString(), "1M");
        ok("qemu-img", "create", "-q", "-f", "raw", b.toString(), "1M");
        Connect c = new Connect(uri);
        Domain d = c.domainDefineXML(domainXml("rf", a.toString(), "qcow2", b.toString(), "raw"));
        String config = d.getXMLDesc(0);

        LibvirtException e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML(
                "<domainsnapshot><name>m</name><memory snapshot='external' file='/tmp/mem'/></domainsnapshot>", 0));
        assertEquals("XML error: memory state cannot be saved with offline or disk-only snapshot", e.getMessage());
        Files.writeString(root.resolve("taken"), "x");
        e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>t</name><disks><disk name='vda'>"
                + "<source file='" + root.resolve("taken") + "'/></disk></disks></domainsnapshot>", SnapshotCreate.DISK_ONLY));
        assertEquals("unsupported configuration: external snapshot file for disk vda already exists and is not a block device: "
                + root.resolve("taken"), e.getMessage());
        e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>r</name></domainsnapshot>",
                SnapshotCreate.DISK_ONLY | SnapshotCreate.REUSE_EXT));
        assertEquals("missing existing file for disk vda: " + root.resolve("a.r") + ": No such file or directory", e.getMessage());
        e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>x</name><disks>"
                + "<disk name='vda' snapshot='external'/></disks></domainsnapshot>", 0));
        assertEquals("unsupported configuration: disk 'vda' must use snapshot mode 'internal'", e.getMessage());
        e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>x</name><disks>"
                + "<disk name='vda' snapshot='internal'/></disks></domainsnapshot>", 0));
        // vdb defaults to internal, which its raw image cannot take (qemuSnapshotPrepare looks at the disks in order)
        assertEquals("unsupported configuration: internal snapshot for disk vdb unsupported for storage type raw", e.getMessage());
        e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>x</name><disks>"
                + "<disk name='vdz'/></disks></domainsnapshot>", SnapshotCreate.DISK_ONLY));
        assertEquals("unsupported configuration: no disk named 'vdz'", e.getMessage());
        e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>x</name><disks>"
                + "<disk name='vda' snapshot='no'/><disk name='vdb' snapshot='no'/></disks></domainsnapshot>", SnapshotCreate.DISK_ONLY));
        assertEquals("unsupported configuration: nothing selected for snapshot", e.getMessage());
        e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>x</name><disks>"
                + "<disk name='vda' snapshot='external'><source file='rel.qcow2'/></disk></disks></domainsnapshot>", 0));
        assertEquals("XML error: disk snapshot image path 'rel.qcow2' must be absolute", e.getMessage());

        // atomic: vdb's overlay cannot be made (no such directory), so vda's is removed again
        e = assertThrows(LibvirtException.class, () -> d.snapshotCreateXML("<domainsnapshot><name>at</name><disks>"
                + "<disk name='vdb'><source file='" + root.resolve("missing/dir/b.at") + "'/></disk></disks></domainsnapshot>",
                SnapshotCreate.DISK_ONLY | SnapshotCreate.ATOMIC));
        assertTrue(e.getMessage().contains("cannot create external snapshot overlay"), e.getMessage());
        assertFalse(Files.exists(root.resolve("a.at")), "the overlay made for vda is gone");
        assertEquals(config, d.getXMLDesc(0));
        assertEquals(0, d.snapshotListNames().length);

        // no metadata: the overlays are made and used, the snapshot is not listed
        d.snapshotCreateXML("<domainsnapshot><name>nm</name><disks><disk name='vdb' snapshot='no'/></disks></domainsnapshot>",
                SnapshotCreate.DISK_ONLY | SnapshotCreate.NO_METADATA);
        assertEquals(root.resolve("a.nm").toString(), diskSource(d));
        assertTrue(d.getXMLDesc(0).contains("<source file='" + b + "'/>"), "vdb was left alone");
        assertEquals(0, d.snapshotListNames().length);
        assertFalse(d.hasCurrentSnapshot());
        ok("qemu-img", "check", root.resolve("a.nm").toString());
        // an existing overlay taken as it is with --reuse-external
        ok("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", root.resolve("a.nm").toString(), root.resolve("mine.qcow2").toString());
        d.snapshotCreateXML("<domainsnapshot><name>re</name><disks><disk name='vda'><source file='" + root.resolve("mine.qcow2")
                + "'/></disk><disk name='vdb' snapshot='no'/></disks></domainsnapshot>", SnapshotCreate.DISK_ONLY | SnapshotCreate.REUSE_EXT);
        assertEquals(root.resolve("mine.qcow2").toString(), diskSource(d));
        d.undefine(org.jvirt.driver.api.Flags.Undefine.SNAPSHOTS_METADATA);
        c.close();
    }
}
