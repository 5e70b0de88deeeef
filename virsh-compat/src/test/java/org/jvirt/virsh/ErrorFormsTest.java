package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** virsh's error forms for cases the transcripts do not record. */
class ErrorFormsTest {

    @TempDir
    Path cwd;

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void badUri() {
        String[] r = run("-c", "frob:///x", "list");
        assertEquals("1", r[0]);
        assertEquals("", r[1]);
        assertEquals("error: failed to connect to the hypervisor\nerror: no connection driver available for frob:///x\n", r[2]);
    }

    @Test
    void unknownOption() {
        String[] r = run("-c", "test:///default", "list", "--frob");
        assertEquals("1", r[0]);
        assertEquals("error: command 'list' doesn't support option --frob\n", r[2]);
    }

    @Test
    void readOnlyConnectionRefusesDestroy() {
        String[] r = run("-r", "-c", "test:///default", "destroy", "test");
        assertEquals("1", r[0]);
        assertEquals("error: Failed to destroy domain 'test'\nerror: operation forbidden: read only access prevents this operation\n", r[2]);
    }

    @Test
    void missingFile() {
        String[] r = run("-c", "test:///default", "define", "nosuch.xml");
        assertEquals("1", r[0]);
        assertEquals("error: Failed to open file 'nosuch.xml': No such file or directory\n", r[2]);
    }

    @Test
    void quietDropsTheBlankLines() {
        String[] r = run("-q", "-c", "test:///default", "domid test; domname 1");
        assertEquals("0", r[0]);
        assertEquals("1\ntest\n", r[1]);
    }
}
