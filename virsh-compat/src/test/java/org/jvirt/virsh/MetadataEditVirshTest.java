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
 * metadata --edit and desc --edit run $EDITOR, which a golden transcript cannot set: here the real virsh (where
 * installed) and jvirsh run the same command line with the same editor on test:///default and
 * must print the same stdout, stderr and exit status.
 */
class MetadataEditVirshTest {

    @TempDir
    Path cwd;

    @ParameterizedTest
    @ValueSource(strings = {"printf '<e a=\"1\"><f/></e>\\n' > \"$1\"", "true", "printf '<bad' > \"$1\"", "printf '' > \"$1\""})
    void metadataAndDescEditSameAsVirsh(String editorBody) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "no /usr/bin/virsh (libvirt-clients): nothing to compare with");
        Path editor = cwd.resolve("ed.sh");
        Files.writeString(editor, "#!/bin/sh\n" + editorBody + "\n");
        editor.toFile().setExecutable(true);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("EDITOR", editor.toString());
        env.remove("VISUAL");
        env.put("LC_ALL", "C.UTF-8");
        String line = "metadata test urn:e --key e --edit; metadata test urn:e; metadata test urn:e --key e --edit; "
                + "desc test --edit; desc test; desc test --title --edit; desc test --title; desc test --edit; "
                + "desc test --config --edit; desc test --config";
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
