package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a golden transcript cannot hold: metadata --edit and desc --edit run $EDITOR, and values
 * with newlines do not fit its one command line. Here the real virsh (where installed) and
 * jvirsh run the same command line with the same environment on test:///default and must print
 * the same stdout, stderr and exit status.
 */
class MetadataEditVirshTest {

    @TempDir
    Path cwd;

    /** Command lines with newlines inside quotes, which a transcript's one command line cannot hold. */
    @ParameterizedTest
    @ValueSource(strings = {
        "metadata test urn:p --key p --set \"<a>\n  <b x='1'>\n      <c/>\n  </b>\n  <d>text &amp; more</d>\n</a>\"; "
            + "metadata test urn:p; dumpxml test --xpath //metadata",
        "desc test --title \"a\nb\"; desc test \"line one\nline two\"; desc test; dumpxml test --xpath //description"})
    void multiLineValuesSameAsVirsh(String line) throws Exception {
        compare(line, new HashMap<>(System.getenv()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"printf '<e a=\"1\"><f/></e>\\n' > \"$1\"", "true", "printf '<bad' > \"$1\"", "printf '' > \"$1\""})
    void metadataAndDescEditSameAsVirsh(String editorBody) throws Exception {
        Path editor = cwd.resolve("ed.sh");
        Files.writeString(editor, "#!/bin/sh\n" + editorBody + "\n");
        editor.toFile().setExecutable(true);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("EDITOR", editor.toString());
        env.remove("VISUAL");
        compare("metadata test urn:e --key e --edit; metadata test urn:e; metadata test urn:e --key e --edit; "
                + "desc test --edit; desc test; desc test --title --edit; desc test --title; desc test --edit; "
                + "desc test --config --edit; desc test --config", env);
    }

    private void compare(String line, Map<String, String> env) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "no /usr/bin/virsh (libvirt-clients): nothing to compare with");
        env.put("LC_ALL", "C.UTF-8");
        ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/virsh", "-c", "test:///default", line)).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(cwd.resolve(".out").toFile()).redirectError(cwd.resolve(".err").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS), "virsh did not finish");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", "test:///default", line}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cwd, env);
        assertEquals(Files.readString(cwd.resolve(".out")), out.toString(StandardCharsets.UTF_8), "stdout");
        assertEquals(Files.readString(cwd.resolve(".err")), err.toString(StandardCharsets.UTF_8), "stderr");
        assertEquals(p.exitValue(), rc, "exit status");
    }
}
