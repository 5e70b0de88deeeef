package org.jvirt.virsh.commands;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainJobInfo;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Vsh;

/**
 * virshWatchJob for save and managedsave: the job runs on a worker thread while, with
 * --verbose, its progress (virDomainGetJobInfo's data remaining of data total) is printed on
 * stderr every 500 ms as "\rLABEL: [ NN %]" (99 at most until the end), and "[100 %]" once the
 * job succeeded. A driver that cannot report the job shows only the last line, as virsh.
 */
final class JobWatch {
    private JobWatch() { }

    interface Job {
        void run() throws LibvirtException;
    }

    private static final long POLL_MS = 500;

    static void run(Vsh vsh, Domain d, String label, boolean verbose, Job job) throws LibvirtException {
        run(vsh, d, label, verbose, 0, null, job);
    }

    /**
     * virshWatchJob with virsh migrate's --timeout: timeoutSecs after the watch began, onTimeout
     * runs once (virshWatchTimeout's timer calling virshMigrateTimeout), whatever the job's state.
     */
    static void run(Vsh vsh, Domain d, String label, boolean verbose, long timeoutSecs, java.util.function.Consumer<Domain> onTimeout, Job job)
            throws LibvirtException {
        boolean timed = timeoutSecs > 0 && onTimeout != null;
        if (!verbose && !timed) {
            job.run();
            return;
        }
        FutureTask<Void> task = new FutureTask<>(() -> {
            job.run();
            return null;
        });
        Thread worker = new Thread(task, "virsh-job-" + label);
        worker.setDaemon(true);
        long start = System.nanoTime();
        long timeoutAt = start + TimeUnit.SECONDS.toNanos(timeoutSecs);
        long nextPoll = start + TimeUnit.MILLISECONDS.toNanos(POLL_MS);
        worker.start();
        while (true) {
            long now = System.nanoTime();
            long wait = TimeUnit.HOURS.toNanos(1); // nothing left to poll for: wait for the job
            if (verbose) wait = nextPoll - now;
            if (timed) wait = Math.min(wait, timeoutAt - now);
            try {
                task.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
                break;
            } catch (TimeoutException e) {
                now = System.nanoTime();
                if (timed && now - timeoutAt >= 0) {
                    onTimeout.accept(d);
                    timed = false;
                }
                if (verbose && now - nextPoll >= 0) {
                    DomainJobInfo info = jobInfo(d);
                    if (info != null) printProgress(vsh, info, label); // else vshResetLibvirtError: the watch goes on
                    nextPoll += TimeUnit.MILLISECONDS.toNanos(POLL_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the " + label + " job", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof LibvirtException le) throw le;
                if (e.getCause() instanceof RuntimeException re) throw re;
                throw new IllegalStateException(e.getCause());
            }
        }
        if (verbose) vsh.printErr("\r" + label + ": [100 %]");
    }

    private static DomainJobInfo jobInfo(Domain d) {
        try {
            return d.getJobInfo();
        } catch (LibvirtException e) {
            return null;
        }
    }

    private static void printProgress(Vsh vsh, DomainJobInfo info, String label) {
        long total = info.getDataTotal(), remaining = info.getDataRemaining();
        if (total <= 0) return;
        vsh.printErr(String.format("\r%s: [%3d %%]", label, percent(remaining, total)));
    }

    /** virshPrintJobProgress: done share of total, whole percent, 99 at most while anything remains. */
    static int percent(long remaining, long total) {
        if (remaining == 0) return 100;
        double progress = (1.0 - (double) remaining / (double) total) * 100;
        return (int) Math.min(progress, 99.0);
    }
}
