package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virDomainSaveImageGetXMLDesc, virDomainSaveImageDefineXML and virDomainRestoreFlags with an
 * XML on a jvirt URI, with a saved ticker guest (skipped without /dev/kvm).
 */
class JvirtSaveImageXmlKvmTest {

    @TempDir
    Path root;
    private Path vmm;
    private String previousVmm;
    private Path serial;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(JvirtTestSupport.kvmUsable(), "/dev/kvm is missing or not accessible: KVM save image tests skipped");
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("ticker.elf")), "test guests not built (make -C test-fixtures/guests)");
        vmm = JvirtTestSupport.vmmScript(root);
        previousVmm = System.setProperty("jvirt.vmm", vmm.toString());
        serial = root.resolve("serial.log");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (vmm == null) return;
        Connect c = new Connect(uri());
        for (Domain d : c.listAllDomains(Flags.ListAllDomains.ACTIVE)) d.destroy();
        if (previousVmm == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previousVmm);
    }

    private String uri() {
        return "jvirt:///embed?root=" + root;
    }

    private String xml() {
        return "<domain type='kvm'>\n  <name>tick</name>\n  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n"
                + "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + JvirtTestSupport.GUESTS.resolve("ticker.elf")
                + "</kernel>\n  </os>\n  <devices>\n    <serial type='file'>\n      <source path='" + serial + "'/>\n"
                + "      <target port='0'/>\n    </serial>\n  </devices>\n</domain>\n";
    }

    private void awaitSerial(String text) throws Exception {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(serial) && Files.readString(serial).replace("\r\n", "\n").contains(text)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("serial never showed '" + text.trim() + "'");
    }

    private static String withTitle(String xml, String title) {
        return xml.replaceFirst("(<name>tick</name>)", "$1\n  <title>" + title + "</title>");
    }

    @Test
    void theImageXmlIsReadRedefinedByANewFileAndUsedOnRestore() throws Exception {
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml());
        d.create();
        String uuid = d.getUUIDString();
        awaitSerial("tick 2\n");
        Path image = root.resolve("tick.sav");
        d.save(image.toString());

        String saved = c.saveImageGetXMLDesc(image.toString(), 0);
        assertTrue(saved.contains("<name>tick</name>") && saved.contains("<uuid>" + uuid + "</uuid>"), saved);

        // define: a new file renamed into place; the old one (kept here by a hard link) is untouched
        Path old = root.resolve("old.sav");
        Files.createLink(old, image);
        byte[] before = Files.readAllBytes(old);
        assertEquals(0, c.saveImageDefineXML(image.toString(), withTitle(saved, "edited"), 0));
        assertTrue(c.saveImageGetXMLDesc(image.toString(), 0).contains("<title>edited</title>"));
        assertNotEquals(Files.getAttribute(old, "unix:ino"), Files.getAttribute(image, "unix:ino"));
        assertArrayEquals(before, Files.readAllBytes(old));

        // another machine's XML is refused in libvirt's words, and the image stays as it was
        String otherUuid = "11111111-2222-3333-4444-555555555555";
        String other = saved.replace(uuid, otherUuid);
        byte[] defined = Files.readAllBytes(image);
        LibvirtException e = assertThrows(LibvirtException.class, () -> c.saveImageDefineXML(image.toString(), other, 0));
        assertEquals("unsupported configuration: Target domain uuid " + otherUuid + " does not match source " + uuid, e.getMessage());
        assertArrayEquals(defined, Files.readAllBytes(image));
        e = assertThrows(LibvirtException.class, () -> c.restore(image.toString(), other, 0));
        assertEquals("unsupported configuration: Target domain uuid " + otherUuid + " does not match source " + uuid, e.getMessage());
        e = assertThrows(LibvirtException.class,
                () -> c.saveImageDefineXML(image.toString(), saved.replace("<name>tick</name>", "<name>tock</name>"), 0));
        assertEquals("unsupported configuration: Target domain name 'tock' does not match source 'tick'", e.getMessage());

        // restore with an XML: the domain runs with it, from the saved state
        assertEquals(0, c.restore(image.toString(), withTitle(saved, "restored"), 0));
        assertEquals(DomainStateReason.running(RunningReason.RESTORED), d.getState());
        assertTrue(d.getXMLDesc(0).contains("<title>restored</title>"), d.getXMLDesc(0));
        awaitSerial("tick 4\n");
        String serialText = Files.readString(serial);
        assertEquals(1, serialText.split("ticker: running", -1).length - 1, "restored, not booted: " + serialText);
    }

    @Test
    void managedSaveDefineChangesTheXmlAndTheStateTheDomainStartsIn() throws Exception {
        Connect c = new Connect(uri());
        Domain d = c.domainDefineXML(xml());
        LibvirtException none = assertThrows(LibvirtException.class, () -> d.managedSaveDefineXML(xml(), 0));
        assertEquals("Requested operation is not valid: domain does not have managed save image", none.getMessage());
        d.create();
        awaitSerial("tick 2\n");
        d.managedSave();
        String saved = d.managedSaveGetXMLDesc(0);
        assertEquals(0, d.managedSaveDefineXML(withTitle(saved, "managed"), Flags.Save.PAUSED));
        assertTrue(d.managedSaveGetXMLDesc(0).contains("<title>managed</title>"));
        LibvirtException e = assertThrows(LibvirtException.class,
                () -> d.managedSaveDefineXML(saved.replace("<memory unit='KiB'>65536</memory>", "<memory unit='KiB'>131072</memory>"), 0));
        assertEquals("unsupported configuration: Target domain max memory 131072 does not match source 65536", e.getMessage());

        d.create();
        assertEquals(DomainStateReason.paused(DomainStateReason.PausedReason.USER), d.getState(), "--paused recorded in the image");
        assertTrue(d.getXMLDesc(0).contains("<title>managed</title>"), d.getXMLDesc(0));
    }
}
