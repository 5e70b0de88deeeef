package org.jvirt.vmm.emu.cputest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The 80286 gate: every SingleStepTests 80286 real-mode file in ../shared runs on X86Cpu
 * (profile I80286); the overall pass rate must be at least 99.5 % and no file under 98 %.
 */
class Cpu286GateTest {
    private static Path dir() {
        return Path.of(System.getProperty("jvirt.shared", "../shared"), "fixtures", "cpu-tests", "80286", "v1_real_mode");
    }

    @Test
    void realModeVectorsPass() throws Exception {
        Path dir = dir();
        Assumptions.assumeTrue(Files.isDirectory(dir),
                dir + " is absent (set -Djvirt.shared to the shared directory); skipping the 80286 gate");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().contains(".MOO")).sorted().toList();
        }
        assertTrue(files.size() > 300, "expected the 325 opcode files, found " + files.size());
        CpuTestRunner runner = new CpuTestRunner(dir.resolve("metadata.json"), dir.getParent().resolve("revocation_list.txt"));
        List<CpuTestRunner.FileResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path f : files) {
            CpuTestRunner.FileResult r = runner.runFile(f, d -> { if (failures.size() < 20) failures.add(d); });
            results.add(r);
            System.out.printf("%-14s %s%n", r.file(), r.skipReason() != null ? "skipped (" + r.skipReason() + ")"
                    : String.format("%6.2f %% (%d/%d)", 100 * r.passRate(), r.passed(), r.passed() + r.failed()));
        }
        int[] t = CpuTestRunner.totals(results);
        double overall = (double) t[0] / (t[0] + t[1]);
        System.out.printf("80286 overall: %.3f %% (%d passed, %d failed)%n", 100 * overall, t[0], t[1]);
        failures.forEach(System.out::println);
        assertTrue(t[0] > 100_000, "too few tests ran: " + t[0]);
        assertTrue(overall >= 0.995, "overall pass rate " + overall);
        for (CpuTestRunner.FileResult r : results) {
            assertTrue(r.passRate() >= 0.98, r.file() + " pass rate " + r.passRate());
        }
    }
}
