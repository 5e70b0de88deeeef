package org.jvirt.driver.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainSnapshot;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDriverTest {

    private static final String SMALL = """
            <domain type='test'>
              <name>small</name>
              <memory unit='MiB'>128</memory>
              <vcpu>1</vcpu>
              <os>
                <type arch='x86_64'>hvm</type>
              </os>
            </domain>
            """;

    @Test
    void initialObjectsAreLibvirts() throws Exception {
        Connect c = new Connect("test:///default");
        assertEquals("TEST", c.getType());
        assertEquals(2, c.getVersion());
        assertEquals("test:///default", c.getURI());
        Domain[] all = c.listAllDomains(0);
        assertEquals(1, all.length);
        Domain test = c.domainLookupByID(1);
        assertEquals("test", test.getName());
        assertEquals("6695eb01-f6a4-8304-79aa-97f2502e193f", test.getUUIDString());
        assertEquals(8388608, test.getInfo().maxMem);
        assertEquals(2097152, test.getInfo().memory);
        assertEquals(2, test.getInfo().nrVirtCpu);
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, test.getInfo().state);
        assertEquals(new DomainStateReason(DomainState.VIR_DOMAIN_RUNNING, 0), test.getState());
        assertEquals(16, c.nodeInfo().cpus);
        assertTrue(test.getXMLDesc(0).startsWith("<domain type='test' id='1'>\n  <name>test</name>\n"));
        c.close();
    }

    @Test
    void defineNormalizesLikeLibvirt() throws Exception {
        Connect c = new Connect("test:///default");
        Domain small = c.domainDefineXML(SMALL);
        String uuid = small.getUUIDString();
        assertEquals("""
                <domain type='test'>
                  <name>small</name>
                  <uuid>%s</uuid>
                  <memory unit='KiB'>131072</memory>
                  <currentMemory unit='KiB'>131072</currentMemory>
                  <vcpu placement='static'>1</vcpu>
                  <os>
                    <type arch='x86_64'>hvm</type>
                    <boot dev='hd'/>
                  </os>
                  <clock offset='utc'/>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>restart</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                  </devices>
                </domain>
                """.formatted(uuid), small.getXMLDesc(0));
        LibvirtException dup = assertThrows(LibvirtException.class, () -> c.domainDefineXML(SMALL));
        assertEquals(ErrorNumber.VIR_ERR_OPERATION_FAILED, dup.code());
        assertEquals("operation failed: domain 'small' already exists with uuid " + uuid, dup.getMessage());
        assertEquals(-1, small.getID());
        small.create();
        assertEquals(2, small.getID());
        assertEquals(new DomainStateReason(DomainState.VIR_DOMAIN_RUNNING, 1), small.getState());
    }

    @Test
    void lifecycleErrorsCarryLibvirtCodes() throws Exception {
        Connect c = new Connect("test:///default");
        LibvirtException missing = assertThrows(LibvirtException.class, () -> c.domainLookupByName("nosuch"));
        assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN, missing.code());
        assertEquals(42, missing.code().code());
        Domain test = c.domainLookupByName("test");
        LibvirtException running = assertThrows(LibvirtException.class, test::create);
        assertEquals(ErrorNumber.VIR_ERR_INTERNAL_ERROR, running.code());
        assertEquals("internal error: Domain 'test' is already running", running.getMessage());
        test.destroy();
        LibvirtException again = assertThrows(LibvirtException.class, test::destroy);
        assertEquals(ErrorNumber.VIR_ERR_OPERATION_INVALID, again.code());
        assertEquals("Requested operation is not valid: domain is not running", again.getMessage());
        assertEquals(new DomainStateReason(DomainState.VIR_DOMAIN_SHUTOFF, 2), test.getState());
        LibvirtException notPaused = assertThrows(LibvirtException.class, test::resume);
        assertEquals("internal error: domain 'test' not paused", notPaused.getMessage());
    }

    @Test
    void liveChangesDoNotReachTheConfigAndVanishAtShutdown() throws Exception {
        Connect c = new Connect("test:///default");
        Domain test = c.domainLookupByName("test");
        test.setMemory(1048576);
        test.setVcpus(1);
        assertEquals(1048576, test.getInfo().memory);
        assertEquals(1, test.getInfo().nrVirtCpu);
        assertEquals(2, test.getVcpusFlags(Flags.Affect.CONFIG));
        assertTrue(test.getXMLDesc(Flags.DomainXml.INACTIVE).contains("<currentMemory unit='KiB'>2097152</currentMemory>"));
        assertTrue(test.getXMLDesc(0).contains("<vcpu placement='static' current='1'>2</vcpu>"));
        test.shutdown();
        assertEquals(2097152, test.getInfo().memory);
        assertEquals(2, test.getInfo().nrVirtCpu);
    }

    @Test
    void snapshotsFormTreeAndRevertStartsTheDomain() throws Exception {
        Connect c = new Connect("test:///default");
        Domain test = c.domainLookupByName("test");
        test.snapshotCreateXML("<domainsnapshot><name>s1</name><description>d</description></domainsnapshot>");
        DomainSnapshot s2 = test.snapshotCreateXML("<domainsnapshot><name>s2</name></domainsnapshot>");
        assertEquals("s1", s2.getParentName());
        assertTrue(s2.isCurrent());
        String xml = test.snapshotLookupByName("s1").getXMLDesc();
        assertTrue(xml.contains("  <memory snapshot='internal'/>\n  <disks>\n    <disk name='vda' snapshot='internal'/>\n"), xml);
        assertTrue(xml.contains("\n  <domain type='test'>\n    <name>test</name>\n"), xml);
        test.destroy();
        test.revertToSnapshot(test.snapshotLookupByName("s1"));
        assertEquals(new DomainStateReason(DomainState.VIR_DOMAIN_RUNNING, 4), test.getState());
        assertEquals(2, test.getID());
        s2.delete(0);
        assertEquals(List.of("s1"), List.of(test.snapshotListNames()));
        assertEquals("s1", test.snapshotCurrent().getName());
    }

    @Test
    void saveAndRestoreUseLibvirtsImageFormat(@TempDir Path dir) throws Exception {
        Connect c = new Connect("test:///default");
        Domain test = c.domainLookupByName("test");
        Path image = dir.resolve("test.sav");
        test.save(image.toString());
        byte[] bytes = Files.readAllBytes(image);
        assertEquals("TestGuestMagic", new String(bytes, 0, 14));
        assertEquals(0, bytes[14]);
        assertEquals(new DomainStateReason(DomainState.VIR_DOMAIN_SHUTOFF, 5), test.getState());
        c.restore(image.toString());
        assertEquals(new DomainStateReason(DomainState.VIR_DOMAIN_RUNNING, 3), test.getState());
        assertEquals(2, test.getID());
    }

    @Test
    void undefineOfRunningDomainMakesItTransient() throws Exception {
        Connect c = new Connect("test:///default");
        List<String> events = new ArrayList<>();
        c.addLifecycleListener((d, e) -> { events.add(d.getName() + ":" + e.type() + ":" + e.detail()); return 0; });
        Domain test = c.domainLookupByName("test");
        test.undefine();
        assertEquals(0, test.isPersistent());
        assertEquals(1, c.listAllDomains(0).length);
        test.destroy();
        assertEquals(0, c.listAllDomains(0).length);
        assertEquals(List.of("test:UNDEFINED:0", "test:STOPPED:1"), events);
        assertNull(null);
        assertFalse(c.isReadOnly());
    }

    @Test
    void readOnlyConnectionsRefuseChanges() throws Exception {
        Connect c = new Connect("test:///default", true);
        LibvirtException e = assertThrows(LibvirtException.class, () -> c.domainLookupByName("test").destroy());
        assertEquals(ErrorNumber.VIR_ERR_OPERATION_DENIED, e.code());
        assertEquals("operation forbidden: read only access prevents virDomainDestroy", e.getMessage());
    }

    @Test
    void unknownSchemeHasNoDriver() {
        LibvirtException e = assertThrows(LibvirtException.class, () -> new Connect("frob:///x"));
        boolean noDaemon = "root".equals(System.getProperty("user.name"))
                && !java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/libvirt/libvirt-sock"));
        if (noDaemon) {
            // as libvirt's remote driver, which takes any URI no local driver takes
            assertEquals("Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory", e.getMessage());
        } else {
            assertEquals(ErrorNumber.VIR_ERR_NO_CONNECT, e.code());
            assertEquals("no connection driver available for frob:///x", e.getMessage());
        }
    }

    @Test
    void malformedAndPathlessUrisFailAsLibvirt() {
        assertEquals("internal error: Unable to parse URI not a uri",
                assertThrows(LibvirtException.class, () -> new Connect("not a uri")).getMessage());
        assertEquals("invalid argument: testOpen: supply a path or use test:///default",
                assertThrows(LibvirtException.class, () -> new Connect("test://")).getMessage());
        LibvirtException missing = assertThrows(LibvirtException.class, () -> new Connect("test:///nosuchfile.xml"));
        assertEquals("XML error: failed to parse xml document '/nosuchfile.xml'", missing.getMessage());
        assertEquals("I/O warning : failed to load external entity \"/nosuchfile.xml\"\n", missing.parserOutput());
    }
}
