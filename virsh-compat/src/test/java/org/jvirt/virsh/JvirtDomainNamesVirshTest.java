package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jvirsh on the jvirt driver refuses bad domain names with libvirt's error lines, never a Java exception. */
class JvirtDomainNamesVirshTest {

    @TempDir
    Path cwd;

    private String[] define(String name) throws Exception {
        Files.writeString(cwd.resolve("d.xml"), "<domain type='kvm'><name>" + name + "</name><memory unit='MiB'>64</memory>"
                + "<os><type arch='x86_64' machine='pc'>hvm</type></os></domain>\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", "jvirt:///embed?root=" + cwd.resolve("root"), "define", "d.xml"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), cwd);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    /** The words of real virsh 9.0 for the same XML on test:///default (golden transcript names/slash-name). */
    @Test
    void aNameWithASlashGetsLibvirtsErrorLine() throws Exception {
        String[] r = define("../../x/trav");
        assertEquals("1", r[0]);
        assertEquals("error: Failed to define domain from d.xml\nerror: XML error: name ../../x/trav cannot contain '/'\n", r[2]);
        assertFalse(Files.exists(cwd.resolve("x")));
    }

    @Test
    void aNameTooLongForAFileGetsAnXmlErrorLine() throws Exception {
        String name = "x".repeat(300);
        String[] r = define(name);
        assertEquals("1", r[0]);
        assertEquals("error: Failed to define domain from d.xml\nerror: XML error: name " + name
                + " is too long: 255 bytes at most with '.xml'\n", r[2]);
    }
}
