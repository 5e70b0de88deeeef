package org.jvirt.vmm.emu;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.cpu.CpuRegisters;
import org.jvirt.vmm.cpu.Vcpu;
import org.jvirt.vmm.cpu.VcpuExit;
import org.jvirt.vmm.cpu.state.MpState;
import org.jvirt.vmm.cpu.state.PendingEvents;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuProfile;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.ExtensionUnit;
import org.jvirt.vmm.emu.cpu.SystemUnit;
import org.jvirt.vmm.emu.cpu.X86Cpu;
import org.jvirt.vmm.emu.jit.JvmBlockTranslator;
import org.jvirt.vmm.emu.cpu.paging.PageWalker;
import org.jvirt.vmm.emu.cpu.system.X86SystemUnit;
import org.jvirt.vmm.emu.platform.EmuPlatform;
import org.jvirt.vmm.emu.platform.GuestClock;
import org.jvirt.vmm.emu.platform.LocalApic;

import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * One emulated vCPU (emu/package-info.java has the design): the instruction core with the full
 * system unit, the page walker and the vCPU's own local APIC as interrupt source. HLT and
 * wait-for-SIPI park the vCPU thread inside {@link #run} until the APIC has something for it
 * or a kick comes, so Machine never sees a HALTED exit. Everything is built once: the run
 * loop allocates nothing.
 */
final class EmuVcpu implements Vcpu, LocalApic.Listener {
    /**
     * Instructions per X86Cpu.run call (a kick stops the core at once through requestStop).
     * Between calls the vCPU fires the platform's due timers itself: the timer thread alone
     * can be scheduled late on a busy host (JIT threads). 5000 (not 20000): the PIT's owed ticks
     * are paid one per advance, so a slow (cold or starved) core must advance often to keep
     * a 1000 Hz guest timer's count (measured with the pit-timer guest on a loaded host).
     */
    private static final long BUDGET = 5_000;
    /** Longest park without a wake-up: a safety net against a lost unpark, not the timer's pace. */
    private static final long MAX_PARK_NANOS = 50_000_000L;
    private static final long AP_APIC_BASE = LocalApic.DEFAULT_BASE | LocalApic.BASE_ENABLE;

    private final int index;
    private final CpuState state = new CpuState();
    private final X86Cpu cpu;
    private final X86SystemUnit system;
    private final ExtensionUnit fpu;
    private final PageWalker walker;
    private final LocalApic apic;
    private final EmuPhysicalBus sharedBus;
    private final GuestClock clock;
    private final EmuPlatform platform;

    private volatile Thread thread;
    private volatile boolean kicked;
    /** Set by every APIC wake-up; cleared before the vCPU looks for work and parks. */
    private volatile boolean woken;
    private volatile boolean initPending;
    /** The vector of a STARTUP IPI not yet taken, or -1. */
    private volatile int sipiVector = -1;
    private boolean waitingForSipi;
    /** Events another backend had accepted (state import), delivered before the next instruction. */
    private PendingEvents carried = PendingEvents.NONE;
    private String errorDetail = "";
    private final VcpuStateLog stateLog = new VcpuStateLog();

    EmuVcpu(int index, EmuPhysicalBus sharedBus, EmuPlatform platform) {
        this.index = index;
        this.sharedBus = sharedBus;
        this.platform = platform;
        this.apic = platform.localApic(index);
        this.clock = platform.clock();
        int vcpuCount = platform.vcpuCount();
        LocalApicWindow bus = new LocalApicWindow(sharedBus, state, apic);
        cpu = new X86Cpu(state, bus, CpuProfile.X86_64);
        walker = new PageWalker(state, bus);
        fpu = newExtensionUnit(state);
        cpu.setTranslator(walker);
        attachBlockTranslator(cpu);
        // TSC = guest ns + the CPU's own offset (WRMSR TSC): the clock's own TSC offset stays 0
        system = new X86SystemUnit(state, cpu.linearMemory(), walker, clock::nanos, index, vcpuCount);
        system.setApicBaseListener(apic::setApicBase);
        cpu.setSystemUnit(system);
        cpu.setExtensionUnit(fpu);
        cpu.setInterruptSource(apic);
        apic.setListener(this);
    }

    /** Shared by all vCPUs (it keeps no per-CPU state). */
    private static final JvmBlockTranslator BLOCK_TRANSLATOR = new JvmBlockTranslator();

    /** Hot blocks to JVM bytecode, unless -Djvirt.emu.jit=false (for comparing with the interpreter alone). */
    static void attachBlockTranslator(X86Cpu cpu) {
        if (JvmBlockTranslator.enabled()) cpu.setBlockTranslator(BLOCK_TRANSLATOR, JvmBlockTranslator.DEFAULT_RUNS_BEFORE);
    }

    /** The x87/SSE unit of a new vCPU. */
    static ExtensionUnit newExtensionUnit(CpuState state) {
        return new org.jvirt.vmm.emu.fpu.X87Sse(state);
    }

    @Override public int index() { return index; }

    @Override public void bindToCurrentThread() { thread = Thread.currentThread(); }

    @Override
    public VcpuExit run() {
        try {
            while (true) {
                if (kicked) {
                    kicked = false;
                    return VcpuExit.INTERRUPTED;
                }
                if (initPending) {
                    initPending = false;
                    enterWaitForSipi();
                }
                if (waitingForSipi) {
                    int v = sipiVector;
                    if (v < 0) {
                        awaitEvent(false);
                        continue;
                    }
                    sipiVector = -1;
                    startAt(v);
                } else if (sipiVector >= 0) {
                    sipiVector = -1; // a STARTUP IPI outside wait-for-SIPI is ignored
                }
                if (carried != PendingEvents.NONE && !deliverCarried()) return VcpuExit.SHUTDOWN;
                if (clock.nanos() >= platform.nextDeadlineNanos()) platform.advance();
                if (stateLog.due()) stateLog.write(index, state, waitingForSipi, sharedBus);
                switch (cpu.run(BUDGET)) {
                    case BUDGET, STOPPED -> { } // a stop request is a kick: seen at the top
                    case HALTED -> awaitEvent(true);
                    case SHUTDOWN -> { return VcpuExit.SHUTDOWN; }
                }
            }
        } catch (RuntimeException e) {
            errorDetail = "vCPU " + index + ": emulator failure at RIP 0x" + Long.toHexString(state.rip)
                    + " (CS base 0x" + Long.toHexString(state.seg[CpuState.CS].base) + "): " + e;
            return VcpuExit.ERROR;
        }
    }

    /** Parks until a wake-up, an INIT/SIPI or a kick; halted: also returns when an interrupt is deliverable. */
    private void awaitEvent(boolean halted) {
        woken = false;
        while (!kicked && !woken && !initPending && (halted || sipiVector < 0)) {
            if (halted && (state.rflags() & CpuState.IF) != 0 && apic.hasInterrupt()) return;
            LockSupport.parkNanos(this, MAX_PARK_NANOS);
            if (stateLog.due()) stateLog.write(index, state, waitingForSipi, sharedBus);
        }
    }

    private void enterWaitForSipi() {
        EmuBootEntry.apply(state, null);
        state.apicBase = AP_APIC_BASE | (apic.apicBase() & LocalApic.BASE_BSP);
        if (fpu != null) fpu.reset();
        walker.flushAll();
        waitingForSipi = true;
    }

    /** SIPI vector v: real mode at CS = v << 8 (base v << 12), IP 0. */
    private void startAt(int v) {
        state.seg[CpuState.CS].reset(v << 8, (long) v << 12, true);
        state.rip = 0;
        state.halted = false;
        waitingForSipi = false;
    }

    /** Delivers what a state import carried over; false when that delivery shut the CPU down. */
    private boolean deliverCarried() {
        PendingEvents e = carried;
        carried = PendingEvents.NONE;
        if (e.interruptShadow() != 0) state.interruptShadow = true;
        try {
            if (e.exceptionInjected() || e.exceptionPending()) {
                system.deliver(e.exceptionVector(), SystemUnit.EXCEPTION, e.exceptionHasErrorCode(), e.exceptionErrorCode(), state.rip);
            } else if (e.nmiInjected() || e.nmiPending()) {
                system.deliver(CpuFault.NMI, SystemUnit.NMI, false, 0, state.rip);
            } else if (e.interruptInjected()) {
                system.deliver(e.interruptVector(),
                        e.interruptSoft() ? SystemUnit.SOFTWARE_INTERRUPT : SystemUnit.HARDWARE_INTERRUPT, false, 0, state.rip);
            }
            return true;
        } catch (CpuFault f) {
            return false;
        }
    }

    @Override public String errorDetail() { return errorDetail; }

    @Override
    public void reset(BootCpuState boot) {
        apic.reset();
        EmuBootEntry.apply(state, boot);
        state.apicBase = apic.apicBase();
        if (fpu != null) fpu.reset();
        walker.flushAll();
        sharedBus.invalidateAllCode();
        waitingForSipi = boot == null;
        initPending = false;
        sipiVector = -1;
        carried = PendingEvents.NONE;
    }

    @Override
    public CpuRegisters registers() {
        long[] g = state.gpr;
        return new CpuRegisters(g[CpuState.RAX], g[CpuState.RBX], g[CpuState.RCX], g[CpuState.RDX], g[CpuState.RSI],
                g[CpuState.RDI], g[CpuState.RSP], g[CpuState.RBP], state.rip, state.rflags(), state.cr0, state.cr3, state.cr4,
                state.efer, state.seg[CpuState.CS].selector, state.seg[CpuState.CS].base);
    }

    @Override
    public VcpuState exportState() {
        MpState mp = waitingForSipi ? MpState.UNINITIALIZED : CpuStateMapping.mpStateOf(state);
        return CpuStateMapping.export(state, fpu, apic.exportPage(), clock.nanos() + state.tscOffset, Map.of(), mp);
    }

    @Override
    public void importState(VcpuState v) {
        CpuStateMapping.Loaded l = CpuStateMapping.load(v, state, fpu);
        apic.setApicBase(state.apicBase);
        apic.importPage(l.lapic());
        state.tscOffset = l.tsc() - clock.nanos();
        waitingForSipi = l.mpState() == MpState.UNINITIALIZED || l.mpState() == MpState.INIT_RECEIVED;
        carried = l.events();
        walker.flushAll();
        sharedBus.invalidateAllCode();
    }

    @Override
    public void kick() {
        kicked = true;
        cpu.requestStop();
        unpark();
    }

    private void unpark() {
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
    }

    // ---- LocalApic.Listener (any thread; must not call back into the chips) ----

    @Override
    public void wake() {
        woken = true;
        unpark();
    }

    @Override
    public void init() {
        sipiVector = -1;
        initPending = true;
        cpu.requestStop(); // leave the core at the next boundary: INIT stops the running code
        unpark();
    }

    @Override
    public void startup(int vector) {
        sipiVector = vector;
        unpark();
    }

    @Override public void close() { }
}
