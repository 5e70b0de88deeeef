package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Domain names and the files of the jvirt driver: no name leaves its directory, every name libvirt takes works. */
class DomainNamesTest {

    @TempDir
    Path top;

    /** The URI's root is one level down, so a name escaping it would land in {@link #top}. */
    private Path root() { return top.resolve("uri"); }

    private String uri() { return "jvirt:///embed?root=" + root(); }

    private static String xml(String name) {
        return "<domain type='kvm'><name>" + name + "</name><memory unit='MiB'>64</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>";
    }

    @Test
    void namesWithASlashAreRefusedWithLibvirtsErrorAndWriteNothing() throws Exception {
        Connect c = new Connect(uri());
        Domain victim = c.domainDefineXML(xml("evil"));
        for (String name : List.of("../../x/trav", "a/b", "autostart/evil", "../evil")) {
            LibvirtException e = assertThrows(LibvirtException.class, () -> c.domainDefineXML(xml(name)));
            assertEquals(ErrorNumber.VIR_ERR_XML_ERROR, e.getError().getCode());
            assertEquals("XML error: name " + name + " cannot contain '/'", e.getMessage());
            LibvirtException ce = assertThrows(LibvirtException.class, () -> c.domainCreateXML(xml(name), 0));
            assertEquals("XML error: name " + name + " cannot contain '/'", ce.getMessage());
            LibvirtException le = assertThrows(LibvirtException.class, () -> c.domainLookupByName(name));
            assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN, le.getError().getCode());
        }
        try (Stream<Path> all = Files.walk(top)) {
            List<String> files = all.filter(Files::isRegularFile).map(p -> top.relativize(p).toString()).sorted().toList();
            assertEquals(List.of("uri/config/evil.xml", "uri/run/boot-id"), files.stream().filter(f -> !f.startsWith("uri/run/locks/")).toList());
        }
        assertFalse(victim.getAutostart());
        assertArrayEquals(new String[] {"evil"}, c.listDefinedDomains());
    }

    @Test
    void everyNameLibvirtTakesIsDefinedListedFoundAndUndefined() throws Exception {
        String ascii251 = "n".repeat(251);                 // NAME.xml is exactly 255 bytes
        String utf8 = "é".repeat(110);                     // 220 bytes
        List<String> names = List.of(".hidden", "..", ".jvirt", "with spaces", "日本語", "autostart", ascii251, utf8);
        Connect c = new Connect(uri());
        for (String n : names) c.domainDefineXML(xml(n));
        // an AtomicFiles temp file left by a killed client is not a domain
        Files.writeString(root().resolve("config/.jvirt-123.tmp"), xml("ghost"));
        Connect other = new Connect(uri());
        assertEquals(names.stream().sorted().toList(), List.of(other.listDefinedDomains()).stream().sorted().toList());
        for (String n : names) {
            Domain d = other.domainLookupByName(n);
            assertEquals(n, d.getName());
            d.setAutostart(true);
            assertTrue(d.getAutostart(), n);
            d.undefine();
            assertThrows(LibvirtException.class, () -> other.domainLookupByName(n));
        }
        assertEquals(0, other.listDefinedDomains().length);
    }

    @Test
    void aNameTooLongForAFileIsRefusedAsAnXmlError() throws Exception {
        Connect c = new Connect(uri());
        for (String n : List.of("n".repeat(252), "x".repeat(300), "é".repeat(130))) {
            LibvirtException e = assertThrows(LibvirtException.class, () -> c.domainDefineXML(xml(n)));
            assertEquals(ErrorNumber.VIR_ERR_XML_ERROR, e.getError().getCode());
            assertEquals("XML error: name " + n + " is too long: 255 bytes at most with '.xml'", e.getMessage());
        }
        assertEquals(0, c.listDefinedDomains().length);
        assertFalse(Files.exists(root().resolve("config").resolve("x".repeat(251) + ".xml")));
    }

    @Test
    void runDirFilesHaveShortNamesSoTheControlSocketFitsAUnixSocketPath() {
        JvirtPaths p = JvirtPaths.embed(root());
        String longName = "é".repeat(125);
        for (Path f : List.of(p.monitor(longName), p.pidFile(longName), p.exitFile(longName), p.shutoffFile(longName))) {
            assertEquals(p.runDir(), f.getParent());
            assertTrue(f.getFileName().toString().getBytes(StandardCharsets.UTF_8).length <= 60, f.toString());
        }
        assertTrue(p.monitor("web").getFileName().toString().startsWith("domain-web-"));
        assertFalse(p.monitor("a_b").equals(p.monitor("a.b")), "two names never share a socket");
        assertThrows(IllegalArgumentException.class, () -> p.config("../x"));
        assertThrows(IllegalArgumentException.class, () -> p.log("a/b"));
    }
}
