package org.jvirt.vmm.emu.diff;

import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test of the emulator against the real CPU: seeded random user-mode instruction
 * sequences run at CPL3 under KVM (natively on the host CPU) and on the emulator from the same
 * state; GPRs, RIP, RFLAGS (minus undefined flags) and the written pages must agree. A mismatch
 * is shrunk to a minimal reproducer and printed.
 *
 * <p>System properties: {@code jvirt.diff.seeds} (how many seeds, default 2000: about 100k instructions, ~15 s here),
 * {@code jvirt.diff.first} (the first seed, default 1), {@code jvirt.diff.units} (units per
 * sequence, default 40), {@code jvirt.diff.seed} (run just that seed, e.g. from a report),
 * {@code jvirt.diff.long=true} (20000 seeds unless jvirt.diff.seeds says otherwise).
 */
@RequiresKvm
class CpuDifferentialKvmTest {
    private static final int MAX_REPORTS = 3;

    @Test
    void emulatorMatchesTheHostCpuOnRandomSequences(@TempDir Path dir) throws Exception {
        long first = Long.getLong("jvirt.diff.first", 1);
        long seeds = Long.getLong("jvirt.diff.seeds", Boolean.getBoolean("jvirt.diff.long") ? 20_000 : 2000);
        int units = Integer.getInteger("jvirt.diff.units", 40);
        if (System.getProperty("jvirt.diff.seed") != null) {
            first = Long.getLong("jvirt.diff.seed");
            seeds = 1;
        }
        List<String> reports = new ArrayList<>();
        int mismatches = 0;
        long t0 = System.nanoTime();
        try (DiffMachine kvm = DiffMachine.open(MachineConfig.Accel.KVM, dir);
             DiffMachine emu = DiffMachine.open(MachineConfig.Accel.EMU, dir)) {
            DiffRunner runner = new DiffRunner(kvm, emu);
            int cases = 0, instructions = 0;
            for (long seed = first; seed < first + seeds; seed++) {
                DiffCase c = DiffCase.generate(seed, units);
                cases++;
                instructions += c.instructionCount();
                if (runner.compare(c) == null) continue;
                mismatches++;
                if (reports.size() < MAX_REPORTS) {
                    DiffCase small = runner.shrink(c);
                    String diff = runner.compare(small);
                    reports.add(runner.report(small, diff == null ? "(no longer differs: flaky)\n" : diff));
                }
            }
            System.out.printf("jvirt differential test: %d sequences (seeds %d..%d), %d instructions, %d mismatching, %.1f s%n",
                    cases, first, first + seeds - 1, instructions, mismatches, (System.nanoTime() - t0) / 1e9);
        }
        assertTrue(mismatches == 0, mismatches + " of " + seeds + " sequences differ between KVM and the emulator; first reproducers:\n"
                + String.join("\n", reports));
    }
}
