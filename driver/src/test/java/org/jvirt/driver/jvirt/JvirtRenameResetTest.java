package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** domrename, reset, define --validate and the list filters on jvirt URIs. */
class JvirtRenameResetTest {

    @TempDir
    Path root;

    private Connect connect() throws LibvirtException {
        return new Connect("jvirt:///embed?root=" + root);
    }

    @Test
    void renameMovesTheConfigAndTheAutostartLink() throws Exception {
        Connect c = connect();
        Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("web", "ticker"));
        c.domainDefineXML(JvirtTestSupport.domainXml("db", "ticker"));
        d.setAutostart(true);
        assertEquals("Requested operation is not valid: domain with name 'db' already exists",
                assertThrows(LibvirtException.class, () -> d.rename("db")).getMessage());
        assertEquals("Requested operation is not valid: Can't rename domain to itself",
                assertThrows(LibvirtException.class, () -> d.rename("web")).getMessage());
        assertEquals("XML error: name a/b cannot contain '/'",
                assertThrows(LibvirtException.class, () -> d.rename("a/b")).getMessage());
        d.rename("www");
        assertTrue(Files.exists(root.resolve("config/www.xml")));
        assertFalse(Files.exists(root.resolve("config/web.xml")));
        assertTrue(Files.readString(root.resolve("config/www.xml")).contains("<name>www</name>"));
        Domain again = connect().domainLookupByName("www");
        assertEquals(d.getUUIDString(), again.getUUIDString());
        assertTrue(again.getAutostart());
        assertFalse(Files.exists(root.resolve("config/autostart/web.xml"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void theListFiltersFollowManagedSaveAndSnapshots() throws Exception {
        Connect c = connect();
        Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("web", "ticker"));
        LibvirtException e = assertThrows(LibvirtException.class, d::managedSave);
        assertEquals("Requested operation is not valid: domain is not running", e.getMessage());
        assertEquals(0, d.hasManagedSaveImage(0));
        int inactive = Flags.ListAllDomains.INACTIVE;
        assertEquals(0, c.listAllDomains(inactive | Flags.ListAllDomains.MANAGEDSAVE).length);
        assertEquals(1, c.listAllDomains(inactive | Flags.ListAllDomains.NO_MANAGEDSAVE).length);
        assertEquals(0, c.listAllDomains(inactive | Flags.ListAllDomains.HAS_SNAPSHOT).length);
        assertEquals(1, c.listAllDomains(inactive | Flags.ListAllDomains.NO_SNAPSHOT).length);
        d.snapshotCreateXML("<domainsnapshot/>");
        assertEquals(1, c.listAllDomains(inactive | Flags.ListAllDomains.HAS_SNAPSHOT).length);
        assertEquals(0, c.listAllDomains(inactive | Flags.ListAllDomains.NO_SNAPSHOT).length);
    }

    @Test
    void defineValidateChecksLibvirtsSchema() throws Exception {
        Connect c = connect();
        String bad = JvirtTestSupport.domainXml("web", "ticker").replace("<vcpu>", "<frob/><vcpu>");
        LibvirtException e = assertThrows(LibvirtException.class, () -> c.domainDefineXML(bad, Flags.Define.VALIDATE));
        assertEquals("XML document failed to validate against schema: Unable to validate doc against "
                + "/usr/share/libvirt/schemas/domain.rng\nElement domain has extra content: frob\n", e.getMessage());
        assertEquals("web", c.domainDefineXML(JvirtTestSupport.domainXml("web", "ticker"), Flags.Define.VALIDATE).getName());
    }

    @Test
    void resetRestartsARunningGuestInPlace() throws Exception {
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("ticker.elf")), "test guests not built");
        // before the connection: it finds jvirt-vmm when it opens
        String previous = System.setProperty("jvirt.vmm", JvirtTestSupport.vmmScript(root).toString());
        try {
            Connect c = connect();
            Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("tick", "ticker"));
            assertEquals("Requested operation is not valid: domain is not running",
                    assertThrows(LibvirtException.class, d::reset).getMessage());
            d.create();
            int id = d.getID();
            d.reset();
            assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getState().state());
            assertEquals(id, connect().domainLookupByName("tick").getID(), "a reset keeps the same VMM and id");
            d.destroy();
        } finally {
            if (previous == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previous);
        }
    }
}
