package org.jvirt.vmm.devices.virtio;

import java.util.Objects;

import org.jvirt.vmm.ioevent.Doorbell;
import org.jvirt.vmm.ioevent.IoEvents;
import org.jvirt.vmm.ioevent.MonitorDoorbell;

/**
 * A virtio device's own I/O thread: the guest's queue notify rings its doorbell (an eventfd bound
 * with KVM_IOEVENTFD, so the vCPU does not even exit, or in-process from the MMIO handler) and
 * this thread drains the queues, performs the requests and raises the completion interrupt; a
 * vCPU never waits for a request. {@link #quiesce} (machine pause, state save) returns once no
 * request is in progress and none starts until {@link #resume}; {@link #close} ends the thread.
 */
public final class VirtioIoThread implements AutoCloseable {
    private static final long STOP_WAIT_MS = 10_000;

    private final VirtioPciDevice device;
    private final Doorbell bell;
    private final Thread thread;
    private boolean paused, busy, stopping; // guarded by this

    private VirtioIoThread(VirtioPciDevice device, Doorbell bell, String name) {
        this.device = device;
        this.bell = bell;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /**
     * Attaches a new I/O thread to device and starts it. With events (the accelerator's, may be
     * null) the notify registers are bound to an eventfd while the driver runs.
     */
    public static VirtioIoThread start(VirtioPciDevice device, IoEvents events, String name) {
        Objects.requireNonNull(device, "device");
        Doorbell bell = events != null ? events.newDoorbell() : new MonitorDoorbell();
        VirtioIoThread t = new VirtioIoThread(device, bell, name);
        device.attachIoThread(bell, events);
        t.thread.start();
        return t;
    }

    public String threadName() { return thread.getName(); }

    public boolean isAlive() { return thread.isAlive(); }

    public VirtioPciDevice device() { return device; }

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
                    device.processAllQueues();
                } catch (RuntimeException e) { // a bug must not end the device's I/O for good
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

    /** No request in progress when this returns, and none starts until {@link #resume}. */
    public synchronized void quiesce() throws InterruptedException {
        paused = true;
        while (busy) wait();
    }

    /** Lets requests run again; notifies that came while quiesced are processed now. */
    public void resume() {
        synchronized (this) {
            paused = false;
            notifyAll();
        }
        bell.ring();
    }

    public synchronized boolean isQuiesced() { return paused && !busy; }

    /** Stops the thread (after the request in progress), unbinds the notify registers, frees the doorbell. */
    @Override
    public void close() {
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
        device.detachIoThread();
        if (!thread.isAlive()) bell.close(); // never close an fd a live thread may still read
    }
}
