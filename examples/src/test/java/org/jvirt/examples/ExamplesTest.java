package org.jvirt.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples run against libvirt's mock driver (test:///default), as a user would first try them. */
class ExamplesTest {

    @Test
    void listDomainsShowsTheTestDriversDomain() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ListDomains.run("test:///default", new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("test:///default (TEST, version 2)\n"), out);
        assertTrue(out.contains("test         running     2097152 KiB  2 vCPU(s)"), out);
    }

    @Test
    void defineStartDestroyGoesThroughTheLifecycle(@TempDir Path dir) throws Exception {
        Path xml = Files.writeString(dir.resolve("ex.xml"), """
                <domain type='test'>
                  <name>ex</name>
                  <memory unit='MiB'>64</memory>
                  <os><type>hvm</type></os>
                </domain>
                """);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DefineStartDestroy.run("test:///default", xml, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(lines[0].startsWith("defined ex "), lines[0]);
        assertEquals("started, id 2, state VIR_DOMAIN_RUNNING", lines[1]);
        assertEquals("destroyed, state VIR_DOMAIN_SHUTOFF", lines[2]);
        assertEquals("undefined", lines[3]);
    }
}
