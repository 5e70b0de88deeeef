package org.jvirt.vmm.emu.platform;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.emu.cpu.InterruptSource;

/**
 * One vCPU's xAPIC: the 4 KiB MMIO page at APIC_BASE (0xFEE00000 after reset) with ID, version
 * 0x50014, TPR/PPR, EOI, LDR/DFR, SVR, the 256-bit ISR/TMR/IRR, ESR, ICR (fixed, lowest
 * priority, NMI, INIT, SIPI, the shorthands), the LVT (timer one-shot and periodic, no TSC
 * deadline; thermal, perf, LINT0, LINT1, error, CMCI) and the timer's divide, initial and
 * current count. The timer counts at 1 GHz / divide (KVM's APIC bus runs at 1 GHz too).
 *
 * <p>The 8259's INTR reaches the CPU through this APIC: when LINT0 is unmasked ExtINT (the
 * bootstrap processor's reset value, as KVM and firmware set it), or the APIC is disabled in
 * IA32_APIC_BASE, or an IOAPIC pin sent ExtINT. Its vector then comes from the 8259's INTA.
 *
 * <p>State is the 1 KiB register page {@link VcpuState#lapic} (registers at their MMIO
 * offsets, as KVM's kvm_lapic_state), with the timer's current count filled in on export and
 * the countdown resumed from it on import. IA32_APIC_BASE lives outside the page (an MSR).
 *
 * <p>Locking: one monitor per APIC. It never calls another chip while holding it: IPIs, EOI
 * broadcasts to the IOAPIC and the listener's calls happen after release. Other chips may call
 * in while holding theirs (IOAPIC -> LAPIC), never the reverse.
 */
public final class LocalApic implements InterruptSource, IoDevice {
    /** What the APIC asks of its vCPU thread (called on whatever thread delivered the event). */
    public interface Listener {
        /** An interrupt or NMI arrived: a halted vCPU should look again. */
        void wake();

        /** An INIT IPI: the vCPU resets to wait-for-SIPI (the APIC has reset itself). */
        void init();

        /** A STARTUP IPI with its vector (the AP starts at vector << 12 in real mode). */
        void startup(int vector);
    }

    public static final long DEFAULT_BASE = 0xFEE0_0000L;
    public static final long BASE_BSP = 1L << 8, BASE_ENABLE = 1L << 11;
    public static final int VERSION = 0x50014;

    // register indices (MMIO offset >> 4)
    static final int ID = 0x2, VER = 0x3, TPR = 0x8, APR = 0x9, PPR = 0xA, EOI = 0xB, RRD = 0xC, LDR = 0xD, DFR = 0xE,
            SVR = 0xF, ISR = 0x10, TMR = 0x18, IRR = 0x20, ESR = 0x28, LVT_CMCI = 0x2F, ICR_LO = 0x30, ICR_HI = 0x31,
            LVT_TIMER = 0x32, LVT_THERMAL = 0x33, LVT_PERF = 0x34, LVT_LINT0 = 0x35, LVT_LINT1 = 0x36, LVT_ERROR = 0x37,
            TMICT = 0x38, TMCCT = 0x39, TDCR = 0x3E;
    private static final int[] LVTS = {LVT_CMCI, LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR};
    static final int MASKED = 1 << 16, PERIODIC = 1 << 17, SVR_ENABLE = 1 << 8;

    private final int index;
    private final GuestClock clock;
    private final Pic8259Pair pic;
    private ApicBus bus;
    private volatile IoApic ioapic;
    private volatile Listener listener = new Listener() {
        @Override public void wake() { }
        @Override public void init() { }
        @Override public void startup(int vector) { }
    };
    private volatile Runnable deadlineListener = () -> { };

    private final int[] regs = new int[64];
    private long apicBase;
    private int pendingErrors;
    private long timerStart, timerFired;
    private boolean timerArmed;

    private volatile boolean irrNonEmpty, nmiPending, extIntPending, picRouted;

