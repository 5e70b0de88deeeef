package org.jvirt.vmm.cpu.kvm;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.cpu.CpuRegisters;
import org.jvirt.vmm.cpu.CpuidEntry;
import org.jvirt.vmm.cpu.Vcpu;
import org.jvirt.vmm.cpu.VcpuExit;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.kvm.KvmException;
import org.jvirt.vmm.kvm.KvmCpuid;
import org.jvirt.vmm.kvm.KvmLapic;
import org.jvirt.vmm.kvm.KvmLayout;
import org.jvirt.vmm.kvm.KvmMsrs;
import org.jvirt.vmm.kvm.KvmRegs;
import org.jvirt.vmm.kvm.KvmRun;
import org.jvirt.vmm.kvm.KvmSegment;
import org.jvirt.vmm.kvm.KvmSregs;
import org.jvirt.vmm.kvm.KvmVcpuEvents;
import org.jvirt.vmm.kvm.LibC;
import org.jvirt.vmm.kvm.RawStruct;
import org.jvirt.vmm.kvm.VcpuFd;

import java.lang.invoke.VarHandle;
import java.util.List;

import static org.jvirt.vmm.kvm.KvmRun.*;

/**
 * A KVM vCPU: the exit loop reads kvm_run through its mapping and dispatches port I/O and MMIO
 * to the buses without allocating. Registers come back through KVM_CAP_SYNC_REGS when the host
 * has it (no KVM_GET_REGS ioctl, ~6 µs each on this kind of host).
 */
public final class KvmVcpu implements Vcpu {
    private final VcpuFd fd;
    private final KvmRun run;
    private final int index;
    private final IoBus pio, mmio;
    private final int kickSignal;
    private final boolean syncRegs;
    private final boolean hasXcrs;
    private final KvmVcpuState state;
    private volatile long threadId;
    /** True while run() executes; state export/import refuse then (KVM would serialize, not stop, them). */
    private volatile boolean running;
    private String errorDetail = "";

    // state buffers, allocated once
    private final KvmRegs regs = KvmRegs.allocate();
    private final KvmSregs sregs = KvmSregs.allocate();
    private final KvmSregs powerOnSregs = KvmSregs.allocate();
    private final KvmLapic powerOnLapic = KvmLapic.allocate();
    private final KvmMsrs bootMsrs = BootMsrs.create();
    private final KvmVcpuEvents events = KvmVcpuEvents.allocate();
    private final RawStruct fpu = new RawStruct(KvmLayout.FPU_SIZE);
    private final RawStruct debugRegs = new RawStruct(KvmLayout.DEBUGREGS_SIZE);
    private final RawStruct xcrs = new RawStruct(KvmLayout.XCRS_SIZE);

    KvmVcpu(VcpuFd fd, int index, List<CpuidEntry> cpuid, IoBus pio, IoBus mmio, int kickSignal,
            boolean syncRegs, boolean hasXcrs, int[] msrIndexList, int xsaveSize) {
        this.fd = fd;
        this.run = fd.kvmRun();
        this.index = index;
        this.pio = pio;
        this.mmio = mmio;
        this.kickSignal = kickSignal;
        this.syncRegs = syncRegs;
        this.hasXcrs = hasXcrs;
        this.state = xsaveSize > 0 ? new KvmVcpuState(fd, msrIndexList, xsaveSize, hasXcrs) : null;
        if (syncRegs) run.validRegs(SYNC_X86_REGS);
        setCpuid(cpuid);
        fd.getSregs(powerOnSregs);
        initLapic();
    }

    private void setCpuid(List<CpuidEntry> entries) {
        KvmCpuid c = new KvmCpuid(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            CpuidEntry e = entries.get(i);
            c.set(i, e.function(), e.index(), e.flags(), e.eax(), e.ebx(), e.ecx(), e.edx());
        }
        fd.setCpuid2(c);
    }

    /** LINT0 = ExtINT on the BSP (the 8259 PIC's path in virtual-wire mode), LINT1 = NMI everywhere. */
    private void initLapic() {
        fd.getLapic(powerOnLapic);
        if (index == 0) powerOnLapic.setDeliveryMode(KvmLapic.LVT_LINT0, KvmLapic.DELIVERY_EXTINT);
        powerOnLapic.setDeliveryMode(KvmLapic.LVT_LINT1, KvmLapic.DELIVERY_NMI);
        fd.setLapic(powerOnLapic);
    }

    @Override public int index() { return index; }

    @Override
    public void bindToCurrentThread() {
        threadId = LibC.pthread_self();
    }

    @Override
    public VcpuExit run() {
        running = true;
        try {
            return runLoop();
        } finally {
            running = false;
        }
    }

