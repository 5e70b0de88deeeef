package org.jvirt.vmm.ioevent;

/**
 * A wake-up one waiting thread sleeps on. Rings coalesce: one or more rings since the last
 * {@link #await} let it return once. ring and await allocate nothing.
 */
public interface Doorbell extends AutoCloseable {

    /** Wakes the waiter (or makes its next await return at once). Safe from any thread. */
    void ring();

    /** Sleeps until rung; by the single waiting thread only. */
    void await() throws InterruptedException;

    /** Frees the doorbell; only once its waiter has ended. */
    @Override
    void close();
}
