package org.jvirt.vmm.cli;

import org.jvirt.vmm.machine.SaveProgress;
import org.jvirt.vmm.protocol.JobInfo;

/**
 * The VMM's long job (a save or a snapshot) as query-jvirt-job reports it: the one running,
 * else the last one's outcome. Jobs run one at a time (VmControl serializes them); reads come
 * from any client thread without waiting for the job.
 */
final class VmmJob {

    private record Running(String operation, long startNanos, long total, java.util.function.LongSupplier processed,
                           java.util.function.Supplier<Migration> migration) { }

    /** A running migration's figures: what is left to send and query-migrate's "ram". */
    record Migration(long remaining, JobInfo.MigrationRam ram) { }

    private volatile Running running;
    private volatile JobInfo last = JobInfo.none();

    /** Starts a job over totalBytes of RAM; its progress is what the save counts in. */
    SaveProgress begin(String operation, long totalBytes) {
        SaveProgress p = new SaveProgress(totalBytes);
        running = new Running(operation, System.nanoTime(), totalBytes, p::processed, null);
        return p;
    }

    /** Starts a job whose progress someone else counts (a migration's bytes sent, and its figures). */
    void begin(String operation, long totalBytes, java.util.function.LongSupplier processed, java.util.function.Supplier<Migration> migration) {
        running = new Running(operation, System.nanoTime(), totalBytes, processed, migration);
    }

    /** Ends the running job: completed when failure is null. */
    void end(Exception failure) {
        Running r = running;
        if (r == null) return;
        long total = r.total(), done = failure == null ? total : Math.min(total, r.processed().getAsLong());
        last = new JobInfo(failure == null ? JobInfo.COMPLETED : JobInfo.FAILED, r.operation(), elapsedMs(r), total, done, total - done,
                failure == null ? null : failure.getMessage());
        running = null;
    }

    JobInfo info() {
        Running r = running;
        if (r == null) return last;
        if (r.migration() != null) {
            // bytes sent can pass the RAM's size (pages sent again): reported as they are, as QEMU does
            Migration m = r.migration().get();
            return new JobInfo(JobInfo.ACTIVE, r.operation(), elapsedMs(r), r.total(), r.processed().getAsLong(), m.remaining(), null, m.ram());
        }
        long total = r.total(), done = Math.min(total, r.processed().getAsLong());
        return new JobInfo(JobInfo.ACTIVE, r.operation(), elapsedMs(r), total, done, total - done, null);
    }

    private static long elapsedMs(Running r) {
        return (System.nanoTime() - r.startNanos()) / 1_000_000;
    }
}
