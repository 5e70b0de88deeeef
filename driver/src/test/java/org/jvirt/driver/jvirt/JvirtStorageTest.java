package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.jvirt.storage.DirStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jvirt driver's dir pools beyond what the virsh parity test (JvirtStoragePoolsVirshTest)
 * compares with libvirt: pools kept in files, so a second connection sees them; autostart
 * pools started after a boot; a domain's {@code <disk type='volume'>} resolved to the file.
 */
class JvirtStorageTest {

    @TempDir
    Path root;

    private String uri() { return "jvirt:///embed?root=" + root.resolve("root"); }

    private StoragePool runningPool(Connect c) throws LibvirtException {
        StoragePool p = c.storagePoolDefineXML("<pool type='dir'><name>p</name><target><path>" + root.resolve("p")
                + "</path></target></pool>", 0);
        p.build(0);
        p.create(0);
        return p;
    }

    @Test
    void poolsLiveInFilesAndAutostartAfterABoot() throws Exception {
        Connect c = new Connect(uri());
        StoragePool p = runningPool(c);
        p.storageVolCreateXML("<volume><name>v.img</name><capacity>1048576</capacity></volume>", 0);
        p.setAutostart(1);
        Connect other = new Connect(uri());
        StoragePool seen = other.storagePoolLookupByName("p");
        assertEquals(1, seen.isActive());
        assertEquals(p.getUUIDString(), seen.getUUIDString());
        assertEquals("v.img", seen.listVolumes()[0]);
        p.destroy();
        assertEquals(0, seen.isActive());
        other.close();
        c.close();
        // a new boot id: the next read-write open is the first after a boot
        Files.writeString(root.resolve("root/run/boot-id"), "another-boot\n");
        Connect afterBoot = new Connect(uri());
        assertEquals(1, afterBoot.storagePoolLookupByName("p").isActive());
        afterBoot.close();
    }

    @Test
    void aVolumeDiskResolvesToTheVolumesFile() throws Exception {
        Connect c = new Connect(uri());
        StoragePool p = runningPool(c);
        p.storageVolCreateXML("<volume><name>disk.qcow2</name><capacity>1048576</capacity>"
                + "<target><format type='qcow2'/></target></volume>", 0);
        DirStorage storage = new DirStorage(JvirtPaths.embed(root.resolve("root")), UUID::randomUUID, () -> () -> { });
        DomainDefinition def = DomainDefinition.of(DomainDefinition.parse("<domain type='kvm'><name>d</name>"
                + "<memory unit='MiB'>64</memory><currentMemory unit='MiB'>64</currentMemory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                + "<disk type='volume' device='disk'><driver name='qemu' type='qcow2'/><source pool='p' volume='disk.qcow2'/>"
                + "<target dev='vda' bus='virtio'/></disk></devices></domain>"));
        DomainDefinition resolved = VolumeDisks.resolve(def, storage::diskSourcePath);
        var disk = resolved.model().getDevices().getDisks().get(0);
        assertEquals("file", disk.getType());
        assertEquals(root.resolve("p/disk.qcow2").toString(), disk.getSource().getFile());
        assertEquals("volume", def.model().getDevices().getDisks().get(0).getType(), "the definition itself is kept");
        LibvirtException e = assertThrows(LibvirtException.class, () -> VolumeDisks.resolve(def, (pool, vol) ->
                storage.diskSourcePath(pool, "nosuch.img")));
        assertEquals("Storage volume not found: no storage vol with matching name 'nosuch.img'", e.getMessage());
        p.destroy();
        e = assertThrows(LibvirtException.class, () -> VolumeDisks.resolve(def, storage::diskSourcePath));
        assertEquals("Requested operation is not valid: storage pool 'p' containing volume 'disk.qcow2' is not active", e.getMessage());
        assertFalse(e.getMessage().contains("Exception"));
        c.close();
    }
}
