package org.jvirt.vmm.devices.net;

import java.io.IOException;

/**
 * The receive side's own thread: waits on the backend for a frame, holds it in one reused buffer
 * (with room for the virtio-net header in front when the backend has none) and has the device
 * deliver it on this thread; the device copies it into the guest's receive buffers and releases
 * the slot ({@link #release}), and the next frame is read at once. When the guest has no room,
 * the frame stays held until the guest posts buffers (its kick has the I/O thread deliver and
 * release it); meanwhile the backend queues (and at last drops) what comes next, as a full NIC
 * ring does.
 */
final class RxPump implements AutoCloseable {
    private static final int POLL_MS = 200;

    private final NetBackend backend;
    private final Runnable deliver;
    private final java.util.function.BooleanSupplier linkUp;
    private final byte[] frame = new byte[TapBackend.MAX_FRAME + VirtioNetHeader.SIZE];
    private final Thread thread;
    private final boolean vnet;
    /** Where a frame goes in {@link #frame}: after room for a header the backend does not carry. */
    private final int offset;
    /** A backend error met by {@link #takeWaiting} (this thread's), reported by the loop. */
    private IOException failure;
    private int pending; // guarded by this: length of the frame held (header included), 0 when the slot is free
    private volatile boolean stopping;

    RxPump(NetBackend backend, Runnable deliver, java.util.function.BooleanSupplier linkUp, String threadName) {
        this.backend = backend;
        this.deliver = deliver;
        this.linkUp = linkUp;
        vnet = backend.hasVnetHeader();
        offset = vnet ? 0 : VirtioNetHeader.SIZE;
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    void start() { thread.start(); }

    /** The held frame, header first (valid while {@link #pending} is positive, for the device's I/O thread). */
    byte[] frame() { return frame; }

    synchronized int pending() { return pending; }

    /** The device is done with the held frame (delivered or dropped): the next one may come. */
    synchronized void release() {
        pending = 0;
        notifyAll();
    }

    /** The frame (header first) now fills length bytes of {@link #frame}: the device may take it. */
    synchronized void hold(int length) {
        pending = length;
    }

    /**
     * On this pump's own thread (the device delivering a frame it read), with the slot free: takes
     * a frame the backend already has, without waiting, so that the device delivers a burst before
     * one interrupt. False when none is there, on any other thread (a backend has one reader), or
     * after an error (the pump's loop then reports it).
     */
    boolean takeWaiting() {
        if (Thread.currentThread() != thread || stopping || failure != null) return false;
        try {
            return take(0);
        } catch (IOException e) {
            failure = e;
            return false;
        }
    }

    /** Reads a frame into the free slot and holds it; false when none came in time (or it was dropped). */
    private boolean take(int timeoutMillis) throws IOException {
        int n = backend.receive(frame, offset, timeoutMillis);
        if (n <= 0 || !linkUp.getAsBoolean()) return false; // a link that is down loses what comes in
        if (vnet && n < VirtioNetHeader.SIZE) return false;
        if (!vnet) java.util.Arrays.fill(frame, 0, VirtioNetHeader.SIZE, (byte) 0); // no offload: a plain header
        hold(n + offset);
        return true;
    }

    private void run() {
        try {
            while (!stopping) {
                synchronized (this) {
                    while (pending > 0 && !stopping) wait(POLL_MS);
                }
                if (stopping) return;
                if (failure != null) throw failure;
                if (take(POLL_MS)) deliver.run();
            }
        } catch (IOException e) {
            if (!stopping) System.err.println(thread.getName() + ": " + e.getMessage() + "; no more frames are received");
        } catch (InterruptedException e) {
            // close: end
        }
    }

    @Override
    public void close() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
