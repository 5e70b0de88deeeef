package org.jvirt.virsh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays every recorded run of real virsh 9.0 on test:///default in ../shared against jvirsh
 * (see {@link TranscriptReplay}). Every recorded virsh process opened test:///default afresh,
 * so each transcript starts from the driver's initial state, as here.
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
        return TranscriptReplay.replayAll(dir, dir.resolve("files"), work);
    }
}
