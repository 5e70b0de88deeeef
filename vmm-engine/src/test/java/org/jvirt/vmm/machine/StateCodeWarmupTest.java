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

    /** The throw-away machine (here on the emulator, which needs no /dev/kvm) is saved, restored and closed. */
    @Test
    void aThrowAwayMachineIsSavedAndRestoredWithoutRam() throws Exception {
        Path dir = StateCodeWarmup.scratchDir();
        long before = count(dir, "jvirt-prime-");
        MachineConfig like = MachineConfig.of(Path.of("/nonexistent-kernel")).withVcpus(2).withAccel(MachineConfig.Accel.EMU)
                .withMemory(64L << 20);
        StateCodeWarmup.warmMachine(like);
        assertEquals(before, count(dir, "jvirt-prime-"), "no scratch state is left in " + dir);
    }

    private static long count(Path dir) throws Exception {
        return count(dir, "jvirt-warmup-");
    }

    private static long count(Path dir, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }
}
