package org.jvirt.vmm.emu.platform;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.platform.PitState;
import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The 8254 on a stepped (paused, set) guest clock, programmed as Linux programs it. */
class Pit8254Test {
    private static final int LATCH_HZ250 = (1193182 + 125) / 250; // Linux's LATCH for HZ=250: 4773
    private GuestClock clock;
    private RecordingInterruptLine irq0;
    private Pit8254 pit;
    private IoBus pio;

    @BeforeEach
    void setUp() {
        clock = new GuestClock(true);
        clock.set(1_000_000_000L);
        irq0 = new RecordingInterruptLine();
        pit = new Pit8254(clock, irq0);
        pio = new IoBus("pio");
        pio.register(0x40, 4, pit.ports());
        pio.register(0x61, 1, pit.port61());
    }

    private void out(int port, int v) { pio.write(port, 1, v); }
    private int in(int port) { return (int) pio.read(port, 1); }
    private void at(long ns) { clock.set(ns); pit.advanceTo(ns); }
    private static long ns(long ticks) { return Pit8254.nanosForTicks(ticks); }

    @Test
    void tickConversionsAreExactInverses() {
        for (long t : new long[]{0, 1, 4773, 65536, 1193182, 1193183, 10_000_000_000L}) {
            assertEquals(t, Pit8254.ticks(Pit8254.nanosForTicks(t)));
            if (t > 0) assertEquals(t - 1, Pit8254.ticks(Pit8254.nanosForTicks(t) - 1), "tick " + t);
        }
    }

    @Test
    void unprogrammedPitRaisesNothing() {
        at(clock.nanos() + 1_000_000_000L);
        assertEquals(Long.MAX_VALUE, pit.nextDeadlineNanos());
        assertEquals(0, irq0.risingEdges());
    }

    @Test
    void mode2PeriodicAtHz250FiresOnEveryPeriodWithoutDrift() {
        long t0 = clock.nanos();
        out(0x43, 0x34);                                    // channel 0, lo/hi, mode 2, binary
        out(0x40, LATCH_HZ250 & 0xff);
        out(0x40, LATCH_HZ250 >> 8);
        for (int k = 1; k <= 250; k++) {                    // one guest second
            long d = pit.nextDeadlineNanos();
            assertEquals(t0 + ns((long) k * LATCH_HZ250), d);
            at(d - 1);
            assertEquals(k - 1, irq0.risingEdges());
            at(d);
            assertEquals(k, irq0.risingEdges());
        }
        assertEquals(t0 + ns(250L * LATCH_HZ250), clock.nanos());
        assertFalse(irq0.level());                          // pulses
        at(clock.nanos() + 10 * ns(LATCH_HZ250));           // ten periods missed: one edge now, nine owed
        assertEquals(251, irq0.risingEdges());
    }

    @Test
    void missedPeriodsAreReinjectedOneEdgeAtATime() {
        out(0x43, 0x34);
        out(0x40, LATCH_HZ250 & 0xff);
        out(0x40, LATCH_HZ250 >> 8);
        long late = clock.nanos() + 10 * ns(LATCH_HZ250) + 1000;
        at(late);                                           // the host ran the vCPU 40 ms late
        assertEquals(1, irq0.risingEdges());
        at(late + Pit8254.REINJECT_GAP_NS - 1);             // not before the gap (edges would merge)
        assertEquals(1, irq0.risingEdges());
        for (int k = 2; k <= 10; k++) {
            long d = pit.nextDeadlineNanos();
            assertTrue(d <= clock.nanos() + Pit8254.REINJECT_GAP_NS, "owed edges are due at once");
            at(Math.max(d, clock.nanos()));
            assertEquals(k, irq0.risingEdges());
        }
        long next = pit.nextDeadlineNanos();                // backlog paid: the next period's edge again
        assertTrue(next > clock.nanos(), "no more owed edges");
        out(0x40, LATCH_HZ250 & 0xff);                      // reprogramming forgets any backlog
        out(0x40, LATCH_HZ250 >> 8);
        at(clock.nanos() + 3 * ns(LATCH_HZ250) + 1);
        int edges = irq0.risingEdges();
        at(clock.nanos() + Pit8254.REINJECT_GAP_NS);
        assertEquals(edges + 1, irq0.risingEdges());
    }

