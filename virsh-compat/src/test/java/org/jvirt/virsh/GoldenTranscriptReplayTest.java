package org.jvirt.virsh;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays this module's own golden transcripts (src/test/golden/transcripts, recorded from the
 * real virsh 9.0 by src/test/golden/record.py) against jvirsh, byte for byte.
 */
class GoldenTranscriptReplayTest {

    static final Path GOLDEN = Path.of("src/test/golden");

    @TempDir
    Path work;

    @TestFactory
    Stream<DynamicTest> replayGoldenTranscripts() throws IOException {
        return TranscriptReplay.replayAll(GOLDEN.resolve("transcripts"), GOLDEN.resolve("files"), work);
    }
}
