package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * XML on a jvirt URI, with a saved ticker guest (on KVM where /dev/kvm is usable, else on the emulator).
 */
class JvirtSaveImageXmlKvmTest {

    @TempDir
    Path root;
    private TickerEmbed ticker;
    private Path serial;

    @BeforeEach
    void setUp() throws Exception {
        ticker = TickerEmbed.open(root, "save image");
        serial = ticker.serial;
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ticker != null) ticker.close();
    }

    private String uri() {
        return ticker.uri();
    }

    private String xml() {
        return ticker.xml("");
    }

    private void awaitSerial(String text) throws Exception {
        ticker.awaitSerial(text);
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