    @Test
    void counterReadsDecrementAndLatchFreezesTheValue() {
        long t0 = clock.nanos();
        out(0x43, 0x34);
        out(0x40, 0x00); out(0x40, 0x10);                    // 4096
        clock.set(t0 + ns(100));
        int lo = in(0x40), hi = in(0x40);
        assertEquals(4096 - 100, lo | hi << 8);
        out(0x43, 0x00);                                    // latch channel 0
        clock.set(t0 + ns(1000));
        lo = in(0x40);
        clock.set(t0 + ns(2000));
        hi = in(0x40);
        assertEquals(3996, lo | hi << 8);                   // the latched value, read in two halves
        clock.set(t0 + ns(4096 + 10));                      // mode 2 reloads
        lo = in(0x40); hi = in(0x40);
        assertEquals(4096 - 10, lo | hi << 8);
    }

    @Test
    void readBackCommandLatchesStatusAndCount() {
        out(0x43, 0xb0);                                    // channel 2, lo/hi, mode 0
        out(0x42, 0x34); out(0x42, 0x12);
        out(0x61, 0x01);
        out(0x43, 0xc8);                                    // read-back: count and status of channel 2
        assertEquals(0x30, in(0x42));                       // status first: OUT low, lo/hi, mode 0, binary
        assertEquals(0x34, in(0x42));
        assertEquals(0x12, in(0x42));
        clock.set(clock.nanos() + ns(0x1234));
        out(0x43, 0xe8);                                    // status only
        assertEquals(0xb0, in(0x42));                       // OUT now high
    }

    @Test
    void msbOnlyAndLsbOnlyAccess() {
        long t0 = clock.nanos();
        out(0x43, 0x14);                                    // channel 0, LSB only, mode 2
        out(0x40, 200);
        clock.set(t0 + ns(50));
        assertEquals(150, in(0x40));
        assertEquals(140 + 10, in(0x40));                   // same tick: same value
        out(0x43, 0x24);                                    // MSB only
        out(0x40, 0x02);                                    // 512
        clock.set(clock.nanos() + ns(256));
        assertEquals(0x01, in(0x40));
    }

    @Test
    void bcdCountsInDecimal() {
        long t0 = clock.nanos();
        out(0x43, 0x35);                                    // mode 2, BCD
        out(0x40, 0x00); out(0x40, 0x10);                    // 1000 decimal
        clock.set(t0 + ns(1));
        assertEquals(0x0999, in(0x40) | in(0x40) << 8);
        assertEquals(t0 + ns(1000), pit.nextDeadlineNanos());
    }

    /** Linux's pit_calibrate_tsc: channel 2, mode 0, gate via 0x61, polls OUT2 on bit 5 for 50 ms. */
    @Test
    void channel2OneShotForTscCalibration() {
        int latch = 1193182 / (1000 / 50);
        out(0x61, (in(0x61) & ~0x02) | 0x01);
        out(0x43, 0xb0);
        out(0x42, latch & 0xff);
        out(0x42, latch >> 8);
        long t0 = clock.nanos();
        int polls = 0;
        while ((in(0x61) & 0x20) == 0) {
            clock.set(clock.nanos() + 10_000);                // 10 µs per poll
            if (++polls > 100_000) fail("OUT2 never rose");
        }
        long elapsed = clock.nanos() - t0;
        assertTrue(Math.abs(elapsed - 50_000_000L) <= 10_000, "OUT2 rose after " + elapsed + " ns");
        assertEquals(0x01, in(0x61) & 0x03);                // gate on, speaker data off
        assertEquals(0, irq0.risingEdges());                // channel 2 has no interrupt
    }

