package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jvirt.xml.io.SurrogateEscape;
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

/**
 * Replays recorded virsh runs against jvirsh: each transcript's command runs through
 * {@link Main#run} in a fresh copy of the transcripts' {@code files} directory, and stdout,
 * stderr and the exit status must equal the recording byte for byte (after {@link Volatile}).
 */
final class TranscriptReplay {

    private TranscriptReplay() { }

    /** One dynamic test per {@code *.txt} below {@code dir} (recursively), named by its relative path. */
    static Stream<DynamicTest> replayAll(Path dir, Path filesDir, Path work) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        // -Dgolden.only=AREA/ replays one area while working on it
        String only = System.getProperty("golden.only", "");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            if (!dir.relativize(f).toString().startsWith(only)) continue;
            tests.add(DynamicTest.dynamicTest(dir.relativize(f).toString(), () -> replay(f, filesDir, work)));
        }
        return tests.stream();
    }

    static void replay(Path file, Path filesDir, Path work) throws IOException {
        Transcript t = Transcript.read(file);
        Path cwd = Files.createTempDirectory(work, "cwd");
        copyTree(filesDir, cwd.resolve("files"));
        List<String> args = t.args().subList(1, t.args().size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Main.run(args.toArray(new String[0]), o, e, cwd);
        }
        assertEquals(Volatile.mask(t.stdout()), Volatile.mask(SurrogateEscape.decode(out.toByteArray(), 0, out.size())), t.name() + ": stdout");
        assertEquals(Volatile.mask(t.stderr()), Volatile.mask(SurrogateEscape.decode(err.toByteArray(), 0, err.size())), t.name() + ": stderr");
        assertEquals(t.exitCode(), rc, t.name() + ": exit status");
    }

    static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) return;
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }
}