    private VcpuExit runLoop() {
        KvmRun r = run;
        while (true) {
            if (!fd.run()) return interrupted();
            int reason = r.exitReason();
            switch (reason) {
                case EXIT_IO -> handleIo(r);
                case EXIT_MMIO -> handleMmio(r);
                case EXIT_INTR -> { return interrupted(); }
                case EXIT_HLT -> { return VcpuExit.HALTED; }
                case EXIT_SHUTDOWN -> { return VcpuExit.SHUTDOWN; }
                case EXIT_SYSTEM_EVENT -> {
                    int type = r.u32(SYSTEM_EVENT_TYPE);
                    if (type == SYSTEM_EVENT_SHUTDOWN) return VcpuExit.POWER_OFF;
                    if (type == SYSTEM_EVENT_RESET) return VcpuExit.RESET;
                    return error(String.format("KVM system event %d (%s)", type,
                            type == SYSTEM_EVENT_CRASH ? "guest crash" : "unhandled"));
                }
                case EXIT_INTERNAL_ERROR -> {
                    int sub = r.u32(INTERNAL_SUBERROR);
                    int ndata = Math.min(r.u32(INTERNAL_NDATA), 16);
                    StringBuilder data = new StringBuilder();
                    for (int i = 0; i < ndata; i++) data.append(i == 0 ? "" : " ").append(Long.toHexString(r.u64(INTERNAL_DATA + 8 * i)));
                    return error(String.format("KVM internal error: suberror %d%s, data [%s]", sub,
                            sub == INTERNAL_ERROR_EMULATION ? " (emulation failure)" : "", data));
                }
                case EXIT_FAIL_ENTRY -> {
                    return error(String.format("KVM entry failed: hardware entry failure reason 0x%x",
                            r.u64(FAIL_ENTRY_REASON)));
                }
                case EXIT_EXCEPTION -> {
                    return error(String.format("unhandled guest exception %d (error code 0x%x)",
                            r.u32(EX_EXCEPTION), r.u32(EX_ERROR_CODE)));
                }
                default -> { return error("unhandled KVM exit " + exitName(reason)); }
            }
        }
    }

    /**
     * After a kick: clear immediate_exit, then a full fence so the caller's next read of its
     * pause/stop flags cannot be ordered before the clear (a kicker sets its flag first, then
     * immediate_exit; either we see the flag or the next KVM_RUN exits at once).
     */
    private VcpuExit interrupted() {
        run.immediateExit(false);
        VarHandle.fullFence();
        return VcpuExit.INTERRUPTED;
    }

    private void handleIo(KvmRun r) {
        int port = r.ioPort();
        int size = r.ioSize();
        int count = r.ioCount();
        int offset = r.ioDataOffset();
        if (r.ioDirection() == IO_OUT) {
            for (int i = 0; i < count; i++, offset += size) pio.write(port, size, r.readData(offset, size));
        } else {
            for (int i = 0; i < count; i++, offset += size) r.writeData(offset, size, pio.read(port, size));
        }
    }

    private void handleMmio(KvmRun r) {
        long address = r.mmioAddress();
        int len = r.mmioLength();
        if (len < 1 || len > 8) return; // cannot happen on x86; never index past data[8]
        if (r.mmioIsWrite()) mmio.write(address, len, r.readData(MMIO_DATA, len));
        else r.writeData(MMIO_DATA, len, mmio.read(address, len));
    }

    private VcpuExit error(String what) {
        String where;
        try {
            where = registers().toString();
        } catch (RuntimeException e) {
            where = "registers unavailable: " + e.getMessage();
        }
        errorDetail = "vCPU " + index + ": " + what + "; " + where;
        return VcpuExit.ERROR;
    }

    @Override public String errorDetail() { return errorDetail; }

    @Override
    public void reset(BootCpuState boot) {
        powerOnSregs.copyTo(sregs);
        if (boot != null && boot.mode() != BootCpuState.Mode.RESET) applyBootSregs(boot); // RESET keeps KVM's power-on sregs
        fd.setSregs(sregs);

        regs.clear();
        regs.rflags(2);
        if (boot != null) {
            regs.rip(boot.rip());
            regs.set(KvmRegs.RSP, boot.rsp());
            regs.set(KvmRegs.RBX, boot.rbx());
            regs.set(KvmRegs.RSI, boot.rsi());
        }
        if (syncRegs && boot != null) { // handed over on the next KVM_RUN instead of a KVM_SET_REGS ioctl
            regs.copyTo(run.syncRegs());
            run.dirtyRegs(run.dirtyRegs() | SYNC_X86_REGS);
        } else {
            // an AP: KVM applies dirty sync regs on the first KVM_RUN after SIPI, which would
            // overwrite what SIPI set up; set the reset values now instead
            if (syncRegs) run.dirtyRegs(run.dirtyRegs() & ~SYNC_X86_REGS);
            fd.setRegs(regs);
        }

        fpu.clear();
        fpu.u16(KvmLayout.FPU_FCW, 0x37f);
        fpu.u32(KvmLayout.FPU_MXCSR, 0x1f80);
        fd.setFpu(fpu);
        if (hasXcrs) {
            xcrs.clear();
            xcrs.u32(KvmLayout.XCRS_NR, 1);
            xcrs.u64(KvmLayout.XCRS_XCRS + 8, 1); // XCR0 = x87 only
            fd.setXcrs(xcrs);
        }
        debugRegs.clear();
        debugRegs.u64(KvmLayout.DEBUGREGS_DR6, 0xffff0ff0L);
        debugRegs.u64(KvmLayout.DEBUGREGS_DR7, 0x400);
        fd.setDebugRegs(debugRegs);
        events.clear();
        fd.setVcpuEvents(events);
        fd.setMsrs(bootMsrs);
        fd.setLapic(powerOnLapic);
        fd.setMpState(boot != null ? KvmLayout.MP_STATE_RUNNABLE : KvmLayout.MP_STATE_UNINITIALIZED);
    }

