package org.jvirt.vmm.emu.platform;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.irq.InterruptLine;
import org.jvirt.vmm.platform.PitChannel;
import org.jvirt.vmm.platform.PitState;

import java.util.ArrayList;
import java.util.List;

/**
 * The 8254 PIT at ports 0x40-0x43 plus the PC's port 0x61 (channel 2 gate on bit 0, speaker
 * data on bit 1, the DRAM refresh toggle on bit 4, channel 2's OUT on bit 5), clocked at
 * 1.193182 MHz of {@link GuestClock} time. Modes 0-5 (6 and 7 read as 2 and 3), binary and
 * BCD counts, lo/hi byte sequencing, the counter-latch and read-back commands.
 *
 * <p>Nothing counts in the background: a channel keeps the guest time its count was loaded and
 * every read computes the counter and OUT from the clock. Channel 0's IRQ0 edges happen in
 * {@link #advanceTo} when guest time has passed {@link #nextDeadlineNanos}; whoever drives the
 * platform's time calls those (see {@link EmuPlatform}). Ticks that a late advance skipped are
 * not lost: as KVM's PIT does by default (its "reinject" policy), they are kept as a backlog and
 * delivered one edge at a time, {@link #REINJECT_GAP_NS} of guest time apart, so a guest that
 * counts timer interrupts (a tick-based clock) does not fall behind when the host runs its vCPU
 * late. The backlog is capped at {@link #MAX_BACKLOG} edges and is not part of the saved state.
 *
 * <p>As KVM's PIT: a gate going low in modes 0 and 4 does not suspend counting; a channel's mode
 * is 0xff (not programmed, no IRQ) after reset. One lock, the PIT's monitor; IRQ0 is pulsed after
 * the lock is released.
 */
public final class Pit8254 {
    public static final int PORT = 0x40, PORT_61 = 0x61;
    public static final long FREQUENCY_HZ = 1_193_182L;
    private static final long NS = 1_000_000_000L;
    /** Bit 4 of port 0x61 toggles every 15.085 µs (a refresh cycle). */
    private static final long REFRESH_NS = 15_085L;
    private static final int RW_LSB = 1, RW_MSB = 2, RW_WORD0 = 3, RW_WORD1 = 4;

    private static final class Channel {
        int count, latchedCount, countLatched, statusLatched, status, readState, writeState, writeLatch, rwMode, mode, bcd, gate;
        long loadTime;
        /** Channel 0: the OUT rising edges already turned into IRQ0 since the load. */
        long edgesFired;
    }

    private final GuestClock clock;
    private final InterruptLine irq0;
    private final Channel[] channels = {new Channel(), new Channel(), new Channel()};
    /** Guest time between two re-injected IRQ0 edges: longer than a guest's timer handler, so edges do not merge. */
    static final long REINJECT_GAP_NS = 200_000L;
    /** The most channel-0 edges kept for re-injection (two seconds at HZ=1000). */
    static final long MAX_BACKLOG = 2000;
    private boolean hpetLegacy, speakerDataOn;
    /** Channel 0 edges that are due but not yet pulsed, and the earliest guest time of the next pulse. */
    private long backlog, nextPulseNanos;
    private volatile Runnable deadlineListener = () -> { };

    public Pit8254(GuestClock clock, InterruptLine irq0) {
        this.clock = clock;
        this.irq0 = irq0;
        reset();
    }

    /** Runs when channel 0 is reprogrammed (its next deadline may be earlier than the one a timer thread sleeps for). */
    public void setDeadlineListener(Runnable r) { deadlineListener = r == null ? () -> { } : r; }

    public synchronized void reset() {
        long now = clock.nanos();
        backlog = 0; nextPulseNanos = 0;
        for (int i = 0; i < 3; i++) {
            Channel c = channels[i];
            c.latchedCount = c.countLatched = c.statusLatched = c.status = c.readState = c.writeState = c.writeLatch = 0;
            c.rwMode = c.bcd = 0;
            c.mode = 0xff;
            c.gate = i == 2 ? 0 : 1;
            c.count = 0x10000;
            c.loadTime = now;
            c.edgesFired = 0;
        }
        hpetLegacy = speakerDataOn = false;
    }

    // ---- counting ----

    /** The count a load of raw value represents: 0 is the largest (65536, or 10000 in BCD). */
    private static long period(Channel c) {
        if (c.bcd != 0) {
            int v = c.count & 0xffff;
            int dec = (v >> 12 & 15) * 1000 + (v >> 8 & 15) * 100 + (v >> 4 & 15) * 10 + (v & 15);
            return dec == 0 ? 10000 : dec;
        }
        return c.count == 0 ? 0x10000 : c.count;
    }

    /** Whole PIT ticks in ns guest nanoseconds (no overflow for any ns >= 0). */
    static long ticks(long ns) {
        return ns / NS * FREQUENCY_HZ + (ns % NS) * FREQUENCY_HZ / NS;
    }

