package org.jvirt.vmm.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting on a guest's serial output, as the differential tests read it from QEMU and jvirt alike. */
public final class SerialOutput {
    private SerialOutput() { }

    /** How often what occurs in s. */
    public static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    /** Waits up to step for out to contain text; fails with the output so far. */
    public static void await(Supplier<String> out, String text, Duration step) throws InterruptedException {
        long end = System.nanoTime() + step.toNanos();
        while (!out.get().contains(text)) {
            assertTrue(System.nanoTime() < end, "never saw '" + text.trim() + "':\n" + out.get());
            Thread.sleep(5);
        }
    }

    /** Waits up to step for at least n occurrences of what in out; fails with the output so far. */
    public static void awaitCount(Supplier<String> out, String what, int n, Duration step) throws InterruptedException {
        long end = System.nanoTime() + step.toNanos();
        while (count(out.get(), what) < n) {
            assertTrue(System.nanoTime() < end, "expected " + n + " '" + what.trim() + "' lines:\n" + out.get());
            Thread.sleep(5);
        }
    }
}
