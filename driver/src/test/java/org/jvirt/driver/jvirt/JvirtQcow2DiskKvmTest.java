package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;
import org.jvirt.vmm.block.qcow2.Qcow2Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain whose disk is `<driver type='qcow2'/>` runs: the virtio-blk test guest reads the agreed
 * disk through a qcow2 overlay (its raw backing file) and its write lands in the overlay.
 */
class JvirtQcow2DiskKvmTest {

    @TempDir Path root;

    @Test
    void theVirtioBlkGuestRunsOnAQcow2Disk() throws Exception {
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("virtio-blk.elf")), "test guests not built (make -C test-fixtures/guests)");
        // the agreed disk (test-fixtures/README.md): sector 0 = "JVIRT-DISK-0" then byte i = i & 0xff
        byte[] base = new byte[1 << 20];
        byte[] magic = "JVIRT-DISK-0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, base, 0, magic.length);
        for (int i = magic.length; i < 512; i++) base[i] = (byte) i;
        Files.write(root.resolve("base.img"), base);
        Path overlay = root.resolve("disk.qcow2");
        Qcow2Create.create(overlay, base.length, 3, 16, "base.img", "raw");
        String xml = JvirtTestSupport.domainXml("qd", "virtio-blk").replace("<devices>",
                "<devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
                        + "      <source file='" + overlay + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>");
        Path vmm = JvirtTestSupport.vmmScript(root);
        String previous = System.setProperty("jvirt.vmm", vmm.toString());
        try {
            Connect c = new Connect("jvirt:///embed?root=" + root);
            Domain d = c.domainDefineXML(xml);
            d.create();
            long end = System.nanoTime() + 60_000_000_000L;
            while (d.getInfo().state != DomainState.VIR_DOMAIN_SHUTOFF && System.nanoTime() < end) Thread.sleep(50);
            assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, d.getInfo().state, "the guest ends by itself");
        } finally {
            if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
        }
        byte[] sector1 = new byte[512];
        try (BlockBackend disk = DiskImages.open(overlay, ImageFormat.QCOW2, true)) {
            disk.read(512, sector1, 0, 512);
        }
        byte[] tag = "WRITTEN-BY-GUEST".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = new byte[512];
        for (int i = 0; i < 512; i++) expected[i] = i < tag.length ? tag[i] : (byte) (0xff - (i & 0xff));
        assertArrayEquals(expected, sector1, "sector 1 as the guest wrote it, read through the overlay");
        assertArrayEquals(base, Files.readAllBytes(root.resolve("base.img")), "the backing file is untouched");
    }
}
