package org.jvirt.vmm.emu.platform;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.irq.InterruptLine;
import org.jvirt.vmm.irq.MsiSink;
import org.jvirt.vmm.platform.Platform;
import org.jvirt.vmm.platform.PlatformState;

import java.util.concurrent.locks.LockSupport;

/**
 * The emulator's PC platform, what KVM keeps in the kernel: the 8259 pair, the 8254 PIT, the
 * IOAPIC, one local APIC per vCPU, and the {@link GuestClock} they all count on.
 *
 * <p><b>Interrupt routing</b> follows the MADT jvirt writes (AcpiTables: ISA IRQ0 -> GSI 2) and
 * QEMU's routing: GSI 0 (the PIT) drives PIC line 0 and IOAPIC pin 2; GSI 2 drives IOAPIC pin 2
 * only (PIC line 2 is the cascade); GSIs 1 and 3-15 drive PIC line and IOAPIC pin of the same
 * number; GSIs 16-23 the IOAPIC alone. (KVM's default routing table sends GSI 0 to IOAPIC pin 0
 * instead; the in-kernel PIT then relies on the guest falling back from pin 2.)
 *
 * <p><b>Time</b>: nothing runs by itself. Guest-visible timers (PIT channel 0, LAPIC timers) fire
 * when someone calls {@link #advanceTo}/{@link #advance} after {@link #nextDeadlineNanos}; reads
 * of counters compute from the clock. Either the integrator drives that from its own loop, or
 * {@link #startTimerThread()} starts one daemon thread that sleeps until the next deadline (and
 * is woken by any reprogramming or clock change). {@link #pause()} stops guest time, so the
 * timers stop and that thread parks.
 *
 * <p><b>Locking order</b>: IOAPIC -> LAPIC (delivery) is the only nesting. The PIC, PIT and
 * LAPICs release their own lock before calling another chip (PIT -> IRQ0 line -> PIC, IOAPIC;
 * LAPIC EOI -> IOAPIC; LAPIC ICR -> other LAPICs; PIC INTR -> LAPIC wake). Listener callbacks
 * ({@link LocalApic.Listener}) may run with the IOAPIC's lock held and must not call back into
 * the platform's chips.
 */
public final class EmuPlatform implements Platform, AutoCloseable {
    public static final int GSI_COUNT = IoApic.PINS;

    private final GuestClock clock = new GuestClock(false);
    private final Pic8259Pair pic = new Pic8259Pair();
    private final LocalApic[] lapics;
    private final ApicBus apicBus;
    private final IoApic ioapic;
    private final InterruptLine[] lines = new InterruptLine[GSI_COUNT];
    private final Pit8254 pit;
    private final ThreadLocal<LocalApic> currentLapic = new ThreadLocal<>();
    private volatile Thread timerThread;
    private volatile boolean closed;

    public EmuPlatform(int vcpuCount) {
        if (vcpuCount < 1 || vcpuCount > 255) throw new IllegalArgumentException("xAPIC platform for 1..255 vCPUs, not " + vcpuCount);
        lapics = new LocalApic[vcpuCount];
        for (int i = 0; i < vcpuCount; i++) lapics[i] = new LocalApic(i, clock, pic);
        apicBus = new ApicBus(lapics);
        ioapic = new IoApic(apicBus);
        for (LocalApic a : lapics) {
            a.connect(apicBus, ioapic);
            a.setDeadlineListener(this::wakeTimerThread);
        }
        for (int gsi = 0; gsi < GSI_COUNT; gsi++) lines[gsi] = line(gsi);
        pit = new Pit8254(clock, lines[0]);
        pit.setDeadlineListener(this::wakeTimerThread);
        clock.setListener(this::wakeTimerThread);
        pic.setIntrListener(() -> {
            for (LocalApic a : lapics) a.picInterruptRaised();
        });
    }

    private InterruptLine line(int gsi) {
        int picLine = gsi < 16 && gsi != 2 ? gsi : -1;
        int ioapicPin = gsi == 0 ? 2 : gsi;
        return high -> {
            if (picLine >= 0) pic.setIrq(picLine, high);
            ioapic.setPin(ioapicPin, high);
        };
    }

    public GuestClock clock() { return clock; }
    public Pic8259Pair pic() { return pic; }
    public Pit8254 pit() { return pit; }
    public IoApic ioapic() { return ioapic; }
    public LocalApic localApic(int vcpu) { return lapics[vcpu]; }
    public int vcpuCount() { return lapics.length; }

    /** The interrupt input gsi (0..23), as Accelerator.interruptLine. */
    public InterruptLine interruptLine(int gsi) {
        if (gsi < 0 || gsi >= GSI_COUNT) throw new IllegalArgumentException("GSI " + gsi + " is not an IOAPIC pin (0..23)");
        return lines[gsi];
    }

