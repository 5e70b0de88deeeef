package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.api.StorageVol;
import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain whose disk is {@code <disk type='volume'>} runs on the volume's file: the
 * virtio-blk test guest reads the agreed disk through a qcow2 volume of a dir pool whose
 * backing volume was filled by vol-upload, and its write lands in the qcow2 volume.
 */
class JvirtVolumeDiskKvmTest {

    @TempDir Path root;

    @Test
    void theVirtioBlkGuestRunsOnAPoolVolume() throws Exception {
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("virtio-blk.elf")), "test guests not built (make -C test-fixtures/guests)");
        // the agreed disk (test-fixtures/README.md): sector 0 = "JVIRT-DISK-0" then byte i = i & 0xff
        byte[] base = new byte[1 << 20];
        byte[] magic = "JVIRT-DISK-0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, base, 0, magic.length);
        for (int i = magic.length; i < 512; i++) base[i] = (byte) i;
        Path vmm = JvirtTestSupport.vmmScript(root);
        String previous = System.setProperty("jvirt.vmm", vmm.toString());
        Path poolDir = root.resolve("pool");
        try {
            Connect c = new Connect("jvirt:///embed?root=" + root);
            StoragePool pool = c.storagePoolDefineXML("<pool type='dir'><name>guests</name><target><path>" + poolDir
                    + "</path></target></pool>", 0);
            pool.build(0);
            pool.create(0);
            StorageVol raw = pool.storageVolCreateXML("<volume><name>base.img</name><capacity>" + base.length
                    + "</capacity><allocation>0</allocation></volume>", 0);
            try (OutputStream up = raw.upload(0, 0, 0)) {
                up.write(base);
            }
            pool.storageVolCreateXML("<volume><name>disk.qcow2</name><capacity>" + base.length + "</capacity>"
                    + "<target><format type='qcow2'/></target><backingStore><path>" + raw.getPath()
                    + "</path><format type='raw'/></backingStore></volume>", 0);
            String xml = JvirtTestSupport.domainXml("vd", "virtio-blk").replace("<devices>",
                    "<devices>\n    <disk type='volume' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
                            + "      <source pool='guests' volume='disk.qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>");
            Domain d = c.domainDefineXML(xml);
            d.create();
            long end = System.nanoTime() + 60_000_000_000L;
            while (d.getInfo().state != DomainState.VIR_DOMAIN_SHUTOFF && System.nanoTime() < end) Thread.sleep(50);
            assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, d.getInfo().state, "the guest ends by itself");
            String after = d.getXMLDesc(0);
            assertTrue(after.contains("<disk type='volume' device='disk'>"), "the definition keeps the volume disk: " + after);
            c.close();
        } finally {
            if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
        }
        byte[] sector1 = new byte[512];
        try (BlockBackend disk = DiskImages.open(poolDir.resolve("disk.qcow2"), ImageFormat.QCOW2, true)) {
            disk.read(512, sector1, 0, 512);
        }
        byte[] tag = "WRITTEN-BY-GUEST".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = new byte[512];
        for (int i = 0; i < 512; i++) expected[i] = i < tag.length ? tag[i] : (byte) (0xff - (i & 0xff));
        assertArrayEquals(expected, sector1, "sector 1 as the guest wrote it, read through the volume");
        assertArrayEquals(base, Files.readAllBytes(poolDir.resolve("base.img")), "the backing volume is untouched");
    }
}
