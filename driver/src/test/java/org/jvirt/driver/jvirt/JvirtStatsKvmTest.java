package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainStats;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata --live and domain statistics of a domain really running on KVM (on KVM where /dev/kvm is usable, else on the emulator). */
class JvirtStatsKvmTest {

    @TempDir
    Path root;
    private TickerEmbed ticker;

    @BeforeEach
    void setUp() throws Exception {
        ticker = TickerEmbed.open(root, "stats");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ticker != null) ticker.close();
    }

    private String uri() {
        return ticker.uri();
    }

    @Test
    void liveMetadataGoesToTheRunningDefinitionOnly() throws Exception {
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("tick", "ticker"));
        d.create();
        d.setMetadata(Flags.Metadata.ELEMENT, "<run n='1'/>", "app", "urn:app", Flags.Affect.LIVE);
        d.setMetadata(Flags.Metadata.TITLE, "running title", null, null, 0);
        // another client reads the live definition from the status file
        Domain other = new Connect(uri()).domainLookupByName("tick");
        assertEquals("<run n=\"1\"/>", other.getMetadata(Flags.Metadata.ELEMENT, "urn:app", 0));
        assertEquals("running title", other.getMetadata(Flags.Metadata.TITLE, null, Flags.Affect.LIVE));
        assertTrue(other.getXMLDesc(0).contains("<app:run xmlns:app=\"urn:app\" n=\"1\"/>"), other.getXMLDesc(0));
        LibvirtException e = assertThrows(LibvirtException.class,
                () -> other.getMetadata(Flags.Metadata.ELEMENT, "urn:app", Flags.Affect.CONFIG));
        assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA, e.code());
        // the next boot starts from the config, which --live did not touch
        d.destroy();
        assertThrows(LibvirtException.class, () -> d.getMetadata(Flags.Metadata.ELEMENT, "urn:app", 0));
        d.create();
        d.setMetadata(Flags.Metadata.ELEMENT, "<both/>", "app", "urn:app", Flags.Affect.LIVE | Flags.Affect.CONFIG);
        d.destroy();
        assertEquals("<both/>", d.getMetadata(Flags.Metadata.ELEMENT, "urn:app", 0));
    }

    @Test
    void blockStatsComeFromTheVmmsVirtioBlkCounters() throws Exception {
        Path image = root.resolve("disk.img");
        Files.write(image, new byte[1 << 20]);
        String xml = JvirtTestSupport.domainXml("tick", "ticker").replace("  <devices>\n",
                "  <devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='raw'/>\n      <source file='"
                        + image + "'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n");
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml);
        LibvirtException off = assertThrows(LibvirtException.class, () -> d.blockStats("vda"));
        assertEquals("Requested operation is not valid: domain is not running", off.getMessage());
        d.create();
        // the ticker never touches its disk: every counter is 0; errs is unknown (-1), as with QEMU
        org.jvirt.driver.api.DomainBlockStats s = d.blockStats("vda");
        assertEquals("0 0 0 0 -1", s.rd_req + " " + s.rd_bytes + " " + s.wr_req + " " + s.wr_bytes + " " + s.errs);
        assertEquals(0, d.blockStats(image.toString()).rd_req);
        assertEquals(0, d.blockStats("").wr_bytes);
        LibvirtException bad = assertThrows(LibvirtException.class, () -> d.blockStats("vdb"));
        assertEquals("invalid argument: invalid path: vdb", bad.getMessage());
        assertEquals(1 << 20, d.blockInfo("vda").capacity);
    }

    @Test
    void statsOfARunningDomainComeFromItsVmmProcess() throws Exception {
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("tick", "ticker"));
        d.create();
        Thread.sleep(300);
        DomainStats[] all = c.getAllDomainStats(0, 0);
        assertEquals(1, all.length);
        Map<String, Object> p = new HashMap<>();
        for (TypedParameter t : all[0].params()) p.put(t.field(), t.value());
        assertEquals(1L, p.get("state.state"));
        assertEquals(1L, p.get("state.reason"));
        assertTrue((Long) p.get("cpu.time") > 0, p.toString());
        assertEquals(65536L, p.get("balloon.current"));
        assertEquals(1L, p.get("vcpu.current"));
        assertEquals(1L, p.get("vcpu.0.state"));
        assertTrue(p.containsKey("vcpu.0.time"), p.toString());
        assertEquals(0, c.getAllDomainStats(Flags.DomainStatsTypes.STATE, Flags.GetAllDomainStats.SHUTOFF).length);
        LibvirtException e = assertThrows(LibvirtException.class, () -> d.interfaceStats("eth0"));
        assertEquals("invalid argument: 'eth0' is not a known interface", e.getMessage());
    }
}
