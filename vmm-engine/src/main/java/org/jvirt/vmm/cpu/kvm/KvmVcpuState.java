package org.jvirt.vmm.cpu.kvm;

import org.jvirt.vmm.cpu.state.DebugRegisters;
import org.jvirt.vmm.cpu.state.DescriptorTable;
import org.jvirt.vmm.cpu.state.ExtendedState;
import org.jvirt.vmm.cpu.state.GeneralRegisters;
import org.jvirt.vmm.cpu.state.MpState;
import org.jvirt.vmm.cpu.state.PendingEvents;
import org.jvirt.vmm.cpu.state.Segment;
import org.jvirt.vmm.cpu.state.SystemRegisters;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.kvm.KvmException;
import org.jvirt.vmm.kvm.KvmLapic;
import org.jvirt.vmm.kvm.KvmLayout;
import org.jvirt.vmm.kvm.KvmMsrs;
import org.jvirt.vmm.kvm.KvmRegs;
import org.jvirt.vmm.kvm.KvmSegment;
import org.jvirt.vmm.kvm.KvmSregs;
import org.jvirt.vmm.kvm.KvmVcpuEvents;
import org.jvirt.vmm.kvm.RawStruct;
import org.jvirt.vmm.kvm.VcpuFd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.jvirt.vmm.kvm.KvmVcpuEvents.*;

/**
 * Converts between a KVM vCPU's ioctl structs and the backend-neutral {@link VcpuState}. Not a
 * hot path (a save or restore): buffers are allocated per call. The import order follows QEMU's
 * kvm_arch_put_registers: registers, XSAVE, XCRs, sregs, then the LAPIC before the MSRs (so a
 * TSC-deadline MSR lands on a LAPIC already in deadline mode), events, MP state, debug registers.
 */
final class KvmVcpuState {
    /** kvm_regs offsets in GeneralRegisters index order. */
    private static final int[] GPR_OFFSETS = {KvmRegs.RAX, KvmRegs.RBX, KvmRegs.RCX, KvmRegs.RDX, KvmRegs.RSI, KvmRegs.RDI,
            KvmRegs.RSP, KvmRegs.RBP, KvmRegs.R8, KvmRegs.R9, KvmRegs.R10, KvmRegs.R11, KvmRegs.R12, KvmRegs.R13, KvmRegs.R14,
            KvmRegs.R15};
    private final VcpuFd fd;
    private final int xsaveSize;
    private final boolean hasXcrs;
    /** KVM_GET_MSR_INDEX_LIST minus the TSC; narrowed on first export to those KVM_GET_MSRS accepts. */
    private int[] saveableMsrs;
    private boolean msrsFiltered;

    KvmVcpuState(VcpuFd fd, int[] msrIndexList, int xsaveSize, boolean hasXcrs) {
        this.fd = fd;
        this.xsaveSize = xsaveSize;
        this.hasXcrs = hasXcrs;
        this.saveableMsrs = Arrays.stream(msrIndexList).filter(i -> i != VcpuState.MSR_TSC).toArray();
    }

