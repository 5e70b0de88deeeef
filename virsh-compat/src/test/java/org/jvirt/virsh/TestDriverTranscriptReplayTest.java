package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every recorded run of real virsh 9.0 on test:///default against jvirsh and compares
 * stdout, stderr and the exit status byte for byte (after {@link Volatile} masks the clock and
 * random values). Every recorded virsh process opened test:///default afresh, so each
 * transcript starts from the driver's initial state, as here. Files are resolved in a copy of
 * the transcripts' working directory, so save/restore write into a temporary directory.
 */
class TestDriverTranscriptReplayTest {

    private static Path shared() {
        return Path.of(System.getProperty("jvirt.shared", "../shared"));
    }

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> replayTestDriverTranscripts() throws IOException {
        Path dir = shared().resolve("reference/virsh/test-driver");
        assumeTrue(Files.isDirectory(dir), "no virsh transcripts at " + dir.toAbsolutePath()
                + " (set -Djvirt.shared to the shared directory); skipping the replay");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(dir, f)));
        return tests.stream();
    }

    private void replay(Path dir, Path file) throws IOException {
        Transcript t = Transcript.read(file);
        Path cwd = Files.createTempDirectory(work, "cwd");
        copyTree(dir.resolve("files"), cwd.resolve("files"));
        List<String> args = t.args().subList(1, t.args().size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Main.run(args.toArray(new String[0]), o, e, cwd);
        }
        String gotOut = out.toString(StandardCharsets.UTF_8);
        String gotErr = err.toString(StandardCharsets.UTF_8);
        assertEquals(Volatile.mask(t.stdout()), Volatile.mask(gotOut), t.name() + ": stdout");
        assertEquals(Volatile.mask(t.stderr()), Volatile.mask(gotErr), t.name() + ": stderr");
        assertEquals(t.exitCode(), rc, t.name() + ": exit status");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return;
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }
}