    LocalApic(int index, GuestClock clock, Pic8259Pair pic) {
        this.index = index;
        this.clock = clock;
        this.pic = pic;
        reset();
    }

    void connect(ApicBus bus, IoApic ioapic) {
        this.bus = bus;
        this.ioapic = ioapic;
    }

    public int index() { return index; }

    public void setListener(Listener l) { listener = l; }

    /** Runs when the timer is reprogrammed (a timer thread may need to wake earlier). */
    public void setDeadlineListener(Runnable r) { deadlineListener = r == null ? () -> { } : r; }

    // ---- reset and the base MSR ----

    /** Power-on state (IA32_APIC_BASE too). */
    public synchronized void reset() {
        apicBase = DEFAULT_BASE | BASE_ENABLE | (index == 0 ? BASE_BSP : 0);
        initRegisters();
        regs[ID] = index << 24;
    }

    /** What INIT resets: everything but the ID and IA32_APIC_BASE. */
    private void initRegisters() {
        int id = regs[ID];
        java.util.Arrays.fill(regs, 0);
        regs[ID] = id;
        regs[VER] = VERSION;
        regs[DFR] = 0xFFFF_FFFF;
        regs[SVR] = 0xFF;
        for (int r : LVTS) regs[r] = MASKED;
        if (index == 0) regs[LVT_LINT0] = ApicBus.EXT_INT << 8; // virtual wire, as firmware leaves the BSP
        pendingErrors = 0;
        timerArmed = false;
        timerFired = 0;
        nmiPending = extIntPending = false;
        refresh();
    }

    public synchronized long apicBase() { return apicBase; }

    /** WRMSR IA32_APIC_BASE (the caller checks reserved bits). Relocating the page is the integrator's bus mapping. */
    public void setApicBase(long value) {
        synchronized (this) {
            boolean wasEnabled = (apicBase & BASE_ENABLE) != 0;
            apicBase = value;
            if (wasEnabled && (value & BASE_ENABLE) == 0) {
                int id = regs[ID];
                initRegisters(); // a hardware disable resets the APIC
                regs[ID] = id;
            }
            refresh();
        }
        listener.wake();
    }

    private boolean hardwareEnabled() { return (apicBase & BASE_ENABLE) != 0; }

    public synchronized boolean isSoftwareEnabled() { return hardwareEnabled() && (regs[SVR] & SVR_ENABLE) != 0; }

    // ---- priorities and vectors ----

    private int highest(int base) {
        for (int i = 7; i >= 0; i--) {
            int w = regs[base + i];
            if (w != 0) return i * 32 + 31 - Integer.numberOfLeadingZeros(w);
        }
        return -1;
    }

    private boolean test(int base, int v) { return (regs[base + (v >> 5)] & (1 << (v & 31))) != 0; }

    private void set(int base, int v, boolean on) {
        if (on) regs[base + (v >> 5)] |= 1 << (v & 31);
        else regs[base + (v >> 5)] &= ~(1 << (v & 31));
    }

    private int ppr() {
        int tpr = regs[TPR] & 0xff, isrv = Math.max(0, highest(ISR));
        return (tpr & 0xf0) >= (isrv & 0xf0) ? tpr : isrv & 0xf0;
    }

    /** The processor priority (lowest-priority arbitration). */
    synchronized int processorPriority() { return ppr(); }

    /** The IRR vector the CPU may take now, or -1. */
    private int deliverable() {
        if (!hardwareEnabled()) return -1;
        int v = highest(IRR);
        return v >= 0 && (v & 0xf0) > ppr() ? v : -1;
    }

    /** Recomputes the volatile hints the CPU polls without the lock. */
    private void refresh() {
        boolean any = false;
        for (int i = 0; i < 8; i++) any |= regs[IRR + i] != 0;
        irrNonEmpty = any;
        int lint0 = regs[LVT_LINT0];
        picRouted = !hardwareEnabled() || ((lint0 & MASKED) == 0 && ((lint0 >> 8) & 7) == ApicBus.EXT_INT);
    }