    VcpuState export() {
        KvmRegs r = KvmRegs.allocate();
        fd.getRegs(r);
        long[] gprs = new long[GeneralRegisters.COUNT];
        for (int i = 0; i < gprs.length; i++) gprs[i] = r.get(GPR_OFFSETS[i]);
        GeneralRegisters general = new GeneralRegisters(gprs, r.rip(), r.rflags());

        KvmSregs s = KvmSregs.allocate();
        fd.getSregs(s);
        SystemRegisters system = new SystemRegisters(segment(s.cs()), segment(s.ds()), segment(s.es()), segment(s.fs()),
                segment(s.gs()), segment(s.ss()), segment(s.tr()), segment(s.ldt()),
                new DescriptorTable(s.u64(KvmSregs.GDT), s.u16(KvmSregs.GDT + KvmSregs.DTABLE_LIMIT)),
                new DescriptorTable(s.u64(KvmSregs.IDT), s.u16(KvmSregs.IDT + KvmSregs.DTABLE_LIMIT)),
                s.cr0(), s.u64(KvmSregs.CR2), s.u64(KvmSregs.CR3), s.cr4(), s.u64(KvmSregs.CR8), s.efer(), s.apicBase(),
                new long[]{s.u64(KvmSregs.INTERRUPT_BITMAP), s.u64(KvmSregs.INTERRUPT_BITMAP + 8),
                        s.u64(KvmSregs.INTERRUPT_BITMAP + 16), s.u64(KvmSregs.INTERRUPT_BITMAP + 24)});

        RawStruct d = new RawStruct(KvmLayout.DEBUGREGS_SIZE);
        fd.getDebugRegs(d);
        DebugRegisters debug = new DebugRegisters(new long[]{d.u64(0), d.u64(8), d.u64(16), d.u64(24)},
                d.u64(KvmLayout.DEBUGREGS_DR6), d.u64(KvmLayout.DEBUGREGS_DR7));

        Map<Integer, Long> msrs = readMsrs();
        long tsc = readTsc();

        RawStruct x = new RawStruct(xsaveSize);
        if (xsaveSize > KvmLayout.XSAVE_SIZE) fd.getXsave2(x);
        else fd.getXsave(x);
        Map<Integer, Long> xcrs = new HashMap<>();
        if (hasXcrs) {
            RawStruct c = new RawStruct(KvmLayout.XCRS_SIZE);
            fd.getXcrs(c);
            int n = Math.min(c.u32(KvmLayout.XCRS_NR), KvmLayout.MAX_XCRS);
            for (int i = 0; i < n; i++) {
                int at = KvmLayout.XCRS_XCRS + i * KvmLayout.XCR_SIZE;
                xcrs.put(c.u32(at + KvmLayout.XCR_XCR), c.u64(at + KvmLayout.XCR_VALUE));
            }
        }
        ExtendedState extended = new ExtendedState(canonicalXsave(x.bytes(), xcrs.getOrDefault(0, 1L)), VcpuState.byIndex(xcrs));

        KvmLapic lapic = KvmLapic.allocate();
        fd.getLapic(lapic);
        KvmVcpuEvents e = KvmVcpuEvents.allocate();
        fd.getVcpuEvents(e);
        PendingEvents events = new PendingEvents(e.u8(EXCEPTION_INJECTED) != 0, e.u8(EXCEPTION_PENDING) != 0,
                e.u8(EXCEPTION_NR), e.u8(EXCEPTION_HAS_ERROR_CODE) != 0, e.u32(EXCEPTION_ERROR_CODE),
                e.u8(EXCEPTION_HAS_PAYLOAD) != 0, e.u64(EXCEPTION_PAYLOAD),
                e.u8(INTERRUPT_INJECTED) != 0, e.u8(INTERRUPT_NR), e.u8(INTERRUPT_SOFT) != 0, e.u8(INTERRUPT_SHADOW),
                e.u8(NMI_INJECTED) != 0, e.u8(NMI_PENDING) != 0, e.u8(NMI_MASKED) != 0, e.u32(SIPI_VECTOR),
                e.u8(SMI_SMM) != 0, e.u8(SMI_PENDING) != 0, e.u8(SMI_SMM_INSIDE_NMI) != 0, e.u8(SMI_LATCHED_INIT) != 0);
        return new VcpuState(general, system, debug, VcpuState.byIndex(msrs), tsc, extended, lapic.bytes(), events,
                MpState.of(fd.getMpState()));
    }

    /**
     * XSTATE_BV (the header's bitmap of components not in their init state) depends on when the
     * host last saved the FPU: hardware clears a bit once a component is back in its init
     * state, and KVM then reports that component's init values. Setting the bit of every
     * component the guest enabled (XCR0, plus x87 and SSE) describes the same CPU state in one
     * form, so that equal states export equal bytes.
     */
    static byte[] canonicalXsave(byte[] xsave, long xcr0) {
        ByteBuffer b = ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(XSTATE_BV, b.getLong(XSTATE_BV) | xcr0 | 3);
        return xsave;
    }

    /** Offset of XSTATE_BV in the (non-compacted) XSAVE area: the first field of the header after the 512-byte legacy region. */
    static final int XSTATE_BV = 512;

    private static Segment segment(KvmSegment k) {
        return new Segment(k.base(), k.limit(), k.selector(), k.type(), k.u8(KvmSegment.PRESENT) != 0, k.u8(KvmSegment.DPL),
                k.u8(KvmSegment.DB) != 0, k.u8(KvmSegment.S) != 0, k.u8(KvmSegment.L) != 0, k.u8(KvmSegment.G) != 0,
                k.u8(KvmSegment.AVL) != 0, k.u8(KvmSegment.UNUSABLE) != 0);
    }

