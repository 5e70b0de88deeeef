package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jvirt.xml.io.SurrogateEscape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the golden transcripts honest: where the real virsh is installed (CI installs
 * libvirt-clients), each golden command runs again through it and must give the recorded
 * stdout, stderr and exit status (after {@link Volatile}), so no golden file can drift from
 * what virsh really prints.
 */
class GoldenTranscriptsAreVirshTest {

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> goldenTranscriptsMatchRealVirsh() throws IOException {
        assumeTrue(onPath("virsh"), "no virsh on PATH (libvirt-clients): the golden transcripts are not re-checked");
        Path dir = GoldenTranscriptReplayTest.GOLDEN.resolve("transcripts");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted(Comparator.comparing(Path::toString)).toList();
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) tests.add(DynamicTest.dynamicTest(dir.relativize(f).toString(), () -> check(f)));
        return tests.stream();
    }

    /**
     * virsh 9.0 sometimes never returns from a job it watches (managedsave: the worker thread
     * can finish before virshWatchJob's main loop runs, which then waits forever), so a run
     * that does not finish is started again, as record.py does.
     */
    private static final int ATTEMPTS = 16;
    private static final int ATTEMPT_SECONDS = 5;

    private void check(Path file) throws IOException, InterruptedException {
        Transcript t = Transcript.read(file);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (checkOnce(t)) return;
        }
        throw new AssertionError(t.name() + ": virsh did not finish in " + ATTEMPTS + " runs of " + ATTEMPT_SECONDS + " s");
    }

    /** One run of the transcript's command; false when virsh did not finish. */
    private boolean checkOnce(Transcript t) throws IOException, InterruptedException {
        Path cwd = Files.createTempDirectory(work, "cwd");
        TranscriptReplay.copyTree(GoldenTranscriptReplayTest.GOLDEN.resolve("files"), cwd.resolve("files"));
        ProcessBuilder pb = new ProcessBuilder(t.args()).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(cwd.resolve(".out").toFile()).redirectError(cwd.resolve(".err").toFile());
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("HOME", cwd.toString());
        pb.environment().put("XDG_CONFIG_HOME", cwd.toString());
        pb.environment().put("XDG_CACHE_HOME", cwd.toString());
        pb.environment().remove("LIBVIRT_DEFAULT_URI");
        pb.environment().remove("VIRSH_DEFAULT_CONNECT_URI");
        Process p = pb.start();
        if (!p.waitFor(ATTEMPT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
            return false;
        }
        byte[] outBytes = Files.readAllBytes(cwd.resolve(".out"));
        String out = SurrogateEscape.decode(outBytes, 0, outBytes.length);
        byte[] errBytes = Files.readAllBytes(cwd.resolve(".err"));
        String err = SurrogateEscape.decode(errBytes, 0, errBytes.length);
        assertEquals(Volatile.mask(t.stdout()), Volatile.mask(out), t.name() + ": stdout of the real virsh");
        assertEquals(Volatile.mask(t.stderr()), Volatile.mask(err), t.name() + ": stderr of the real virsh");
        assertEquals(t.exitCode(), p.exitValue(), t.name() + ": exit status of the real virsh");
        return true;
    }

    private static boolean onPath(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, cmd))) return true;
        }
        return false;
    }
}