    /** The 8259's INTR rose: wakes the vCPU if this APIC passes it on. */
    void picInterruptRaised() {
        if (picRouted) listener.wake();
    }

    /** True when this APIC passes the 8259's INTR to its CPU (LINT0 ExtINT or the APIC disabled). */
    public boolean acceptsPicInterrupts() { return picRouted; }

    // ---- InterruptSource ----

    @Override
    public boolean hasInterrupt() {
        if ((picRouted || extIntPending) && pic.hasInterrupt()) return true;
        if (!irrNonEmpty) return false;
        synchronized (this) { return deliverable() >= 0; }
    }

    @Override
    public int acknowledge() {
        if ((picRouted || extIntPending) && pic.hasInterrupt()) {
            extIntPending = false;
            return pic.acknowledge(); // the PIC's lock, never with ours held
        }
        synchronized (this) {
            int v = deliverable();
            if (v < 0) return regs[SVR] & 0xff; // spurious: nothing left to deliver
            set(IRR, v, false);
            set(ISR, v, true);
            refresh();
            return v;
        }
    }

    @Override
    public boolean takeNmi() {
        if (!nmiPending) return false;
        nmiPending = false;
        return true;
    }

    // ---- receiving messages ----

    /** True when dest (physical ID, or logical flat/cluster) names this APIC. */
    synchronized boolean matches(int dest, boolean logical) {
        if (!hardwareEnabled()) return false;
        if (!logical) return dest == 0xff || dest == (regs[ID] >>> 24);
        if (dest == 0xff) return true;
        int ldr = regs[LDR] >>> 24;
        if ((regs[DFR] >>> 28) == 0xf) return (ldr & dest) != 0; // flat
        return (ldr >>> 4) == (dest >>> 4) && (ldr & dest & 0xf) != 0; // cluster
    }

    /** One message from the APIC bus (mode FIXED, NMI, INIT, STARTUP or EXT_INT). */
    void receive(int mode, int vector, boolean levelTriggered) {
        switch (mode) {
            case ApicBus.FIXED -> {
                if (!accept(vector, levelTriggered)) return;
            }
            case ApicBus.NMI -> nmiPending = true;
            case ApicBus.EXT_INT -> extIntPending = true;
            case ApicBus.INIT -> {
                synchronized (this) { initRegisters(); }
                listener.init();
                return;
            }
            case ApicBus.STARTUP -> {
                listener.startup(vector & 0xff);
                return;
            }
            default -> { return; } // SMI: no SMM
        }
        listener.wake();
    }

    /** Puts vector in the IRR (TMR as triggered); false when refused (APIC software-disabled, illegal vector). */
    private boolean accept(int vector, boolean levelTriggered) {
        int errorVector = -1;
        synchronized (this) {
            if (!hardwareEnabled() || (regs[SVR] & SVR_ENABLE) == 0) return false;
            if (vector < 16) {
                errorVector = error(1 << 6); // receive illegal vector
            } else {
                set(IRR, vector, true);
                set(TMR, vector, levelTriggered);
                refresh();
            }
        }
        if (errorVector >= 0) return accept(errorVector, false);
        return vector >= 16;
    }

    /** Records an ESR bit; the LVT error vector to raise, or -1. Caller holds the lock. */
    private int error(int bit) {
        pendingErrors |= bit;
        int lvt = regs[LVT_ERROR];
        return (lvt & MASKED) == 0 && (lvt & 0xff) >= 16 ? lvt & 0xff : -1;
    }

    /** A local interrupt source raised the vector of an LVT entry (LINT1 NMI, the timer...). */
    private void raiseLvt(int lvt) {
        if ((lvt & MASKED) != 0) return;
        int mode = (lvt >> 8) & 7;
        if (mode == ApicBus.NMI) receive(ApicBus.NMI, 0, false);
        else if (mode == ApicBus.EXT_INT) receive(ApicBus.EXT_INT, 0, false);
        else if (mode == ApicBus.FIXED) receive(ApicBus.FIXED, lvt & 0xff, false);
    }

