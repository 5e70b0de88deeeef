package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jvirt.driver.def.DefineDefaults;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.xml.domain.Domain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disks reach jvirt-vmm's command line with their format: qcow2 as format=qcow2, raw (or no type) as plain files. */
class VmmCommandDiskTest {

    @TempDir Path dir;

    @Test
    void qcow2DisksArePassedWithTheirFormat() throws Exception {
        Path kernel = Files.createFile(dir.resolve("k.elf"));
        Path a = Files.createFile(dir.resolve("a.qcow2")), b = Files.createFile(dir.resolve("b.img")), c = Files.createFile(dir.resolve("c,ro.qcow2"));
        // VmmCommand only checks that the KVM device is readable and writable: a plain file stands in for it
        Path kvm = Files.createFile(dir.resolve("kvm"));
        String xml = "<domain type='kvm'><name>t</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type><kernel>" + kernel + "</kernel></os><devices>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + a + "'/><target dev='vda' bus='virtio'/></disk>"
                + "<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='" + b + "'/><target dev='vdb' bus='virtio'/></disk>"
                + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + c + "'/><target dev='vdc' bus='virtio'/><readonly/></disk>"
                + "</devices></domain>";
        Domain d = DomainDefinition.parse(xml);
        new DefineDefaults("x86_64", UUID::randomUUID).apply(d);
        PcDefaults.apply(d);
        JvirtPaths paths = new JvirtPaths(dir.resolve("etc"), dir.resolve("run"), dir.resolve("log"));
        Files.createDirectories(paths.logDir());
        List<String> args = VmmCommand.build(DomainDefinition.of(d), paths, false, kvm).args();
        List<String> disks = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) if (args.get(i).equals("--disk")) disks.add(args.get(i + 1));
        // a comma in a file name is doubled, so that it cannot pass for an option
        assertEquals(List.of(a + ",format=qcow2", b.toString(), dir.resolve("c,,ro.qcow2") + ",ro,format=qcow2"), disks);
        assertTrue(!args.contains("--vga"), "no <video>: no display adapter, as QEMU's -vga none under libvirt");
        Domain withVga = DomainDefinition.parse(xml.replace("</devices>", "<video><model type='vga'/></video></devices>"));
        new DefineDefaults("x86_64", UUID::randomUUID).apply(withVga);
        PcDefaults.apply(withVga);
        List<String> vga = VmmCommand.build(DomainDefinition.of(withVga), paths, false, kvm).args();
        assertEquals("std", vga.get(vga.indexOf("--vga") + 1), "<video model='vga'> is QEMU's std VGA");
    }
}
