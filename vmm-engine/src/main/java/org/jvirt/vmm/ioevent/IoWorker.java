package org.jvirt.vmm.ioevent;

import java.util.Objects;

/**
 * A device's I/O thread: sleeps on a {@link Doorbell}, and each time it is rung runs the
 * device's work (drain the queues, run the issued commands ...), so a vCPU only rings and never
 * waits for a request. {@link #quiesce} (machine pause, state save) returns once no run is in
 * progress and none starts until {@link #resume}; {@link #close} ends the thread. A run that
 * throws (a bug) is counted and printed, and the thread goes on.
 */
public final class IoWorker {
    private static final long STOP_WAIT_MS = 10_000;

    private final Doorbell bell;
    private final Runnable work;
    private final Thread thread;
    private boolean paused, stopping; // guarded by this
    private int busy; // guarded by this: runs in progress (this thread's and runHere's)
    private volatile int failures;

    private IoWorker(Doorbell bell, Runnable work, String name) {
        this.bell = Objects.requireNonNull(bell, "bell");
        this.work = Objects.requireNonNull(work, "work");
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** A started worker that runs work whenever bell rings. */
    public static IoWorker start(Doorbell bell, Runnable work, String name) {
        IoWorker w = new IoWorker(bell, work, name);
        w.thread.start();
        return w;
    }

    public String threadName() { return thread.getName(); }

    public boolean isAlive() { return thread.isAlive(); }

    /** How many runs ended in an exception (0 unless there is a bug). */
    public int failures() { return failures; }

    private void run() {
        try {
            while (true) {
                bell.await();
                synchronized (this) {
                    while (paused && !stopping) wait();
                    if (stopping) return;
                    busy++;
                }
                try {
                    work.run();
                } catch (RuntimeException e) { // a bug must not end the device's I/O for good
                    failures++;
                    System.err.println(thread.getName() + ": " + e);
                } finally {
                    done();
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting: end
        }
    }

    private synchronized void done() {
        busy--;
        notifyAll();
    }

    /**
     * Runs r on the calling thread (another device thread, never a vCPU) as a run of this worker
     * would run, so {@link #quiesce} waits for it too; false, without running it, while quiesced
     * or stopping (the caller then rings the bell: served on {@link #resume}). Spares a thread
     * handoff when the caller has the work at hand, e.g. a frame just read for the guest.
     */
    public boolean runHere(Runnable r) {
        synchronized (this) {
            if (paused || stopping) return false;
            busy++;
        }
        try {
            r.run();
        } catch (RuntimeException e) { // as in run(): counted and printed, the caller goes on
            failures++;
            System.err.println(Thread.currentThread().getName() + ": " + e);
        } finally {
            done();
        }
        return true;
    }

    /** No run in progress when this returns, and none starts until {@link #resume}. */
    public synchronized void quiesce() throws InterruptedException {
        paused = true;
        while (busy > 0) wait();
    }

    /** Lets runs happen again; rings that came while quiesced are served now. */
    public void resume() {
        synchronized (this) {
            paused = false;
            notifyAll();
        }
        bell.ring();
    }

    public synchronized boolean isQuiesced() { return paused && busy == 0; }

    /**
     * Stops the thread (after the run in progress) and waits for it a while; returns whether it
     * ended (only then may the doorbell be closed: a live thread may still wait on it).
     */
    public boolean stop() {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        bell.ring();
        try {
            thread.join(STOP_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }
}
