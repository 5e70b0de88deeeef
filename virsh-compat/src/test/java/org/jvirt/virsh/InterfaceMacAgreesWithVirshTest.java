package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An interface's MAC address at define, jvirsh against the real virsh on test:///default (the
 * same parse code as every libvirt driver): given addresses are written back in libvirt's form,
 * bad and multicast ones refused in libvirt's words, a missing one generated as 52:54:00:xx:xx:xx
 * (the random bytes differ from run to run and are compared as a pattern).
 */
class InterfaceMacAgreesWithVirshTest {

    private static final Pattern GENERATED = Pattern.compile("52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", "52:54:00:AB:cd:01", "2:4:0:a:b:c", "01:54:00:ab:cd:01", "zz", "52:54:00:ab:cd",
            "52:54:00:ab:cd:01:02", "52:54:00:ab:cd:0123", "52-54-00-ab-cd-01", "ff:ff:ff:ff:ff:ff", "52:54:00:ab:cd:01 "})
    void defineAndDumpxmlAgree(String mac) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "virsh is not installed: nothing to compare with");
        Path xml = dir.resolve("nic.xml");
        Files.writeString(xml, "<domain type='test'><name>nic</name><uuid>6a1b0c3e-34f2-4c8e-9d1e-0b5f2a7c9e11</uuid><memory>65536</memory><os><type>hvm</type></os><devices>"
                + "<interface type='network'>" + (mac.isEmpty() ? "" : "<mac address='" + mac + "'/>")
                + "<source network='default'/></interface></devices></domain>");
        String line = "define " + xml + "; dumpxml nic";
        String expected = virsh(line), actual = jvirsh(line);
        if (mac.isEmpty()) {
            assertTrue(GENERATED.matcher(expected).find(), expected);
            expected = GENERATED.matcher(expected).replaceAll("GENERATED");
            actual = GENERATED.matcher(actual).replaceAll("GENERATED");
        }
        assertEquals(expected, actual, line);
    }

    private String jvirsh(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", "test:///default", line}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8), dir, Map.of());
        return rc + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    private String virsh(String line) throws Exception {
        return org.jvirt.virsh.testing.RealVirsh.onTestDriver(dir, line);
    }
}
