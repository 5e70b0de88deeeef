package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * net-edit and pool-edit with a scripted EDITOR (golden transcripts cannot carry one): the
 * messages are those of virsh 9.0 for the same edits on test:///default.
 */
class NetworkPoolEditTest {

    @TempDir
    Path dir;

    private String[] run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir, env);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private Path script(String body) throws IOException {
        Path p = Files.createTempFile(dir, "editor", ".sh");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void unchangedXmlIsReportedAsVirshDoes() throws IOException {
        String[] r = run(Map.of("EDITOR", script("true").toString()), "-c", "test:///default", "net-edit default; pool-edit default-pool");
        assertEquals("0", r[0], r[2]);
        assertEquals("Network default XML configuration not changed.\n\nPool default-pool XML configuration not changed.\n\n", r[1]);
    }

    @Test
    void anEditedInactivePoolIsRedefined() throws IOException {
        Path editor = script("sed -i 's|/default-pool<|/elsewhere<|' \"$1\"");
        String[] r = run(Map.of("EDITOR", editor.toString(), "TMPDIR", dir.toString()), "-c", "test:///default",
                "pool-destroy default-pool; pool-edit default-pool; pool-dumpxml default-pool");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("Pool default-pool destroyed\n\nPool default-pool XML configuration edited.\n\n"), r[1]);
        assertTrue(r[1].contains("    <path>/elsewhere</path>\n"), r[1]);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith("jvirsh")).count(), "temp copy removed");
        }
    }

    @Test
    void aRunningNetworkAcceptsTheEditButKeepsItsDefinition() throws IOException {
        Path editor = script("sed -i 's|virbr0|virbr7|' \"$1\"");
        String[] r = run(Map.of("EDITOR", editor.toString()), "-c", "test:///default", "net-edit default; net-dumpxml default");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("Network default XML configuration edited.\n\n"), r[1]);
        assertTrue(r[1].contains("<bridge name='virbr0' stp='on' delay='0'/>"), r[1]);
    }
}
