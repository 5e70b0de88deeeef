package org.jvirt.vmm.machine;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Waits for HotSpot's JIT compilers to go quiet. A warm-up leaves compilations queued behind it,
 * and on a host with few CPUs a compiler thread that runs during a migration's stop-and-copy
 * takes a CPU from it (seen with perf sched on 2 CPUs: the destination's load waited 1-4 ms for
 * the compilers of the warm-up). Quiet means the JVM's total compilation time did not grow for
 * a while; a compilation under way is only counted once it ends, so a long one can slip by.
 */
public final class JitQuiet {
    private JitQuiet() { }

    /** How long the total compilation time must stay the same. */
    static final long QUIET_MS = 20;

    /** Waits until the compilers were quiet for {@link #QUIET_MS}, at most maxMillis; true if they were. */
    public static boolean await(long maxMillis) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return true;
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        long total = jit.getTotalCompilationTime(), since = System.nanoTime();
        while (System.nanoTime() - since < QUIET_MS * 1_000_000) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(2);
            long now = jit.getTotalCompilationTime();
            if (now != total) {
                total = now;
                since = System.nanoTime();
            }
        }
        return true;
    }
}
