package org.jvirt.vmm.emu;

// DRAFT, NOT COMPILED (src/test/java-pending is no source root). The integrator's starting point
// for the vCPU of emu/package-info.java, written before X86Cpu, X87Sse, X86SystemUnit, PageWalker
// and the platform classes were merged. The X86Cpu calls follow their announced API; every
// LocalApic method used here is an ASSUMPTION (marked "assumed"): rename to what the platform
// helper wrote.

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.cpu.CpuRegisters;
import org.jvirt.vmm.cpu.Vcpu;
import org.jvirt.vmm.cpu.VcpuExit;
import org.jvirt.vmm.cpu.state.MpState;
import org.jvirt.vmm.cpu.state.PendingEvents;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.SystemUnit;
import org.jvirt.vmm.emu.cpu.X86Cpu;
import org.jvirt.vmm.emu.cpu.CpuProfile;
import org.jvirt.vmm.emu.cpu.paging.PageWalker;
import org.jvirt.vmm.emu.cpu.system.X86SystemUnit;
import org.jvirt.vmm.emu.fpu.X87Sse;
import org.jvirt.vmm.emu.platform.GuestClock;
import org.jvirt.vmm.emu.platform.LocalApic;

import java.util.Map;

final class EmuVcpu implements Vcpu {
    /** Instructions per X86Cpu.run call: bounds how long a kick waits (~1 ms at 100 MIPS). */
    private static final long BUDGET = 100_000;

    private final int index;
    private final CpuState state = new CpuState();
    private final X86Cpu cpu;
    private final X87Sse fpu;
    private final PageWalker walker;
    private final LocalApic apic;
    private final EmuPhysicalBus sharedBus;
    private final GuestClock clock;
    private volatile boolean kicked;
    private boolean waitingForSipi;
    /** Events another backend had accepted (state import), delivered before the next instruction. */
    private PendingEvents carried = PendingEvents.NONE;
    private String errorDetail = "";

    EmuVcpu(int index, EmuPhysicalBus sharedBus, LocalApic apic, GuestClock clock) {
        this.index = index;
        this.sharedBus = sharedBus;
        this.apic = apic;
        this.clock = clock;
        LocalApicWindow bus = new LocalApicWindow(sharedBus, state, apic /* assumed: LocalApic implements IoDevice */);
        cpu = new X86Cpu(state, bus, CpuProfile.X86_64);
        walker = new PageWalker(state, bus);
        fpu = new X87Sse(state);
        cpu.setTranslator(walker);
        cpu.setSystemUnit(new X86SystemUnit(state, cpu.linearMemory(), walker, clock::tsc /* assumed */));
        cpu.setExtensionUnit(fpu);
        cpu.setInterruptSource(apic);
        apic.setWakeUp(this::wake); // assumed: called when an interrupt, NMI, INIT or SIPI arrives for this vCPU
    }

    @Override public int index() { return index; }

    @Override public void bindToCurrentThread() { }

    @Override
    public VcpuExit run() {
        try {
            while (true) {
                if (kicked) {
                    kicked = false;
                    return VcpuExit.INTERRUPTED;
                }
                if (apic.takeInit()) { // assumed
                    EmuBootEntry.apply(state, null);
                    state.apicBase = apic.apicBaseAfterInit(); // assumed: BSP flag clear on APs
                    fpu.reset();
                    waitingForSipi = true;
                }
                if (waitingForSipi) {
                    int sipi = apic.takeSipi(); // assumed: -1 when none
                    if (sipi < 0) {
                        apic.awaitEvent(); // assumed: returns on INIT/SIPI/interrupt or wake()
                        continue;
                    }
                    state.seg[CpuState.CS].loadReal(sipi << 8);
                    state.rip = 0;
                    waitingForSipi = false;
                }
                if (carried != PendingEvents.NONE) deliverCarried();
                switch (cpu.run(BUDGET)) {
                    case BUDGET -> { }
                    case HALTED -> apic.awaitEvent(); // HLT never reaches Machine: it treats HALTED as an error
                    case STOPPED -> { } // requestStop from kick(): the flag is seen at the top
                    case SHUTDOWN -> { return VcpuExit.SHUTDOWN; }
                }
            }
        } catch (RuntimeException e) {
            errorDetail = "vCPU " + index + ": emulator failure " + e + " at RIP 0x" + Long.toHexString(state.rip);
            return VcpuExit.ERROR;
        }
    }

    private void deliverCarried() {
        PendingEvents e = carried;
        carried = PendingEvents.NONE;
        SystemUnit sys = cpu.systemUnit(); // assumed accessor, or keep the X86SystemUnit in a field
        if (e.exceptionInjected() || e.exceptionPending()) {
            sys.deliver(e.exceptionVector(), SystemUnit.EXCEPTION, e.exceptionHasErrorCode(), e.exceptionErrorCode(), state.rip);
        } else if (e.nmiInjected() || e.nmiPending()) {
            sys.deliver(2, SystemUnit.NMI, false, 0, state.rip);
        } else if (e.interruptInjected()) {
            sys.deliver(e.interruptVector(), e.interruptSoft() ? SystemUnit.SOFTWARE_INTERRUPT : SystemUnit.HARDWARE_INTERRUPT,
                    false, 0, state.rip);
        }
    }

    private void wake() { /* the LocalApic's wait returns by itself; nothing else to do */ }

    @Override public String errorDetail() { return errorDetail; }

    @Override
    public void reset(BootCpuState boot) {
        EmuBootEntry.apply(state, boot);
        if (index != 0) state.apicBase = 0xfee00800L; // no BSP flag
        fpu.reset();
        apic.reset(index == 0); // assumed: power-on page, LINT0 ExtINT on the BSP, LINT1 NMI
        walker.flushAll();
        sharedBus.invalidateAllCode();
        waitingForSipi = boot == null;
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
        return CpuStateMapping.export(state, fpu, apic.page() /* assumed: 1 KiB */, clock.tsc() + state.tscOffset,
                Map.of(0x6e0, apic.tscDeadline() /* assumed */), mp);
    }

    @Override
    public void importState(VcpuState v) {
        CpuStateMapping.Loaded l = CpuStateMapping.load(v, state, fpu);
        apic.loadPage(l.lapic()); // assumed
        Long deadline = l.otherMsrs().get(0x6e0);
        if (deadline != null) apic.setTscDeadline(deadline); // assumed
        state.tscOffset = l.tsc() - clock.tsc();
        waitingForSipi = l.mpState() == MpState.UNINITIALIZED || l.mpState() == MpState.INIT_RECEIVED;
        carried = l.events();
        walker.flushAll();
        sharedBus.invalidateAllCode();
    }

    @Override
    public void kick() {
        kicked = true;
        cpu.requestStop();
        apic.wakeUp(); // assumed: ends awaitEvent()
    }

    @Override public void close() { }
}
