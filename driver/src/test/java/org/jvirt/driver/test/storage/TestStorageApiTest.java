package org.jvirt.driver.test.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Device;
import org.jvirt.driver.api.Flags.ListAllNodeDevices;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.driver.api.StorageVol;
import org.junit.jupiter.api.Test;

/** Pools, volumes, interfaces and node devices of test:///default through the API, as libvirt's test driver has them. */
class TestStorageApiTest {

    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void volumesCountAgainstTheirPool() throws LibvirtException {
        Connect c = new Connect("test:///default");
        StoragePool pool = c.storagePoolLookupByName("default-pool");
        assertEquals(100 * GIB, pool.getInfo().capacity);
        StorageVol v = pool.storageVolCreateXML("<volume><name>v1</name><capacity unit='M'>10</capacity></volume>", 0);
        assertEquals("/default-pool/v1", v.getPath());
        assertEquals("/default-pool/v1", c.storageVolLookupByPath("/default-pool/v1").getKey());
        StoragePoolInfo info = pool.getInfo();
        assertEquals(10L << 20, info.allocation);
        assertEquals(100 * GIB - (10L << 20), info.available);
        assertArrayEquals(new String[] {"v1"}, pool.listVolumes());
        assertEquals("internal error: Not enough free space in pool for volume 'big'",
                assertThrows(LibvirtException.class, () -> pool.storageVolCreateXML(
                        "<volume><name>big</name><capacity unit='G'>200</capacity></volume>", 0)).getMessage());
        v.delete(0);
        assertEquals(0, pool.getInfo().allocation);
    }

    @Test
    void poolsStartStopAndRefuseAsLibvirtDoes() throws LibvirtException {
        Connect c = new Connect("test:///default");
        StoragePool p = c.storagePoolDefineXML("<pool type='dir'><name>p1</name><target><path>/p1</path></target></pool>", 0);
        assertArrayEquals(new String[] {"p1"}, c.listDefinedStoragePools());
        assertEquals(StoragePoolInfo.StoragePoolState.VIR_STORAGE_POOL_INACTIVE, p.getInfo().state);
        assertEquals("Requested operation is not valid: storage pool is not active",
                assertThrows(LibvirtException.class, p::listVolumes).getMessage());
        p.create(0);
        assertEquals("Requested operation is not valid: storage pool 'p1' is active",
                assertThrows(LibvirtException.class, p::undefine).getMessage());
        assertEquals("unsupported flags (0x1) in function testStoragePoolCreate",
                assertThrows(LibvirtException.class, () -> c.storagePoolLookupByName("default-pool").create(1)).getMessage());
        p.destroy();
        p.undefine();
        assertEquals("Storage pool not found: no storage pool with matching name 'p1'",
                assertThrows(LibvirtException.class, () -> c.storagePoolLookupByName("p1")).getMessage());
    }

    @Test
    void interfacesAndNodeDevices() throws LibvirtException {
        Connect c = new Connect("test:///default");
        assertArrayEquals(new String[] {"eth1"}, c.listInterfaces());
        assertEquals("aa:bb:cc:dd:ee:ff", c.interfaceLookupByName("eth1").getMACString());
        assertArrayEquals(new String[] {"computer", "scsi_host1", "scsi_host2", "scsi_host11"}, c.listDevices(null));
        assertArrayEquals(new String[] {"scsi_host1", "scsi_host2"}, c.listDevices("vports"));
        assertEquals("scsi_host1", c.deviceLookupByName("scsi_host11").getParent());
        // libvirt 9.0's test driver lists node devices by capability only
        assertEquals("unsupported flags (0x80000000) in function testConnectListAllNodeDevices",
                assertThrows(LibvirtException.class, () -> c.listAllNodeDevices(ListAllNodeDevices.ACTIVE)).getMessage());
        assertEquals(4, c.listAllNodeDevices(0).length);
        assertEquals(1, c.listAllNodeDevices(1 << Device.CAPS.indexOf("system")).length);
    }
}
