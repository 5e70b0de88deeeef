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
    private boolean paused, busy, stopping; // guarded by this
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
                    busy = true;
                }
                try {
                    work.run();
                } catch (RuntimeException e) { // a bug must not end the device's I/O for good
                    failures++;
                    System.err.println(thread.getName() + ": " + e);
                } finally {
                    synchronized (this) {
                        busy = false;
                        notifyAll();
                    }
                }
            }
        } catch (InterruptedException e) {
            // close() gave up waiting: end
        }
    }

    /** No run in progress when this returns, and none starts until {@link #resume}. */
    public synchronized void quiesce() throws InterruptedException {
        paused = true;
        while (busy) wait();
    }

    /** Lets runs happen again; rings that came while quiesced are served now. */
    public void resume() {
        synchronized (this) {
            paused = false;
            notifyAll();
        }
        bell.ring();
    }

    public synchronized boolean isQuiesced() { return paused && !busy; }

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
