package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.Domain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A firmware boot's disks reach jvirt-vmm with their bus, IDE position and boot priority as
 * libvirt gives them to QEMU: IDE drives at bus * 2 + unit of their drive address (hdc: the
 * secondary master), cdroms as ATAPI drives (an empty one without a file), and a bootindex from
 * {@code <os><boot dev>} (the first disk of each kind, by the element's place) or from each
 * device's {@code <boot order>}; libvirt's boot-cdrom case gives the cdrom bootindex 1.
 */
class VmmCommandBootOrderTest {

    @TempDir Path dir;

    @Test
    void theBootMenuAndTheRebootTimeoutAreQemusBootOptions() throws Exception {
        assertEquals(List.of("strict=on,menu=on,splash-time=3000,reboot-timeout=0"),
                option("--boot", "<boot dev='hd'/><bootmenu enable='yes' timeout='3000'/><bios useserial='yes' rebootTimeout='0'/>"));
        assertEquals(List.of("strict=on"), option("--boot", "<bootmenu enable='no'/>"));
    }

    private List<String> option(String name, String os) throws Exception {
        List<String> args = args(os, "");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) if (args.get(i).equals(name)) out.add(args.get(i + 1));
        return out;
    }

    private List<String> disks(String os, String devices) throws Exception {
        List<String> args = args(os, devices);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) if (args.get(i).equals("--disk")) out.add(args.get(i + 1));
        return out;
    }

    private List<String> args(String os, String devices) throws Exception {
        Domain d = DomainDefinition.parse("<domain type='qemu'><name>t</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>" + os + "</os><devices>" + devices + "</devices></domain>");
        new DefineDefaults("x86_64", UUID::randomUUID).apply(d);
        PcDefaults.apply(d);
        JvirtPaths paths = new JvirtPaths(dir.resolve("etc"), dir.resolve("run"), dir.resolve("log"));
        Files.createDirectories(paths.logDir());
        return VmmCommand.build(DomainDefinition.of(d), paths, false, new VirtTypes.Host(false, true, "no kvm in this test")).args();
    }

    private String file(String name) throws Exception {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) Files.createFile(p);
        return p.toString();
    }

    private String disk(String device, String file, String target, String bus, String extra) {
        return "<disk type='file' device='" + device + "'>" + (file == null ? "" : "<source file='" + file + "'/>")
                + "<target dev='" + target + "' bus='" + bus + "'/>" + extra + "</disk>";
    }

    @Test
    void bootDevicesGiveTheFirstDiskOfEachKindItsPlace() throws Exception {
        String vda = file("a.img"), vdb = file("b.img"), iso = file("boot.iso"), hda = file("h.img");
        String devices = disk("disk", vda, "vda", "virtio", "") + disk("disk", vdb, "vdb", "virtio", "")
                + disk("cdrom", iso, "hdc", "ide", "") + disk("disk", hda, "hda", "ide", "") + disk("cdrom", null, "hdd", "ide", "");
        assertEquals(List.of(vda + ",bootindex=2", vdb, hda + ",if=ide,index=0", iso + ",if=ide,media=cdrom,index=2,bootindex=1",
                ",if=ide,media=cdrom,index=3"), disks("<boot dev='cdrom'/><boot dev='hd'/>", devices));
        // libvirt's post-parse order puts the IDE disks after the virtio ones; hda is not the first disk
        assertEquals(List.of(vda + ",bootindex=1", vdb, hda + ",if=ide,index=0", iso + ",if=ide,media=cdrom,index=2",
                ",if=ide,media=cdrom,index=3"), disks("<boot dev='hd'/>", devices));
    }

    @Test
    void perDeviceBootOrdersArePassedAsGiven() throws Exception {
        String vda = file("a.img"), iso = file("boot.iso");
        assertEquals(List.of(vda + ",bootindex=7", iso + ",if=ide,media=cdrom,index=2,bootindex=3"),
                disks("", disk("disk", vda, "vda", "virtio", "<boot order='7'/>") + disk("cdrom", iso, "hdc", "ide", "<boot order='3'/>")));
    }

    @Test
    void diskSerialsArePassedAndUnsafeOnesRefusedAsLibvirtDoes() throws Exception {
        String vda = file("a.img"), hda = file("h.img");
        assertEquals(List.of(vda + ",bootindex=1,serial=WD-123_x y", hda + ",if=ide,index=0,serial=QM1"),
                disks("", disk("disk", vda, "vda", "virtio", "<serial>WD-123_x y</serial>") + disk("disk", hda, "hda", "ide", "<serial>QM1</serial>")));
        LibvirtException e = assertThrows(LibvirtException.class, () -> disks("", disk("disk", vda, "vda", "virtio", "<serial>a,b</serial>")));
        assertEquals("internal error: driver serial 'a,b' contains unsafe characters", e.getMessage());
    }

    @Test
    void ideAndSataAddressesBeyondTheOneControllerAreRefused() throws Exception {
        String iso = file("boot.iso");
        String[][] cases = {
            {disk("cdrom", iso, "sda", "sata", "<address type='drive' controller='0' bus='0' target='0' unit='6'/>"),
                "disk 'sda' (SATA address controller='0' bus='0' target='0' unit='6' (one controller, bus 0, units 0-5))"},
            {disk("cdrom", iso, "hdc", "ide", "<address type='drive' controller='1' bus='0' target='0' unit='0'/>"),
                "disk 'hdc' (IDE address controller='1' bus='0' target='0' unit='0' (one controller, buses 0-1, units 0-1))"},
        };
        for (String[] k : cases) {
            LibvirtException e = assertThrows(LibvirtException.class, () -> disks("", k[0]));
            assertEquals(true, e.getMessage().contains(k[1]), e.getMessage());
        }
    }
}
