package org.jvirt.vmm.emu.cputest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jvirt-cputest FILE...}: runs SingleStepTests MOO files (metadata.json is read from each
 * file's directory, revocation_list.txt from there or its parent), prints every failing case and
 * ends with "N passed, M failed"; the exit status is 1 when any test failed.
 */
public final class CpuTestMain {
    private CpuTestMain() { }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: jvirt-cputest [-v] FILE.MOO[.gz]...   (-v: print the INIT/FINA state of failing tests)");
            System.exit(2);
        }
        List<CpuTestRunner.FileResult> results = new ArrayList<>();
        Path runnerDir = null;
        CpuTestRunner runner = null;
        boolean verbose = false;
        for (String a : args) {
            if (a.equals("-v")) { verbose = true; continue; }
            Path file = Path.of(a).toAbsolutePath();
            Path dir = file.getParent();
            if (!dir.equals(runnerDir)) {
                Path meta = dir.resolve("metadata.json");
                if (!Files.exists(meta)) {
                    System.err.println("jvirt-cputest: no metadata.json beside " + file);
                    System.exit(2);
                }
                Path rev = Files.exists(dir.resolve("revocation_list.txt")) ? dir.resolve("revocation_list.txt")
                        : dir.getParent() == null ? null : dir.getParent().resolve("revocation_list.txt");
                runner = new CpuTestRunner(meta, rev);
                runnerDir = dir;
                runner.verbose = verbose;
            }
            CpuTestRunner.FileResult r = runner.runFile(file, System.out::println);
            if (r.skipReason() != null) System.out.println(r.file() + ": skipped (" + r.skipReason() + ")");
            results.add(r);
        }
        int[] t = CpuTestRunner.totals(results);
        System.out.println(t[0] + " passed, " + t[1] + " failed");
        System.exit(t[1] == 0 ? 0 : 1);
    }
}