    private static void segment(KvmSegment k, Segment s) {
        k.u64(KvmSegment.BASE, s.base());
        k.u32(KvmSegment.LIMIT, s.limit());
        k.u16(KvmSegment.SELECTOR, s.selector());
        k.u8(KvmSegment.TYPE, s.type());
        k.u8(KvmSegment.PRESENT, s.present() ? 1 : 0);
        k.u8(KvmSegment.DPL, s.dpl());
        k.u8(KvmSegment.DB, s.db() ? 1 : 0);
        k.u8(KvmSegment.S, s.codeOrData() ? 1 : 0);
        k.u8(KvmSegment.L, s.longMode() ? 1 : 0);
        k.u8(KvmSegment.G, s.granularity() ? 1 : 0);
        k.u8(KvmSegment.AVL, s.available() ? 1 : 0);
        k.u8(KvmSegment.UNUSABLE, s.unusable() ? 1 : 0);
        k.u8(KvmSegment.UNUSABLE + 1, 0);
    }

    /**
     * Reads every saveable MSR. KVM_GET_MSRS stops at the first index it refuses (one KVM lists
     * but this vCPU's CPUID does not enable, e.g. a paravirtual MSR); the first export drops those
     * one by one, so later exports are one ioctl.
     */
    private Map<Integer, Long> readMsrs() {
        List<Integer> indices = new ArrayList<>();
        for (int i : saveableMsrs) indices.add(i);
        while (true) {
            KvmMsrs m = new KvmMsrs(Math.max(indices.size(), 1));
            m.count(indices.size());
            for (int i = 0; i < indices.size(); i++) m.set(i, indices.get(i), 0);
            int n = indices.isEmpty() ? 0 : fd.getMsrs(m);
            if (n == indices.size()) {
                Map<Integer, Long> out = new HashMap<>();
                for (int i = 0; i < n; i++) out.put(m.index(i), m.data(i));
                if (!msrsFiltered) {
                    saveableMsrs = indices.stream().mapToInt(Integer::intValue).toArray();
                    msrsFiltered = true;
                }
                return out;
            }
            if (msrsFiltered || n < 0 || n > indices.size()) {
                throw new KvmException(String.format("KVM_GET_MSRS read %d of %d saveable MSRs (refused 0x%x)",
                        n, indices.size(), indices.get(Math.max(0, Math.min(n, indices.size() - 1)))));
            }
            indices.remove(n);
        }
    }

    private long readTsc() {
        KvmMsrs m = new KvmMsrs(1);
        m.count(1);
        m.set(0, VcpuState.MSR_TSC, 0);
        if (fd.getMsrs(m) != 1) throw new KvmException("KVM_GET_MSRS did not read IA32_TSC");
        return m.data(0);
    }

