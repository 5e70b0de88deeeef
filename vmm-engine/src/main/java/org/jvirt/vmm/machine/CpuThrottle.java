package org.jvirt.vmm.machine;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jvirt.vmm.cpu.VcpuRunner;

/**
 * Slows the guest's vCPUs to a share of host time (live migration's auto-converge), as QEMU's
 * cpu_throttle does: at p percent, every vCPU runs a 10 ms time slice and then sleeps
 * p / (100 - p) of it, so a guest that dirties memory faster than the link carries it slows
 * down until the migration converges. Both backends: the sleep happens in {@link VcpuRunner}.
 */
final class CpuThrottle implements AutoCloseable {
    static final long TIMESLICE_NANOS = 10_000_000;
    static final int MAX_PERCENT = 99;

    private final List<VcpuRunner> runners;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> tick;
    private int percent;

    CpuThrottle(List<VcpuRunner> runners) {
        this.runners = runners;
    }

    synchronized int percent() {
        return percent;
    }

    /** 0 ends the throttling; 1-99 sets it. */
    synchronized void set(int newPercent) {
        if (newPercent < 0 || newPercent > MAX_PERCENT) throw new IllegalArgumentException("CPU throttle " + newPercent + "% out of 0-" + MAX_PERCENT);
        if (newPercent == percent) return;
        percent = newPercent;
        if (tick != null) tick.cancel(false);
        tick = null;
        if (newPercent == 0) {
            for (VcpuRunner r : runners) r.throttle(0);
            return;
        }
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jvirt-cpu-throttle");
                t.setDaemon(true);
                return t;
            });
        }
        long sleep = TIMESLICE_NANOS * newPercent / (100 - newPercent);
        long period = TIMESLICE_NANOS + sleep;
        tick = timer.scheduleAtFixedRate(() -> {
            for (VcpuRunner r : runners) r.throttle(sleep);
        }, TIMESLICE_NANOS, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void close() {
        percent = 0;
        if (timer != null) timer.shutdownNow();
        timer = null;
        tick = null;
    }
}