    private void applyBootSregs(BootCpuState boot) {
        boolean long64 = boot.mode() == BootCpuState.Mode.LONG_64;
        // flat 4 GiB segments; a 64-bit code segment has L=1 and must have D=0
        sregs.cs().set(0, 0xffffffff, BootCpuState.CODE_SELECTOR, 0xb, 1, 0, long64 ? 0 : 1, 1, long64 ? 1 : 0, 1);
        for (KvmSegment s : new KvmSegment[]{sregs.ds(), sregs.es(), sregs.fs(), sregs.gs(), sregs.ss()}) {
            s.set(0, 0xffffffff, BootCpuState.DATA_SELECTOR, 0x3, 1, 0, 1, 1, 0, 1);
        }
        sregs.tr().set(0, 0x67, BootCpuState.TSS_SELECTOR, 0xb, 1, 0, 0, 0, 0, 0);
        sregs.gdt(boot.gdtBase(), boot.gdtLimit());
        sregs.idt(0, 0);
        if (long64) {
            sregs.cr0(0x80050033L);      // PG|AM|WP|NE|ET|MP|PE
            sregs.cr3(boot.cr3());
            sregs.cr4(0x620);            // PAE|OSFXSR|OSXMMEXCPT
            sregs.efer(0x500);           // LME|LMA
        } else {
            sregs.cr0(0x11);             // PE|ET, paging off
            sregs.cr3(0);
            sregs.cr4(0);
            sregs.efer(0);
        }
    }

    @Override
    public CpuRegisters registers() {
        KvmRegs r;
        if (syncRegs) {
            r = run.syncRegs();
        } else {
            fd.getRegs(regs);
            r = regs;
        }
        fd.getSregs(sregs);
        return new CpuRegisters(r.get(KvmRegs.RAX), r.get(KvmRegs.RBX), r.get(KvmRegs.RCX), r.get(KvmRegs.RDX),
                r.get(KvmRegs.RSI), r.get(KvmRegs.RDI), r.get(KvmRegs.RSP), r.get(KvmRegs.RBP), r.rip(), r.rflags(),
                sregs.cr0(), sregs.u64(KvmSregs.CR3), sregs.cr4(), sregs.efer(), sregs.cs().selector(), sregs.cs().base());
    }

    /**
     * KVM completes an I/O or MMIO exit (stores an IN's data, steps RIP past an OUT) only when
     * KVM_RUN is entered again, and that pending step is not part of any state KVM reports. So
     * before reading or replacing the state, re-enter with immediate_exit set: KVM finishes the
     * instruction and returns EINTR without running guest code (a string I/O may need more
     * rounds through the buses). This also applies and refreshes the sync-regs copy.
     */
    private void completePendingIo() {
        boolean kicked = run.immediateExit(); // a kick that came while stopped must still stop the next run()
        run.immediateExit(true);
        try {
            while (fd.run()) {
                int reason = run.exitReason();
                if (reason == EXIT_IO) handleIo(run);
                else if (reason == EXIT_MMIO) handleMmio(run);
                else break;
            }
        } finally {
            run.immediateExit(kicked);
        }
    }

    private KvmVcpuState stateIo() {
        if (running) {
            throw new IllegalStateException("vCPU " + index + " is running: its state can only be exported or imported while it is stopped");
        }
        if (state == null) throw new KvmException("vCPU state export needs KVM_CAP_XSAVE, which this KVM lacks");
        return state;
    }

    @Override
    public VcpuState exportState() {
        KvmVcpuState io = stateIo();
        completePendingIo();
        return io.export();
    }

    @Override
    public void importState(VcpuState s) {
        KvmVcpuState io = stateIo();
        completePendingIo(); // else a pending OUT would step the imported RIP, a pending IN overwrite RAX
        if (syncRegs) run.dirtyRegs(run.dirtyRegs() & ~SYNC_X86_REGS);
        io.load(s);
        completePendingIo(); // refreshes kvm_run's sync-regs copy, which registers() reads
    }

    /** The MP state (KvmLayout.MP_STATE_*), for tests and diagnostics. */
    public int mpState() { return fd.getMpState(); }

    @Override
    public void kick() {
        fd.kick(threadId, kickSignal);
    }

    @Override
    public void close() {
        fd.close();
    }
}
