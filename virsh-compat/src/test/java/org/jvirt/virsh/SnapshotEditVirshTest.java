package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * snapshot-edit (and edit) need an editor, which a golden transcript cannot carry: each case
 * runs the real virsh 9.0 and jvirsh with the same EDITOR and compares stdout, stderr and exit
 * status (temporary file names and dates masked). Skipped where virsh is not installed.
 */
class SnapshotEditVirshTest {

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} / {1}")
    @CsvSource(delimiter = '|', value = {
        "true|snapshot-edit test s1",
        "true|snapshot-edit test s1 --current",
        "sed -i s/first/second/|snapshot-edit test s1",
        "sed -i s/first/second/|snapshot-edit test --current",
        "RENAME|snapshot-edit test s1",
        "RENAME|snapshot-edit test s1 --rename",
        "RENAME|snapshot-edit test s1 --clone",
        "false|snapshot-edit test s1",
        "true|snapshot-edit test",
        "true|snapshot-edit test s1 --rename --clone",
        "sed -i s/8388608/4194304/|edit test",
        "false|edit test",
    })
    void sameAsVirsh(String editor, String command) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "no virsh installed: snapshot-edit not compared");
        Path cwd = Files.createDirectories(work.resolve("cwd"));
        Files.writeString(cwd.resolve("snap.xml"),
                "<domainsnapshot>\n  <name>s1</name>\n  <description>first</description>\n</domainsnapshot>\n");
        if (editor.equals("RENAME")) {
            Path script = cwd.resolve("rename.sh");
            Files.writeString(script, "#!/bin/sh\nsed -i 's/<name>s1</<name>s9</' \"$1\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            editor = script.toString();
        }
        String line = "snapshot-create test snap.xml; " + command + "; snapshot-list test --name; snapshot-current test --name";
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("EDITOR", editor);
        env.remove("VISUAL");
        env.put("TMPDIR", cwd.toString());

        ProcessBuilder pb = new ProcessBuilder("virsh", "-c", "test:///default", line).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(cwd.resolve(".out").toFile()).redirectError(cwd.resolve(".err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("virsh did not finish");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", "test:///default", line}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd, env);
        assertEquals(mask(Files.readString(cwd.resolve(".out"))), mask(out.toString(StandardCharsets.UTF_8)), "stdout");
        assertEquals(mask(Files.readString(cwd.resolve(".err"))), mask(err.toString(StandardCharsets.UTF_8)), "stderr");
        assertEquals(p.exitValue(), rc, "exit status");
    }

    /** The editor's temporary file is virshXXXXXX.xml for virsh, jvirshNNN.xml for jvirsh. */
    private String mask(String s) {
        return Volatile.mask(s).replaceAll(java.util.regex.Pattern.quote(work.toString()) + "/cwd/j?virsh[^ ')]*\\.xml", "<tmp>");
    }
}