    /** The first guest ns at which ticks() reaches t (the ceiling of t / f seconds). */
    static long nanosForTicks(long t) {
        long whole = t / FREQUENCY_HZ, rest = t % FREQUENCY_HZ;
        return whole * NS + (rest * NS + FREQUENCY_HZ - 1) / FREQUENCY_HZ;
    }

    private long elapsed(Channel c, long now) { return ticks(Math.max(0, now - c.loadTime)); }

    /** The counting element's value now, in the counter's own representation (binary or BCD). */
    private int counter(Channel c, long now) {
        long n = period(c), d = elapsed(c, now);
        long v = switch (c.mode) {
            case 2 -> n - d % n;
            case 3 -> n - (2 * d) % n;
            default -> (n - d) & 0xffff; // 0, 1, 4, 5 keep counting down past 0 (wrapping)
        };
        if (c.bcd == 0) return (int) (v & 0xffff);
        long dec = ((v % 10000) + 10000) % 10000;
        return (int) ((dec / 1000) << 12 | (dec / 100 % 10) << 8 | (dec / 10 % 10) << 4 | (dec % 10));
    }

    private boolean out(Channel c, long now) {
        if (c.mode > 5) return false;
        long n = period(c), d = elapsed(c, now);
        return switch (c.mode) {
            case 0, 1 -> d >= n;
            case 2 -> c.gate == 0 || d % n != n - 1;
            case 3 -> c.gate == 0 || d % n < (n + 1) / 2;
            default -> d != n; // 4, 5: one-tick low strobe at terminal count
        };
    }

    /** Channel 0's OUT rising edges after the load up to d ticks (the IRQ0 edges). */
    private static long edgesUpTo(Channel c, long d) {
        long n = period(c);
        return switch (c.mode) {
            case 2, 3 -> c.gate == 0 ? 0 : d / n;
            case 0, 1, 4, 5 -> d >= n ? 1 : 0;
            default -> 0;
        };
    }

    /** Guest ns of channel 0's next IRQ0 edge, or Long.MAX_VALUE when none is due. */
    public synchronized long nextDeadlineNanos() {
        Channel c = channels[0];
        if (hpetLegacy || c.mode > 5) return Long.MAX_VALUE;
        boolean periodic = c.mode == 2 || c.mode == 3;
        if (periodic && c.gate == 0) return Long.MAX_VALUE;
        if (backlog > 0) return nextPulseNanos;
        if (!periodic && c.edgesFired > 0) return Long.MAX_VALUE;
        long n = period(c);
        return c.loadTime + nanosForTicks((c.edgesFired + 1) * n);
    }

    /** Fires IRQ0 once if channel 0's OUT rose since the last call or earlier edges are still owed. */
    public void advanceTo(long guestNanos) {
        boolean fire = false;
        synchronized (this) {
            Channel c = channels[0];
            if (!hpetLegacy && c.mode <= 5) {
                long edges = edgesUpTo(c, elapsed(c, guestNanos));
                if (edges > c.edgesFired) {
                    backlog = Math.min(MAX_BACKLOG, backlog + (edges - c.edgesFired));
                    c.edgesFired = edges;
                }
                if (backlog > 0 && guestNanos >= nextPulseNanos) {
                    backlog--;
                    nextPulseNanos = guestNanos + REINJECT_GAP_NS;
                    fire = true;
                }
            }
        }
        if (fire) irq0.pulse();
    }

    // ---- port I/O ----

    private void load(int i, int value, long now) {
        Channel c = channels[i];
        c.count = value == 0 ? 0x10000 : value;
        c.loadTime = now;
        c.edgesFired = 0;
        if (i == 0) { backlog = 0; nextPulseNanos = 0; } // a reprogrammed timer owes nothing (as KVM's reload)
    }

    private void latchCount(Channel c, long now) {
        if (c.countLatched != 0) return;
        c.latchedCount = counter(c, now);
        c.countLatched = c.rwMode;
    }

    private void latchStatus(Channel c, long now) {
        if (c.statusLatched != 0) return;
        c.status = (out(c, now) ? 0x80 : 0) | c.rwMode << 4 | (c.mode & 7) << 1 | c.bcd;
        c.statusLatched = 1;
    }

    private synchronized boolean writeControl(int val) {
        long now = clock.nanos();
        int sel = val >> 6;
        if (sel == 3) { // read-back
            for (int i = 0; i < 3; i++) {
                if ((val & (2 << i)) == 0) continue;
                Channel c = channels[i];
                if ((val & 0x20) == 0) latchCount(c, now);
                if ((val & 0x10) == 0) latchStatus(c, now);
            }
            return false;
        }
        Channel c = channels[sel];
        int access = (val >> 4) & 3;
        if (access == 0) {
            latchCount(c, now);
            return false;
        }
        c.rwMode = access;
        c.readState = c.writeState = access;
        int mode = (val >> 1) & 7;
        c.mode = mode >= 6 ? mode - 4 : mode;
        c.bcd = val & 1;
        return sel == 0;
    }

