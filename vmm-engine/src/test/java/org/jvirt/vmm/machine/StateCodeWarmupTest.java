package org.jvirt.vmm.machine;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The background warm-up of the state code runs through and leaves no file behind. */
class StateCodeWarmupTest {

    @Test
    void runsThroughAndCleansUp() throws Exception {
        Path dir = StateCodeWarmup.scratchDir();
        long before = count(dir);
        StateCodeWarmup.run();
        assertEquals(before, count(dir), "no warm-up file is left in " + dir);
    }

    private static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("jvirt-warmup-")).count();
        }
    }
}
