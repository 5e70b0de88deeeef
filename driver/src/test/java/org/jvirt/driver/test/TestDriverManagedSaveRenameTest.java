package org.jvirt.driver.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainSnapshot;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;

/**
 * The libvirt-java-shaped calls for managed save, rename, reset and snapshot parents on
 * test:///default, with the test driver's behaviour (the words come from real virsh runs,
 * see the golden transcripts managedsave/, snapshot/ and domain-ops/).
 */
class TestDriverManagedSaveRenameTest {

    @Test
    void managedSaveStopsTheDomainAndTheNextStartBootsIt() throws Exception {
        Connect c = new Connect("test:///default");
        Domain d = c.domainLookupByName("test");
        d.managedSave();
        assertEquals(1, d.hasManagedSaveImage(0));
        assertEquals(ShutoffReason.SAVED.ordinal(), d.getState().reason());
        assertEquals(1, c.listAllDomains(Flags.ListAllDomains.INACTIVE | Flags.ListAllDomains.MANAGEDSAVE).length);
        d.create();
        assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getState().state());
        assertEquals(RunningReason.BOOTED.ordinal(), d.getState().reason());
        assertEquals(0, d.hasManagedSaveImage(0));
    }

    @Test
    void managedSaveRefusesRunningAndPausedTogetherAndAnInactiveDomain() throws Exception {
        Domain d = new Connect("test:///default").domainLookupByName("test");
        LibvirtException both = assertThrows(LibvirtException.class,
                () -> d.managedSave(Flags.Save.RUNNING | Flags.Save.PAUSED));
        assertEquals("Flags 'VIR_DOMAIN_SAVE_RUNNING' and 'VIR_DOMAIN_SAVE_PAUSED' are mutually exclusive", both.getMessage());
        d.destroy();
        LibvirtException inactive = assertThrows(LibvirtException.class, d::managedSave);
        assertEquals("Requested operation is not valid: domain is not running", inactive.getMessage());
    }

    @Test
    void managedSaveRemoveClearsTheImage() throws Exception {
        Domain d = new Connect("test:///default").domainLookupByName("test");
        d.managedSave();
        d.managedSaveRemove();
        assertEquals(0, d.hasManagedSaveImage(0));
        LibvirtException e = assertThrows(LibvirtException.class, () -> d.managedSaveGetXMLDesc(0));
        assertEquals(ErrorNumber.VIR_ERR_NO_SUPPORT, e.code());
    }

    @Test
    void renameNeedsAnInactiveDomainAndAFreeName() throws Exception {
        Connect c = new Connect("test:///default");
        Domain d = c.domainLookupByName("test");
        assertEquals("Requested operation is not valid: cannot rename active domain",
                assertThrows(LibvirtException.class, () -> d.rename("t2")).getMessage());
        d.destroy();
        assertEquals("Requested operation is not valid: Can't rename domain to itself",
                assertThrows(LibvirtException.class, () -> d.rename("test")).getMessage());
        d.rename("t2");
        assertEquals("t2", d.getName());
        assertEquals("t2", c.domainLookupByUUIDString("6695eb01-f6a4-8304-79aa-97f2502e193f").getName());
    }

    @Test
    void resetNeedsARunningOrPausedDomain() throws Exception {
        Domain d = new Connect("test:///default").domainLookupByName("test");
        d.reset();
        d.suspend();
        d.reset();
        d.destroy();
        assertEquals("Requested operation is not valid: domain is not running",
                assertThrows(LibvirtException.class, d::reset).getMessage());
    }

    @Test
    void snapshotParentsRedefinitionAndFlagChecks() throws Exception {
        Domain d = new Connect("test:///default").domainLookupByName("test");
        DomainSnapshot s1 = d.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>", 0);
        DomainSnapshot s2 = d.snapshotCreateXML("<domainsnapshot><name>s2</name></domainsnapshot>", 0);
        assertEquals("s1", s2.getParent().getName());
        assertEquals("Domain snapshot not found: snapshot 's1' does not have a parent",
                assertThrows(LibvirtException.class, s1::getParent).getMessage());
        assertEquals("operation failed: domain moment s1 already exists", assertThrows(LibvirtException.class,
                () -> d.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>", 0)).getMessage());
        assertEquals("unsupported flags (0x4) in function testDomainSnapshotCreateXML", assertThrows(LibvirtException.class,
                () -> d.snapshotCreateXML("<domainsnapshot/>", Flags.SnapshotCreate.NO_METADATA)).getMessage());
        assertEquals("unsupported flags (0x2) in function testDomainSnapshotDelete",
                assertThrows(LibvirtException.class, () -> s1.delete(Flags.SnapshotDelete.METADATA_ONLY)).getMessage());
        // redefining s1's own XML with CURRENT makes it current (virsh snapshot-current --snapshotname)
        d.snapshotCreateXML(s1.getXMLDesc(), Flags.SnapshotCreate.REDEFINE | Flags.SnapshotCreate.CURRENT);
        assertEquals("s1", d.snapshotCurrent().getName());
        List<DomainSnapshot> children = s1.listAllChildren(0);
        assertEquals(List.of("s2"), children.stream().map(DomainSnapshot::getName).toList());
        assertEquals(List.of(), s1.listAllChildren(Flags.SnapshotList.LEAVES | Flags.SnapshotList.NO_LEAVES));
    }

    @Test
    void haltStopsTheDomainAfterTheSnapshot() throws Exception {
        Domain d = new Connect("test:///default").domainLookupByName("test");
        d.snapshotCreateXML("<domainsnapshot/>", Flags.SnapshotCreate.HALT);
        assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, d.getState().state());
        assertEquals(ShutoffReason.FROM_SNAPSHOT.ordinal(), d.getState().reason());
    }
}
