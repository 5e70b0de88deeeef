package org.jvirt.vmm.emu;

import org.jvirt.vmm.cpu.state.DebugRegisters;
import org.jvirt.vmm.cpu.state.DescriptorTable;
import org.jvirt.vmm.cpu.state.ExtendedState;
import org.jvirt.vmm.cpu.state.GeneralRegisters;
import org.jvirt.vmm.cpu.state.MpState;
import org.jvirt.vmm.cpu.state.PendingEvents;
import org.jvirt.vmm.cpu.state.Segment;
import org.jvirt.vmm.cpu.state.SystemRegisters;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.ExtensionUnit;
import org.jvirt.vmm.emu.cpu.SegmentRegister;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The emulator's CPU state ({@link CpuState}, the x87/SSE unit's FXSAVE image, the local APIC's
 * register page, the TSC) to and from the backend-neutral {@link VcpuState}, in the form the KVM
 * backend exports, so a state file moves between backends: segments carry KVM's attribute
 * fields with KVM's invariant present == !unusable; MSRs use the architectural indices KVM
 * lists; FS/GS bases live in the segments; the XSAVE area is the FXSAVE image followed by the
 * XSAVE header with XSTATE_BV = XCR0 | x87 | SSE (as KVM's canonical export); XCRs are {0: XCR0}.
 * Not a hot path (save, restore, snapshots).
 */
public final class CpuStateMapping {
    private CpuStateMapping() { }

    public static final int MSR_SYSENTER_CS = 0x174, MSR_SYSENTER_ESP = 0x175, MSR_SYSENTER_EIP = 0x176,
            MSR_MISC_ENABLE = 0x1a0, MSR_PAT = 0x277, MSR_STAR = 0xc0000081, MSR_LSTAR = 0xc0000082,
            MSR_CSTAR = 0xc0000083, MSR_SFMASK = 0xc0000084, MSR_KERNEL_GS_BASE = 0xc0000102;
    /** KVM's vcpu_events interrupt.shadow bits: after MOV/POP SS, after STI. */
    public static final int SHADOW_MOV_SS = 1, SHADOW_STI = 2;
    /** The XSAVE components the emulator has: x87 and SSE. */
    public static final long XCR0_SUPPORTED = 3;
    static final int FX_SIZE = 512, XSTATE_BV = 512;
    /** Power-on values (Intel SDM Vol. 3 table 9-1). */
    static final long PAT_POWER_ON = 0x0007040600070406L;

    /** VcpuState's general-register order (RAX, RBX, RCX, RDX, RSI, RDI, RSP, RBP, R8..R15) as CpuState.gpr indices. */
    private static final int[] GPR_ORDER = {CpuState.RAX, CpuState.RBX, CpuState.RCX, CpuState.RDX, CpuState.RSI,
            CpuState.RDI, CpuState.RSP, CpuState.RBP, 8, 9, 10, 11, 12, 13, 14, 15};

    /**
     * What {@link #load} leaves for the caller: the guest TSC to resume from, the LAPIC page for
     * the local APIC, MSRs the CPU state has no place for (e.g. IA32_TSC_DEADLINE 0x6E0 for the
     * LAPIC timer; the rest may be ignored), events another backend accepted but had not
     * delivered yet (the vCPU delivers them before its first instruction), and the MP state
     * (UNINITIALIZED / INIT_RECEIVED: an AP waiting for INIT/SIPI).
     */
    public record Loaded(long tsc, byte[] lapic, SortedMap<Integer, Long> otherMsrs, PendingEvents events,
                         MpState mpState) { }

    /** The MP state the CPU state alone implies: HALTED after HLT, else RUNNABLE. */
    public static MpState mpStateOf(CpuState s) { return s.halted ? MpState.HALTED : MpState.RUNNABLE; }

    /**
     * The vCPU's state. fpu supplies the FXSAVE image; lapic is the 1 KiB register page; tsc is
     * the guest's TSC value now; extraMsrs are MSRs kept outside CpuState (the LAPIC's TSC
     * deadline...), merged with the CPU's own; mp is the run state (see {@link #mpStateOf}).
     */
    public static VcpuState export(CpuState s, ExtensionUnit fpu, byte[] lapic, long tsc,
                                   Map<Integer, Long> extraMsrs, MpState mp) {
        long[] gprs = new long[GeneralRegisters.COUNT];
        for (int i = 0; i < gprs.length; i++) gprs[i] = s.gpr[GPR_ORDER[i]];
        GeneralRegisters general = new GeneralRegisters(gprs, s.rip, s.rflags());
        SystemRegisters system = new SystemRegisters(segment(s.seg[CpuState.CS]), segment(s.seg[CpuState.DS]),
                segment(s.seg[CpuState.ES]), segment(s.seg[CpuState.FS]), segment(s.seg[CpuState.GS]),
                segment(s.seg[CpuState.SS]), segment(s.tr), segment(s.ldtr),
                new DescriptorTable(s.gdtBase, s.gdtLimit & 0xffff), new DescriptorTable(s.idtBase, s.idtLimit & 0xffff),
                s.cr0, s.cr2, s.cr3, s.cr4, s.cr8, s.efer, s.apicBase, new long[4]);
        DebugRegisters debug = new DebugRegisters(Arrays.copyOf(s.dr, 4), s.dr[6], s.dr[7]);

        TreeMap<Integer, Long> msrs = new TreeMap<>(Integer::compareUnsigned);
        msrs.putAll(extraMsrs);
        msrs.put(MSR_SYSENTER_CS, s.sysenterCs);
        msrs.put(MSR_SYSENTER_ESP, s.sysenterEsp);
        msrs.put(MSR_SYSENTER_EIP, s.sysenterEip);
        msrs.put(MSR_MISC_ENABLE, s.miscEnable);
        msrs.put(MSR_PAT, s.pat);
        msrs.put(MSR_STAR, s.star);
        msrs.put(MSR_LSTAR, s.lstar);
        msrs.put(MSR_CSTAR, s.cstar);
        msrs.put(MSR_SFMASK, s.sfmask);
        msrs.put(MSR_KERNEL_GS_BASE, s.kernelGsBase);
        // the MTRRs firmware programs (OVMF; a kernel reads them at boot and after a restore or migration)
        msrs.put(CpuState.MSR_MTRR_DEF_TYPE, s.mtrrDefType);
        for (int i = 0; i < s.mtrrVariable.length; i++) msrs.put(CpuState.MSR_MTRR_VAR_FIRST + i, s.mtrrVariable[i]);
        for (int i = 0; i < s.mtrrFixed.length; i++) msrs.put(CpuState.MSR_MTRR_FIXED[i], s.mtrrFixed[i]);
        msrs.remove(VcpuState.MSR_TSC);

        byte[] xsave = new byte[ExtendedState.MIN_XSAVE_SIZE];
        byte[] fx = new byte[FX_SIZE];
        if (fpu != null) fpu.saveFxImage(fx); else fnInitImage(fx);
        System.arraycopy(fx, 0, xsave, 0, FX_SIZE);
        ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN).putLong(XSTATE_BV, s.xcr0 | 3);
        ExtendedState extended = new ExtendedState(xsave, VcpuState.byIndex(Map.of(0, s.xcr0)));

        PendingEvents events = s.interruptShadow
                ? new PendingEvents(false, false, 0, false, 0, false, 0, false, 0, false, SHADOW_STI,
                false, false, false, 0, false, false, false, false)
                : PendingEvents.NONE;
        return new VcpuState(general, system, debug, msrs, tsc, extended, lapic, events, mp);
    }

    /**
     * Replaces the CPU state (and the x87/SSE unit's) with v. Refuses, before changing anything,
     * a state the emulator cannot continue: XSAVE components beyond x87 and SSE enabled in XCR0.
     * Interrupts accepted but not delivered (KVM's pending-interrupt bitmap) are not carried:
     * with an in-kernel or emulated LAPIC they stay in the LAPIC page's IRR.
     */
    public static Loaded load(VcpuState v, CpuState s, ExtensionUnit fpu) {
        long xcr0 = v.extended().xcrs().getOrDefault(0, 1L);
        if ((xcr0 & ~XCR0_SUPPORTED) != 0) {
            throw new IllegalArgumentException(String.format(
                    "the saved vCPU state enables XSAVE components 0x%x (XCR0 0x%x); the emulator has x87 and SSE only",
                    xcr0 & ~XCR0_SUPPORTED, xcr0));
        }
        byte[] fx = fxImage(v.extended().xsave());

        GeneralRegisters g = v.general();
        for (int i = 0; i < GPR_ORDER.length; i++) s.gpr[GPR_ORDER[i]] = g.get(i);
        s.rip = g.rip();
        s.setRflags(g.rflags());

        SystemRegisters sys = v.system();
        segment(sys.cs(), s.seg[CpuState.CS]);
        segment(sys.ds(), s.seg[CpuState.DS]);
        segment(sys.es(), s.seg[CpuState.ES]);
        segment(sys.fs(), s.seg[CpuState.FS]);
        segment(sys.gs(), s.seg[CpuState.GS]);
        segment(sys.ss(), s.seg[CpuState.SS]);
        segment(sys.tr(), s.tr);
        segment(sys.ldt(), s.ldtr);
        s.gdtBase = sys.gdt().base();
        s.gdtLimit = sys.gdt().limit();
        s.idtBase = sys.idt().base();
        s.idtLimit = sys.idt().limit();
        s.cr0 = sys.cr0();
        s.cr2 = sys.cr2();
        s.cr3 = sys.cr3();
        s.cr4 = sys.cr4();
        s.cr8 = sys.cr8();
        s.efer = sys.efer();
        s.apicBase = sys.apicBase();
        s.xcr0 = xcr0;
        // CPL is SS.DPL in protected mode (what VMX reports too), 3 in virtual-8086 mode, 0 in real mode
        s.cpl = !s.protectedMode() ? 0 : s.v86Mode() ? 3 : sys.ss().dpl();

        long[] bp = v.debug().breakpoints();
        System.arraycopy(bp, 0, s.dr, 0, 4);
        s.dr[4] = 0;
        s.dr[5] = 0;
        s.dr[6] = v.debug().dr6();
        s.dr[7] = v.debug().dr7();

        TreeMap<Integer, Long> other = new TreeMap<>(Integer::compareUnsigned);
        other.putAll(v.msrs());
        s.sysenterCs = take(other, MSR_SYSENTER_CS, 0);
        s.sysenterEsp = take(other, MSR_SYSENTER_ESP, 0);
        s.sysenterEip = take(other, MSR_SYSENTER_EIP, 0);
        s.miscEnable = take(other, MSR_MISC_ENABLE, 1);
        s.pat = take(other, MSR_PAT, PAT_POWER_ON);
        s.star = take(other, MSR_STAR, 0);
        s.lstar = take(other, MSR_LSTAR, 0);
        s.cstar = take(other, MSR_CSTAR, 0);
        s.sfmask = take(other, MSR_SFMASK, 0);
        s.kernelGsBase = take(other, MSR_KERNEL_GS_BASE, 0);
        s.mtrrDefType = take(other, CpuState.MSR_MTRR_DEF_TYPE, 0);
        for (int i = 0; i < s.mtrrVariable.length; i++) s.mtrrVariable[i] = take(other, CpuState.MSR_MTRR_VAR_FIRST + i, 0);
        for (int i = 0; i < s.mtrrFixed.length; i++) s.mtrrFixed[i] = take(other, CpuState.MSR_MTRR_FIXED[i], 0);

        PendingEvents e = v.events();
        s.interruptShadow = e.interruptShadow() != 0;
        s.halted = v.mpState() == MpState.HALTED;
        if (fpu != null) fpu.loadFxImage(fx);

        PendingEvents left = new PendingEvents(e.exceptionInjected(), e.exceptionPending(), e.exceptionVector(),
                e.exceptionHasErrorCode(), e.exceptionErrorCode(), e.exceptionHasPayload(), e.exceptionPayload(),
                e.interruptInjected(), e.interruptVector(), e.interruptSoft(), 0, e.nmiInjected(), e.nmiPending(),
                e.nmiMasked(), e.sipiVector(), e.smm(), e.smiPending(), e.smmInsideNmi(), e.latchedInit());
        return new Loaded(v.tsc(), v.lapic(), java.util.Collections.unmodifiableSortedMap(other), left, v.mpState());
    }

    private static long take(Map<Integer, Long> m, int index, long absent) {
        Long value = m.remove(index);
        return value == null ? absent : value;
    }

    /**
     * The FXSAVE image of an XSAVE area. A component whose XSTATE_BV bit is clear is in its init
     * state whatever the legacy region holds (XRSTOR semantics): x87 (bit 0) is FCW 0x37F with
     * empty registers; SSE (bit 1) has zero XMM registers. MXCSR is always taken from the area.
     */
    static byte[] fxImage(byte[] xsave) {
        byte[] fx = Arrays.copyOf(xsave, FX_SIZE);
        long bv = ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN).getLong(XSTATE_BV);
        ByteBuffer b = ByteBuffer.wrap(fx).order(ByteOrder.LITTLE_ENDIAN);
        if ((bv & 1) == 0) {
            Arrays.fill(fx, 0, 24, (byte) 0);   // FCW FSW FTW FOP FIP FDP
            Arrays.fill(fx, 32, 160, (byte) 0); // ST0..ST7 / MM0..MM7
            b.putShort(0, (short) 0x37f);
        }
        if ((bv & 2) == 0) Arrays.fill(fx, ExtendedState.XMM0, ExtendedState.XMM0 + 16 * 16, (byte) 0);
        return fx;
    }

    /** As KVM reports a segment: an unusable segment is never present, and a non-present one is unusable. */
    static Segment segment(SegmentRegister r) {
        boolean unusable = r.unusable || !r.present;
        return new Segment(r.base, (int) r.limit, r.selector & 0xffff, r.type & 0xf, !unusable, r.dpl & 3, r.db,
                r.codeOrData, r.longMode, r.granularity, r.available, unusable);
    }

    static void segment(Segment s, SegmentRegister r) {
        r.base = s.base();
        r.limit = Integer.toUnsignedLong(s.limit());
        r.selector = s.selector();
        r.type = s.type();
        r.codeOrData = s.codeOrData();
        r.dpl = s.dpl();
        r.present = s.present() && !s.unusable();
        r.db = s.db();
        r.longMode = s.longMode();
        r.granularity = s.granularity();
        r.available = s.available();
        r.unusable = s.unusable() || !s.present();
    }

    /** The FXSAVE image of a reset FPU (FCW 0x37F, MXCSR 0x1F80), for a vCPU built without an x87/SSE unit. */
    static void fnInitImage(byte[] fx) {
        Arrays.fill(fx, (byte) 0);
        fx[0] = 0x7f;
        fx[1] = 0x03;
        fx[24] = (byte) 0x80;
        fx[25] = 0x1f;
        fx[28] = (byte) 0xff; // MXCSR_MASK 0xFFFF
        fx[29] = (byte) 0xff;
    }
}