    /** Linux's quick_pit_calibrate: channel 2 mode 0 from 0xffff, reading the MSB as it falls. */
    @Test
    void quickCalibrationMsbFalls() {
        out(0x61, 0x01);
        out(0x43, 0xb0);
        out(0x42, 0xff); out(0x42, 0xff);
        long t0 = clock.nanos();
        for (int expect = 0xff; expect > 0xf0; expect--) {
            clock.set(t0 + ns((0xff - expect) * 256L + 1));
            in(0x42);
            assertEquals(expect, in(0x42));
        }
    }

    @Test
    void refreshBitToggles() {
        long t = clock.nanos() / 15_085 * 15_085;
        clock.set(t);
        int a = in(0x61) & 0x10;
        clock.set(t + 15_085);
        assertNotEquals(a, in(0x61) & 0x10);
    }

    @Test
    void mode3SquareWaveOnChannel2AndGateRestart() {
        out(0x43, 0xb6);                                    // channel 2, lo/hi, mode 3
        out(0x42, 100); out(0x42, 0);
        out(0x61, 0x00);
        assertEquals(0x20, in(0x61) & 0x20);                // gate low: OUT high
        out(0x61, 0x01);                                    // rising gate: starts counting now
        long t0 = clock.nanos();
        clock.set(t0 + ns(49));
        assertEquals(0x20, in(0x61) & 0x20);
        clock.set(t0 + ns(50));
        assertEquals(0x00, in(0x61) & 0x20);
        clock.set(t0 + ns(100));
        assertEquals(0x20, in(0x61) & 0x20);
    }

    @Test
    void mode0OnChannel0FiresOnceAtTerminalCount() {
        long t0 = clock.nanos();
        out(0x43, 0x30);
        out(0x40, 0x10); out(0x40, 0x00);                    // 16
        assertEquals(t0 + ns(16), pit.nextDeadlineNanos());
        at(t0 + ns(16));
        assertEquals(1, irq0.risingEdges());
        assertEquals(Long.MAX_VALUE, pit.nextDeadlineNanos());
        at(t0 + ns(100_000));
        assertEquals(1, irq0.risingEdges());
    }

    @Test
    void stateRoundTripMidCount() {
        long t0 = clock.nanos();
        out(0x43, 0x34);
        out(0x40, LATCH_HZ250 & 0xff); out(0x40, LATCH_HZ250 >> 8);
        out(0x43, 0xb0); out(0x42, 0x22);                   // channel 2 half-written (lo byte only)
        for (int k = 0; k < 3; k++) at(pit.nextDeadlineNanos());
        at(t0 + ns(3 * LATCH_HZ250 + 1000));
        assertEquals(3, irq0.risingEdges());
        PitState s = pit.exportState();
        assertEquals(ns(3 * LATCH_HZ250 + 1000), s.channels().get(0).loadedNanosAgo());

        GuestClock clock2 = new GuestClock(true);
        clock2.set(clock.nanos());
        RecordingInterruptLine irq2 = new RecordingInterruptLine();
        Pit8254 other = new Pit8254(clock2, irq2);
        other.importState(s);
        assertEquals(s, other.exportState());
        assertEquals(pit.nextDeadlineNanos(), other.nextDeadlineNanos());
        other.advanceTo(clock2.nanos());
        assertEquals(0, irq2.risingEdges());                // what the exporter delivered is not repeated
        other.advanceTo(other.nextDeadlineNanos());
        assertEquals(1, irq2.risingEdges());
        // the half-written channel 2 count completes on the new PIT
        IoBus p2 = new IoBus("p2");
        p2.register(0x40, 4, other.ports());
        p2.write(0x42, 1, 0x11);
        assertEquals(0x1122, other.exportState().channels().get(2).count());
    }
}
