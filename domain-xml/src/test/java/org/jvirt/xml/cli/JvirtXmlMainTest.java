package org.jvirt.xml.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class JvirtXmlMainTest {

    record Run(int status, String out, String err) { }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = new JvirtXmlMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void roundtripCountsPassesAndFailures(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.xml"),
                "<domain type='kvm'>\n  <name>g</name>\n  <memory unit='KiB'>1024</memory>\n  <x:y xmlns:x='urn:x' b='2'>t</x:y>\n</domain>\n");
        Path bad = Files.writeString(dir.resolve("bad.xml"), "<domain type='kvm'><name>g</domain>");
        Run r = run("roundtrip", good.toString(), bad.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().endsWith("1 passed, 1 failed\n"), r.out());
        assertTrue(r.err().contains("bad.xml: (domain_definition):1: Opening and ending tag mismatch: name line 1 and domain"), r.err());
        assertEquals(0, run("roundtrip", good.toString()).status());
    }

    @Test
    void canonPrintsTheCanonicalForm(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("d.xml"), "<domain b='2' a='1'>\n  <name> n </name>\n</domain>");
        Run r = run("canon", f.toString());
        assertEquals(0, r.status());
        assertEquals("<domain a=\"1\" b=\"2\">\n  <name>\n    text:n\n  </name>\n</domain>\n", r.out());
    }

    @Test
    void usageErrorsAreClear() {
        assertEquals(2, run().status());
        Run r = run("frobnicate");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("error: unknown command: 'frobnicate'"), r.err());
        assertTrue(run("roundtrip", "/no/such/file.xml").err().contains("Failed to open file: No such file or directory"));
    }

    @Test
    void validateRefusesWhatDefineRefuses(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(
                org.jvirt.xml.schema.RelaxNgValidator.defaultSchemaDir().resolve("domain.rng")), "libvirt's schemas not installed");
        // valid for the RelaxNG schema, refused by libvirt's parser (virsh define says the same)
        Path f = Files.writeString(dir.resolve("bad-vcpu.xml"), "<domain type='test'>\n  <name>u</name>\n"
                + "  <memory>65536</memory>\n  <vcpu current='4'>2</vcpu>\n  <os><type>hvm</type></os>\n</domain>\n");
        Run r = run("validate", f.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("bad-vcpu.xml: unsupported configuration: maximum vCPU count must not be less than current vCPU count"), r.err() + r.out());
        assertTrue(r.out().endsWith("0 passed, 1 failed\n"), r.out());
    }

    @Test
    void aDirectoryOrDevZeroIsRefusedInBoundedMemory() {
        assertTrue(run("canon", "/").err().contains("Failed to read file: Is a directory"));
        assertTrue(run("canon", "/dev/zero").err().contains("Failed to read file: Value too large for defined data type"));
    }

    @Test
    void unifiedDiffShowsTheChangedLines() {
        String d = UnifiedDiff.of("a", List.of("1", "2", "3", "4"), "b", List.of("1", "2", "x", "4"));
        assertEquals("--- a\n+++ b\n@@ -1,4 +1,4 @@\n 1\n 2\n-3\n+x\n 4\n", d);
    }
}
