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
        // virsh (root, no libvirtd): the remote driver takes the URI and finds no daemon socket
        assertEquals("error: failed to connect to the hypervisor\nerror: Failed to connect socket to "
                + "'/var/run/libvirt/libvirt-sock': No such file or directory\n", r[2]);
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
        assertEquals("error: Failed to destroy domain 'test'\nerror: operation forbidden: read only access prevents virDomainDestroy\n", r[2]);
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

    // the expected texts are virsh 9.0's for the same arguments
    @Test
    void globalOptionErrorsInVirshsWords() {
        String[][] cases = {
            {"error: unsupported option '--frob'. See --help.\n", "--frob"},
            {"error: unsupported option '-x'. See --help.\n", "-x"},
            {"error: unsupported option '-q'. See --help.\n", "--quiet=1"},
            {"error: option '-c'/'--connect' requires an argument\n", "-c"},
            {"error: option '-e'/'--escape' requires an argument\n", "-e"},
            {"error: Invalid value for option -k\n", "-k", "x", "uri"},
            {"error: option -d takes a numeric argument\n", "-d", "x", "uri"},
            {"error: Invalid string 'ab' for escape sequence\n", "-e", "ab", "uri"},
            {"error: Invalid string '^1' for escape sequence\n", "-e", "^1", "uri"},
        };
        for (String[] c : cases) {
            String[] r = run(java.util.Arrays.copyOfRange(c, 1, c.length));
            assertEquals("1", r[0], c[1]);
            assertEquals("", r[1], c[1]);
            assertEquals(c[0], r[2], c[1]);
        }
    }

    @Test
    void globalOptionsAsGetoptReadsThem() {
        assertEquals("test:///default\n", run("-rqc", "test:///default", "uri")[1]);
        assertEquals("test:///default\n\n", run("--conn=test:///default", "uri")[1]);
        assertEquals("test:///default\n\n", run("-e", "^x", "-c", "test:///default", "uri")[1]);
        assertEquals("test:///default\n\n", run("--connect", "test:///default", "--", "uri")[1]);
        String[] r = run("-d", "9", "-c", "test:///default", "uri");
        assertEquals("0", r[0]);
        assertEquals("error: ignoring debug level 9 out of range [0-4]\n", r[2]);
        assertEquals(true, run("-t", "-c", "test:///default", "uri")[1].matches("test:///default\n\n\\(Time: [0-9]+\\.[0-9]{3} ms\\)\n\n"));
    }

    @Test
    void unknownCommandAndMissingArgument() {
        String[] r = run("-c", "test:///default", "frob");
        assertEquals("1", r[0]);
        assertEquals("error: unknown command: 'frob'\n", r[2]);
        r = run("-c", "test:///default", "dominfo");
        assertEquals("1", r[0]);
        assertEquals("error: command 'dominfo' requires <domain> option\n", r[2]);
    }

    @Test
    void xmlThatDoesNotParseShowsLineAndColumn() throws java.io.IOException {
        java.nio.file.Files.writeString(cwd.resolve("bad.xml"),
                "<domain type=\"test\">\n  <name>x</name>\n  <memory>1024</mem>\n</domain>\n");
        String[] r = run("-c", "test:///default", "define", "bad.xml");
        assertEquals("1", r[0]);
        assertEquals("error: Failed to define domain from bad.xml\n"
                + "error: (domain_definition):3: Opening and ending tag mismatch: memory line 3 and mem\n"
                + "  <memory>1024</mem>\n"
                + "--------------------^\n", r[2]);
    }

    @Test
    void cdOnlyInTheShell() {
        String[] r = run("cd", "/");
        assertEquals("1", r[0]);
        assertEquals("error: cd: command valid only in interactive mode\n", r[2]);
    }
}
