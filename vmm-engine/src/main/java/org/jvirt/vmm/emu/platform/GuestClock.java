package org.jvirt.vmm.emu.platform;

/**
 * The guest's time base: nanoseconds that advance with the host's {@link System#nanoTime} while
 * the machine runs and stand still while it is paused, settable for a restore
 * ({@link org.jvirt.vmm.platform.PlatformState#clockNanos}). Every timer of the platform (PIT,
 * LAPIC timers, the port 0x61 refresh bit) reads it, so pausing it freezes them all.
 *
 * <p>The TSC the emulator advertises runs at {@link #TSC_HZ} = 1 GHz: one TSC tick per guest
 * nanosecond, so {@link #tsc()} is {@link #nanos()} plus the offset a guest's WRMSR(TSC) set.
 *
 * <p>Reads are lock-free (two volatile fields, no allocation); pause, resume and set serialize
 * on the clock. A listener (the timer thread) hears every pause, resume and set.
 */
public final class GuestClock {
    public static final long TSC_HZ = 1_000_000_000L;
    private static final long RUNNING = Long.MIN_VALUE;

    /** Guest ns = host ns + offset while running. */
    private volatile long offset;
    /** The guest time while paused, or RUNNING. */
    private volatile long frozenAt;
    private volatile long tscOffset;
    private volatile Runnable listener = () -> { };

    /** A clock at guest time 0, paused or running. */
    public GuestClock(boolean paused) {
        offset = -System.nanoTime();
        frozenAt = paused ? 0 : RUNNING;
    }

    /** Guest nanoseconds now. */
    public long nanos() {
        long f = frozenAt;
        if (f != RUNNING) return f;
        long o = offset;
        // a pause between the two reads: frozenAt is set before we could see a stale offset run past it
        long now = System.nanoTime() + o;
        f = frozenAt;
        return f != RUNNING ? f : now;
    }

    /** The guest's time-stamp counter (1 GHz). */
    public long tsc() { return nanos() + tscOffset; }

    /** WRMSR IA32_TSC: makes the TSC read value now. */
    public void setTsc(long value) { tscOffset = value - nanos(); }

    public boolean isPaused() { return frozenAt != RUNNING; }

    /** Stops guest time (no-op when already paused). */
    public void pause() {
        synchronized (this) {
            if (frozenAt != RUNNING) return;
            frozenAt = System.nanoTime() + offset;
        }
        listener.run();
    }

    /** Lets guest time run again from where it stopped. */
    public void resume() {
        synchronized (this) {
            long f = frozenAt;
            if (f == RUNNING) return;
            offset = f - System.nanoTime();
            frozenAt = RUNNING;
        }
        listener.run();
    }

    /** Sets guest time (restore); keeps the paused/running state; the TSC keeps its offset to guest time. */
    public void set(long guestNanos) {
        synchronized (this) {
            if (frozenAt != RUNNING) frozenAt = guestNanos;
            else offset = guestNanos - System.nanoTime();
        }
        listener.run();
    }

    /**
     * Host nanoseconds (System.nanoTime scale) until guest time reaches guestNanos, for a thread
     * that sleeps until a guest deadline; Long.MAX_VALUE while paused (the deadline never comes
     * until a resume, which the listener hears).
     */
    public long hostNanosUntil(long guestNanos) {
        if (isPaused()) return Long.MAX_VALUE;
        return Math.max(0, guestNanos - nanos());
    }

    /** Called after every pause, resume and set (on the caller's thread, without the clock's lock). */
    public void setListener(Runnable listener) { this.listener = listener == null ? () -> { } : listener; }
}