    private synchronized boolean writeCount(int i, int val) {
        Channel c = channels[i];
        long now = clock.nanos();
        switch (c.writeState) {
            case RW_MSB -> load(i, val << 8, now);
            case RW_WORD0 -> { c.writeLatch = val; c.writeState = RW_WORD1; return false; }
            case RW_WORD1 -> { load(i, c.writeLatch | val << 8, now); c.writeState = RW_WORD0; }
            default -> load(i, val, now);
        }
        return i == 0;
    }

    private synchronized int readCount(int i) {
        Channel c = channels[i];
        if (c.statusLatched != 0) {
            c.statusLatched = 0;
            return c.status;
        }
        if (c.countLatched != 0) {
            switch (c.countLatched) {
                case RW_MSB -> { c.countLatched = 0; return c.latchedCount >> 8 & 0xff; }
                case RW_WORD0 -> { c.countLatched = RW_WORD1; return c.latchedCount & 0xff; }
                case RW_WORD1 -> { c.countLatched = 0; return c.latchedCount >> 8 & 0xff; }
                default -> { c.countLatched = 0; return c.latchedCount & 0xff; }
            }
        }
        int v = counter(c, clock.nanos());
        switch (c.readState) {
            case RW_MSB: return v >> 8 & 0xff;
            case RW_WORD0: c.readState = RW_WORD1; return v & 0xff;
            case RW_WORD1: c.readState = RW_WORD0; return v >> 8 & 0xff;
            default: return v & 0xff;
        }
    }

    /** Channel 2's gate: a rising edge restarts modes 1, 2, 3 and 5, as on the 8254. */
    private synchronized void setGate(int i, int gate) {
        Channel c = channels[i];
        if (gate != 0 && c.gate == 0 && c.mode != 0 && c.mode != 4 && c.mode <= 5) {
            c.loadTime = clock.nanos();
            c.edgesFired = 0;
            if (i == 0) { backlog = 0; nextPulseNanos = 0; }
        }
        c.gate = gate;
    }

    private synchronized int readPort61() {
        long now = clock.nanos();
        Channel c = channels[2];
        return c.gate | (speakerDataOn ? 2 : 0) | (int) ((now / REFRESH_NS) & 1) << 4 | (out(c, now) ? 0x20 : 0);
    }

    /** Ports 0x40-0x43. */
    public IoDevice ports() {
        return new IoDevice() {
            @Override public long read(long offset, int size) {
                return offset < 3 ? readCount((int) offset) : 0xff; // the control word is write-only
            }

            @Override public void write(long offset, int size, long value) {
                int v = (int) value & 0xff;
                boolean reprogrammed = offset == 3 ? writeControl(v) : writeCount((int) offset, v);
                if (reprogrammed) deadlineListener.run();
            }
        };
    }

    /** Port 0x61 (system control port B). */
    public IoDevice port61() {
        return new IoDevice() {
            @Override public long read(long offset, int size) { return readPort61(); }

            @Override public void write(long offset, int size, long value) {
                synchronized (Pit8254.this) {
                    speakerDataOn = (value & 2) != 0;
                    setGate(2, (int) value & 1);
                }
            }
        };
    }

    // ---- state ----

    public synchronized PitState exportState() {
        long now = clock.nanos();
        List<PitChannel> out = new ArrayList<>(3);
        for (Channel c : channels) {
            out.add(new PitChannel(c.count, c.latchedCount & 0xffff, c.countLatched, c.statusLatched, c.status, c.readState,
                    c.writeState, c.writeLatch, c.rwMode, c.mode, c.bcd, c.gate, Math.max(0, now - c.loadTime)));
        }
        return new PitState(out, hpetLegacy, speakerDataOn);
    }

    /** Restores the channels; channel 0's edges up to now count as delivered (the IRQ state travels with the PICs). */
    public void importState(PitState s) {
        synchronized (this) {
            long now = clock.nanos();
            for (int i = 0; i < 3; i++) {
                PitChannel p = s.channels().get(i);
                Channel c = channels[i];
                c.count = p.count();
                c.latchedCount = p.latchedCount(); c.countLatched = p.countLatched(); c.statusLatched = p.statusLatched();
                c.status = p.status(); c.readState = p.readState(); c.writeState = p.writeState();
                c.writeLatch = p.writeLatch(); c.rwMode = p.rwMode(); c.mode = p.mode(); c.bcd = p.bcd(); c.gate = p.gate();
                c.loadTime = now - p.loadedNanosAgo();
                c.edgesFired = c.mode > 5 || c.count == 0 ? 0 : edgesUpTo(c, elapsed(c, now));
            }
            hpetLegacy = s.hpetLegacy();
            speakerDataOn = s.speakerDataOn();
            backlog = 0; nextPulseNanos = 0;
        }
        deadlineListener.run();
    }
}