    void load(VcpuState state) {
        // what this KVM cannot take is refused before any of the vCPU's state is replaced
        byte[] xs = state.extended().xsave();
        if (xs.length > xsaveSize) {
            throw new KvmException(String.format("the saved XSAVE area has %d bytes, this KVM takes at most %d", xs.length, xsaveSize));
        }
        if (state.extended().xcrs().size() > KvmLayout.MAX_XCRS) throw new KvmException("more than " + KvmLayout.MAX_XCRS + " XCRs");
        if (!hasXcrs && !state.extended().xcrs().isEmpty()) {
            throw new KvmException("the saved state has XCRs, but this KVM lacks KVM_CAP_XCRS");
        }
        KvmRegs r = KvmRegs.allocate();
        GeneralRegisters g = state.general();
        for (int i = 0; i < GPR_OFFSETS.length; i++) r.set(GPR_OFFSETS[i], g.get(i));
        r.rip(g.rip());
        r.rflags(g.rflags());
        fd.setRegs(r);

        RawStruct x = new RawStruct(xsaveSize);
        byte[] padded = Arrays.copyOf(xs, xsaveSize);
        x.bytes(padded);
        fd.setXsave(x);
        if (hasXcrs) {
            RawStruct c = new RawStruct(KvmLayout.XCRS_SIZE);
            int i = 0;
            for (Map.Entry<Integer, Long> xcr : state.extended().xcrs().entrySet()) {
                int at = KvmLayout.XCRS_XCRS + i++ * KvmLayout.XCR_SIZE;
                c.u32(at + KvmLayout.XCR_XCR, xcr.getKey());
                c.u64(at + KvmLayout.XCR_VALUE, xcr.getValue());
            }
            c.u32(KvmLayout.XCRS_NR, i);
            fd.setXcrs(c);
        }

        SystemRegisters sys = state.system();
        KvmSregs s = KvmSregs.allocate();
        segment(s.cs(), sys.cs()); segment(s.ds(), sys.ds()); segment(s.es(), sys.es()); segment(s.fs(), sys.fs());
        segment(s.gs(), sys.gs()); segment(s.ss(), sys.ss()); segment(s.tr(), sys.tr()); segment(s.ldt(), sys.ldt());
        s.gdt(sys.gdt().base(), sys.gdt().limit());
        s.idt(sys.idt().base(), sys.idt().limit());
        s.cr0(sys.cr0());
        s.u64(KvmSregs.CR2, sys.cr2());
        s.cr3(sys.cr3());
        s.cr4(sys.cr4());
        s.u64(KvmSregs.CR8, sys.cr8());
        s.efer(sys.efer());
        s.u64(KvmSregs.APIC_BASE, sys.apicBase());
        long[] pending = sys.pendingInterrupts();
        for (int i = 0; i < 4; i++) s.u64(KvmSregs.INTERRUPT_BITMAP + 8 * i, pending[i]);
        fd.setSregs(s);

        KvmLapic lapic = KvmLapic.allocate();
        lapic.bytes(state.lapic());
        fd.setLapic(lapic);

        KvmMsrs m = new KvmMsrs(state.msrs().size() + 1);
        m.count(state.msrs().size() + 1);
        m.set(0, VcpuState.MSR_TSC, state.tsc());
        int i = 1;
        for (Map.Entry<Integer, Long> msr : state.msrs().entrySet()) m.set(i++, msr.getKey(), msr.getValue());
        fd.setMsrs(m);

        PendingEvents ev = state.events();
        KvmVcpuEvents e = KvmVcpuEvents.allocate();
        e.u8(EXCEPTION_INJECTED, ev.exceptionInjected() ? 1 : 0);
        e.u8(EXCEPTION_NR, ev.exceptionVector());
        e.u8(EXCEPTION_HAS_ERROR_CODE, ev.exceptionHasErrorCode() ? 1 : 0);
        e.u8(EXCEPTION_PENDING, ev.exceptionPending() ? 1 : 0);
        e.u32(EXCEPTION_ERROR_CODE, ev.exceptionErrorCode());
        e.u8(INTERRUPT_INJECTED, ev.interruptInjected() ? 1 : 0);
        e.u8(INTERRUPT_NR, ev.interruptVector());
        e.u8(INTERRUPT_SOFT, ev.interruptSoft() ? 1 : 0);
        e.u8(INTERRUPT_SHADOW, ev.interruptShadow());
        e.u8(NMI_INJECTED, ev.nmiInjected() ? 1 : 0);
        e.u8(NMI_PENDING, ev.nmiPending() ? 1 : 0);
        e.u8(NMI_MASKED, ev.nmiMasked() ? 1 : 0);
        e.u32(SIPI_VECTOR, ev.sipiVector());
        e.u8(SMI_SMM, ev.smm() ? 1 : 0);
        e.u8(SMI_PENDING, ev.smiPending() ? 1 : 0);
        e.u8(SMI_SMM_INSIDE_NMI, ev.smmInsideNmi() ? 1 : 0);
        e.u8(SMI_LATCHED_INIT, ev.latchedInit() ? 1 : 0);
        int flags = VALID_NMI_PENDING | VALID_SIPI_VECTOR | VALID_SHADOW | VALID_SMM;
        if (ev.exceptionHasPayload()) { // only accepted when KVM_CAP_EXCEPTION_PAYLOAD is enabled; KVM says so if not
            e.u8(EXCEPTION_HAS_PAYLOAD, 1);
            e.u64(EXCEPTION_PAYLOAD, ev.exceptionPayload());
            flags |= VALID_PAYLOAD;
        }
        e.u32(FLAGS, flags);
        fd.setVcpuEvents(e);

        fd.setMpState(state.mpState().code());

        DebugRegisters dbg = state.debug();
        RawStruct d = new RawStruct(KvmLayout.DEBUGREGS_SIZE);
        long[] db = dbg.breakpoints();
        for (int k = 0; k < 4; k++) d.u64(KvmLayout.DEBUGREGS_DB + 8 * k, db[k]);
        d.u64(KvmLayout.DEBUGREGS_DR6, dbg.dr6());
        d.u64(KvmLayout.DEBUGREGS_DR7, dbg.dr7());
        fd.setDebugRegs(d);
    }
}