    /** The LINT1 pin (NMI on a PC) pulsed. */
    public void lint1() {
        int lvt;
        synchronized (this) { lvt = regs[LVT_LINT1]; }
        raiseLvt(lvt);
    }

    // ---- timer ----

    private int divide() {
        int d = regs[TDCR];
        int v = (d & 3) | ((d & 8) >> 1);
        return 1 << ((v + 1) & 7);
    }

    private long currentCount(long now) {
        long initial = regs[TMICT] & 0xffff_ffffL;
        if (!timerArmed || initial == 0) return 0;
        long elapsed = Math.max(0, now - timerStart) / divide();
        if ((regs[LVT_TIMER] & PERIODIC) != 0) return initial - elapsed % initial;
        return elapsed >= initial ? 0 : initial - elapsed;
    }

    /** Guest ns of this timer's next expiry, or Long.MAX_VALUE. */
    public synchronized long nextDeadlineNanos() {
        long initial = regs[TMICT] & 0xffff_ffffL;
        if (!timerArmed || initial == 0) return Long.MAX_VALUE;
        return timerStart + (timerFired + 1) * initial * divide();
    }

    /** Raises the timer interrupt if it expired by guestNanos (missed periods collapse into one). */
    public void advanceTo(long guestNanos) {
        int lvt;
        synchronized (this) {
            long initial = regs[TMICT] & 0xffff_ffffL;
            if (!timerArmed || initial == 0) return;
            long expiries = Math.max(0, guestNanos - timerStart) / divide() / initial;
            if (expiries <= timerFired) return;
            if ((regs[LVT_TIMER] & PERIODIC) != 0) timerFired = expiries;
            else { timerFired = 1; timerArmed = false; }
            lvt = regs[LVT_TIMER];
        }
        if ((lvt & MASKED) == 0) receive(ApicBus.FIXED, lvt & 0xff, false);
    }

    // ---- MMIO ----

    @Override
    public long read(long offset, int size) {
        if ((offset & 0xf) != 0 || offset >= 0x400) return 0;
        int r = (int) (offset >> 4);
        synchronized (this) {
            return switch (r) {
                case PPR -> ppr();
                case TMCCT -> currentCount(clock.nanos());
                case EOI, RRD -> 0;
                default -> regs[r];
            } & 0xffff_ffffL;
        }
    }

    @Override
    public void write(long offset, int size, long value) {
        if ((offset & 0xf) != 0 || offset >= 0x400) return;
        int v = (int) value;
        switch ((int) (offset >> 4)) {
            case EOI -> eoi();
            case ICR_LO -> sendIpi(v);
            default -> writeRegister((int) (offset >> 4), v);
        }
    }

    private void writeRegister(int r, int v) {
        boolean timerChanged = false;
        synchronized (this) {
            boolean enabled = (regs[SVR] & SVR_ENABLE) != 0;
            switch (r) {
                case ID -> regs[ID] = v & 0xff00_0000;
                case TPR -> regs[TPR] = v & 0xff;
                case LDR -> regs[LDR] = v & 0xff00_0000;
                case DFR -> regs[DFR] = v | 0x0fff_ffff;
                case SVR -> {
                    regs[SVR] = v & 0x13ff;
                    if ((v & SVR_ENABLE) == 0) {
                        for (int l : LVTS) regs[l] |= MASKED;
                    }
                }
                case ESR -> { regs[ESR] = pendingErrors; pendingErrors = 0; }
                case ICR_HI -> regs[ICR_HI] = v & 0xff00_0000;
                case LVT_TIMER -> { regs[r] = lvt(v, 0x300ff, enabled); timerChanged = true; }
                case LVT_CMCI, LVT_THERMAL, LVT_PERF -> regs[r] = lvt(v, 0x107ff, enabled);
                case LVT_LINT0, LVT_LINT1 -> regs[r] = lvt(v, 0x1a7ff, enabled) | (regs[r] & (1 << 14));
                case LVT_ERROR -> regs[r] = lvt(v, 0x100ff, enabled);
                case TMICT -> {
                    regs[TMICT] = v;
                    timerStart = clock.nanos();
                    timerFired = 0;
                    timerArmed = v != 0;
                    timerChanged = true;
                }
                case TDCR -> {
                    long now = clock.nanos(), current = currentCount(now), initial = regs[TMICT] & 0xffff_ffffL;
                    regs[TDCR] = v & 0xb;
                    if (timerArmed) timerStart = now - (initial - current) * divide(); // keep the count, change the pace
                    timerChanged = true;
                }
                default -> { } // read-only or reserved
            }
            refresh();
        }
        if (timerChanged) deadlineListener.run();
    }