    /** MSIs: address 0xFEEx_xxxx (destination ID bits 19:12, RH bit 3, DM bit 2), data (vector, delivery mode, trigger). */
    public MsiSink msiSink() {
        return (address, data) -> {
            if ((address & 0xFFF0_0000L) != 0xFEE0_0000L) return; // not an interrupt message: dropped
            int dest = (int) (address >> 12) & 0xff;
            boolean logical = (address & 4) != 0, redirectionHint = (address & 8) != 0;
            int mode = (data >> 8) & 7;
            if (redirectionHint && mode == ApicBus.FIXED) mode = ApicBus.LOWEST_PRIORITY;
            apicBus.deliver(dest, logical, mode, data & 0xff, (data & 0x8000) != 0, ApicBus.NO_SHORTHAND, null);
        };
    }

    /**
     * Registers the PIC (0x20, 0xA0), ELCR (0x4D0), PIT (0x40) and port 0x61 on pio, the IOAPIC
     * page and the LAPIC page on mmio. The LAPIC page goes to the APIC of the vCPU whose thread
     * accesses it ({@link #bindCurrentThread}); an integrator that routes 0xFEE00000 to
     * {@link #localApic} itself (e.g. to follow a relocated IA32_APIC_BASE) never reaches it.
     */
    public void registerDevices(IoBus pio, IoBus mmio) {
        pio.register(Pic8259Pair.MASTER_PORT, 2, pic.masterPorts());
        pio.register(Pic8259Pair.SLAVE_PORT, 2, pic.slavePorts());
        pio.register(Pic8259Pair.ELCR_PORT, 2, pic.elcrPorts());
        pio.register(Pit8254.PORT, 4, pit.ports());
        pio.register(Pit8254.PORT_61, 1, pit.port61());
        mmio.register(IoApic.DEFAULT_BASE, 0x1000, ioapic);
        mmio.register(LocalApic.DEFAULT_BASE, 0x1000, new IoDevice() {
            @Override public long read(long offset, int size) { return lapicOfThisThread().read(offset, size); }
            @Override public void write(long offset, int size, long value) { lapicOfThisThread().write(offset, size, value); }
        });
    }

    /** Makes the calling thread vCPU vcpu's for the shared LAPIC page (call once at the vCPU thread's start). */
    public void bindCurrentThread(int vcpu) { currentLapic.set(lapics[vcpu]); }

    private LocalApic lapicOfThisThread() {
        LocalApic a = currentLapic.get();
        return a != null ? a : lapics[0];
    }

    // ---- time ----

    /** The earliest guest-ns deadline of the PIT and the LAPIC timers, or Long.MAX_VALUE. */
    public long nextDeadlineNanos() {
        long d = pit.nextDeadlineNanos();
        for (LocalApic a : lapics) d = Math.min(d, a.nextDeadlineNanos());
        return d;
    }

    /** Fires every timer whose deadline is at or before guestNanos. */
    public void advanceTo(long guestNanos) {
        pit.advanceTo(guestNanos);
        for (LocalApic a : lapics) a.advanceTo(guestNanos);
    }

    /** advanceTo(the clock's now). */
    public void advance() { advanceTo(clock.nanos()); }

    /** Stops guest time: counters freeze, no timer fires until {@link #resume}. */
    public void pause() { clock.pause(); }

    public void resume() { clock.resume(); }

    /** Starts the platform's timer thread (idempotent); {@link #close} stops it. */
    public synchronized void startTimerThread() {
        if (timerThread != null || closed) return;
        Thread t = new Thread(this::timerLoop, "jvirt-emu-timers");
        t.setDaemon(true);
        timerThread = t;
        t.start();
    }

    private void timerLoop() {
        while (!closed) {
            if (!clock.isPaused()) advance();
            long wait = clock.hostNanosUntil(nextDeadlineNanos());
            if (wait > 0) LockSupport.parkNanos(this, Math.min(wait, 1_000_000_000L));
        }
    }

    private void wakeTimerThread() {
        Thread t = timerThread;
        if (t != null) LockSupport.unpark(t);
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) { t = timerThread; }
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- Platform ----

    @Override
    public void reset() {
        pic.reset();
        pit.reset();
        ioapic.reset();
        for (LocalApic a : lapics) a.reset();
        wakeTimerThread();
    }

    /** Call with the machine paused; timers due by now fire first so no expiry is lost between export and import. */
    @Override
    public PlatformState exportState() {
        long now = clock.nanos();
        advanceTo(now);
        return new PlatformState(pic.exportMaster(), pic.exportSlave(), ioapic.exportState(), pit.exportState(), now);
    }

    /** Import before the vCPUs' LAPIC pages ({@link LocalApic#importPage}): the clock comes first. */
    @Override
    public void importState(PlatformState s) {
        clock.set(s.clockNanos());
        pic.importState(s.master(), s.slave());
        ioapic.importState(s.ioapic());
        pit.importState(s.pit());
    }
}
