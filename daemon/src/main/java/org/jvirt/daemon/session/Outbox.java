package org.jvirt.daemon.session;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * The frames waiting to go to one client, written by their own thread so that no worker and no
 * event ever waits for a slow client. Bounded in bytes: a client that stops reading while
 * replies and events pile up past the bound is disconnected instead of growing the daemon.
 */
final class Outbox {
    /**
     * What may wait for one client: a frame is always taken when nothing waits (so any single
     * reply fits), more only up to this; a client that reads nothing does not get far.
     */
    static final long MAX_QUEUED = 8L << 20;

    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private long queued;
    private boolean closed;
    private final OutputStream out;
    private final Runnable onFailure;

    Outbox(OutputStream out, Runnable onFailure) {
        this.out = out;
        this.onFailure = onFailure;
    }

    /** Queues a whole frame; false when the client is gone or too far behind (the caller closes it). */
    synchronized boolean offer(byte[] frame) {
        if (closed) return false;
        if (queued > 0 && queued + frame.length > MAX_QUEUED) return false;
        frames.add(frame);
        queued += frame.length;
        notifyAll();
        return true;
    }

    /** Waits until at most limit bytes are queued (a stream pump's flow control); false once closed. */
    synchronized boolean awaitBelow(long limit) throws InterruptedException {
        while (!closed && queued > limit) wait();
        return !closed;
    }

    /** Waits up to millis for everything queued to be written (the last replies before a close). */
    synchronized void awaitDrained(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        for (long left = millis; !closed && queued > 0 && left > 0; left = end - System.currentTimeMillis()) wait(left);
    }

    synchronized void close() {
        closed = true;
        frames.clear();
        queued = 0;
        notifyAll();
    }

    /** The writer thread's loop. */
    void drain() {
        try {
            while (true) {
                byte[] f;
                synchronized (this) {
                    while (!closed && frames.isEmpty()) wait();
                    if (closed) return;
                    f = frames.poll();
                }
                out.write(f);
                // flush per frame: replies are small and latency is what clients wait on
                out.flush();
                synchronized (this) {
                    queued -= f.length;
                    notifyAll();
                }
            }
        } catch (IOException | InterruptedException e) {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
            onFailure.run();
        }
    }
}