    /** An LVT write: writable bits only, and the mask stays set while the APIC is software-disabled. */
    private static int lvt(int v, int writable, boolean enabled) {
        return (v & writable) | (enabled ? 0 : MASKED);
    }

    private void eoi() {
        int v;
        boolean level;
        synchronized (this) {
            v = highest(ISR);
            if (v < 0) return;
            set(ISR, v, false);
            level = test(TMR, v);
            refresh();
        }
        IoApic io = ioapic;
        if (level && io != null) io.endOfInterrupt(v); // IOAPIC lock taken with ours released
    }

    private void sendIpi(int lo) {
        int dest, errorVector = -1;
        synchronized (this) {
            regs[ICR_LO] = lo & ~(1 << 12); // delivery status: always idle, the message is sent at once
            dest = regs[ICR_HI] >>> 24;
        }
        int mode = (lo >> 8) & 7, vector = lo & 0xff, shorthand = (lo >> 18) & 3;
        boolean logical = (lo & (1 << 11)) != 0, assert_ = (lo & (1 << 14)) != 0, level = (lo & (1 << 15)) != 0;
        if (mode == ApicBus.INIT && level && !assert_) return; // INIT level de-assert: only resyncs arbitration IDs
        if ((mode == ApicBus.FIXED || mode == ApicBus.LOWEST_PRIORITY) && vector < 16) {
            synchronized (this) { errorVector = error(1 << 5); } // send illegal vector
            if (errorVector >= 0) accept(errorVector, false);
            return;
        }
        bus.deliver(dest, logical, mode, vector, false, shorthand, this);
    }

    // ---- state ----

    /** The 1 KiB register page (VcpuState.lapic), TMCCT and PPR filled in. */
    public synchronized byte[] exportPage() {
        byte[] page = new byte[VcpuState.LAPIC_SIZE];
        for (int r = 0; r < regs.length; r++) {
            int v = switch (r) {
                case PPR -> ppr();
                case TMCCT -> (int) currentCount(clock.nanos());
                default -> regs[r];
            };
            for (int b = 0; b < 4; b++) page[r * 16 + b] = (byte) (v >>> (8 * b));
        }
        return page;
    }

    /** Loads a register page; the timer resumes from its current count (a periodic one then reloads TMICT). */
    public void importPage(byte[] page) {
        if (page.length != VcpuState.LAPIC_SIZE) throw new IllegalArgumentException("LAPIC page of " + page.length + " bytes");
        synchronized (this) {
            for (int r = 0; r < regs.length; r++) {
                int o = r * 16;
                regs[r] = (page[o] & 0xff) | (page[o + 1] & 0xff) << 8 | (page[o + 2] & 0xff) << 16 | (page[o + 3] & 0xff) << 24;
            }
            regs[VER] = VERSION;
            long initial = regs[TMICT] & 0xffff_ffffL, current = regs[TMCCT] & 0xffff_ffffL;
            regs[TMCCT] = 0;
            long now = clock.nanos();
            timerFired = 0;
            timerArmed = initial != 0 && (current != 0 || (regs[LVT_TIMER] & PERIODIC) != 0);
            if (current == 0 || current > initial) current = initial;
            timerStart = now - (initial - current) * divide();
            pendingErrors = 0;
            nmiPending = extIntPending = false;
            refresh();
        }
        deadlineListener.run();
    }
}
