package org.jvirt.virsh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirt URIs have no host interfaces or node devices yet (nor pool-capabilities or
 * find-storage-pool-sources; their dir pools are tested against libvirtd in
 * JvirtStoragePoolsVirshTest, their virtual networks in the driver's
 * org.jvirt.driver.jvirt.network tests): these commands must answer as virsh 9.0 does on a
 * libvirt driver without those driver tables.
 * src/test/golden/unsupported holds real virsh runs on such a driver (record_unsupported.py);
 * each is replayed here with its URI replaced by a jvirt:///embed one, byte for byte.
 */
class UnsupportedDriverReplayTest {

    static final Path DIR = Path.of("src/test/golden/unsupported");
    static final String RECORDED_URI = "vmwareplayer:///session";

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> jvirtUrisAnswerAsADriverWithoutTheseTables() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> s = Files.list(DIR)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(f)));
            }
        }
        return tests.stream();
    }

    private void replay(Path file) throws IOException {
        Transcript t = Transcript.read(file);
        Path cwd = Files.createTempDirectory(work, "cwd");
        TranscriptReplay.copyTree(GoldenTranscriptReplayTest.GOLDEN.resolve("files"), cwd.resolve("files"));
        String uri = "jvirt:///embed?root=" + cwd.resolve("root");
        List<String> args = new ArrayList<>();
        for (String a : t.args().subList(1, t.args().size())) args.add(a.equals(RECORDED_URI) ? uri : a);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            rc = Main.run(args.toArray(new String[0]), o, e, cwd);
        }
        assertEquals(t.stdout(), out.toString(StandardCharsets.UTF_8), t.name() + ": stdout");
        assertEquals(t.stderr(), err.toString(StandardCharsets.UTF_8), t.name() + ": stderr");
        assertEquals(t.exitCode(), rc, t.name() + ": exit status");
    }
}
