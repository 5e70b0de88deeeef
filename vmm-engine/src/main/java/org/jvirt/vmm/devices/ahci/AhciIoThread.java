package org.jvirt.vmm.devices.ahci;

import java.util.Objects;

/**
 * The AHCI controller's I/O thread: a guest's PxCI (or PxCMD) write rings its doorbell on the
 * vCPU thread and returns; this thread runs the issued commands, moves their data and raises the
 * completion interrupt. {@link #quiesce} (machine pause, state save) returns once no command is
 * in progress and none starts until {@link #resume}; {@link #close} ends the thread.
 */
public final class AhciIoThread implements AutoCloseable {
    private static final long STOP_WAIT_MS = 10_000;

    private final AhciController controller;
    private final Thread thread;
    private boolean rung, paused, busy, stopping; // guarded by this
    /** Runs that ended in an exception (a bug; the thread goes on). */
    private volatile int failures;

    private AhciIoThread(AhciController controller, String name) {
        this.controller = controller;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Attaches a new I/O thread to controller and starts it. */
    public static AhciIoThread start(AhciController controller, String name) {
        AhciIoThread t = new AhciIoThread(Objects.requireNonNull(controller, "controller"), name);
        controller.attachIoThread(t::ring);
        t.thread.start();
        return t;
    }

    public String threadName() { return thread.getName(); }

    public boolean isAlive() { return thread.isAlive(); }

    private synchronized void ring() {
        rung = true;
        notifyAll();
    }

    private void run() {
        try {
            while (true) {
                synchronized (this) {
                    while ((!rung || paused) && !stopping) wait();
                    if (stopping) return;
                    rung = false;
                    busy = true;
                }
                try {
                    controller.runIssued();
                } catch (RuntimeException e) { // a bug must not end the controller's I/O for good
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

    /** No command in progress when this returns, and none starts until {@link #resume}. */
    public synchronized void quiesce() throws InterruptedException {
        paused = true;
        while (busy) wait();
    }

    /** Lets commands run again, those issued while quiesced included. */
    public synchronized void resume() {
        paused = false;
        rung = true;
        notifyAll();
    }

    public synchronized boolean isQuiesced() { return paused && !busy; }

    /** How many runs ended in an exception (0 unless there is a bug). */
    public int failures() { return failures; }

    /** Stops the thread after the command in progress. */
    @Override
    public void close() {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        try {
            thread.join(STOP_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        controller.detachIoThread();
    }
}
