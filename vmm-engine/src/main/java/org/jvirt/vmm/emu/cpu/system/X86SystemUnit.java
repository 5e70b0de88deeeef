package org.jvirt.vmm.emu.cpu.system;

import static org.jvirt.vmm.emu.cpu.CpuState.CS;
import static org.jvirt.vmm.emu.cpu.CpuState.GS;
import static org.jvirt.vmm.emu.cpu.CpuState.RAX;
import static org.jvirt.vmm.emu.cpu.CpuState.RCX;
import static org.jvirt.vmm.emu.cpu.CpuState.RDX;
import static org.jvirt.vmm.emu.cpu.CpuState.RSP;
import static org.jvirt.vmm.emu.cpu.CpuState.SS;

import java.util.function.LongSupplier;
import org.jvirt.vmm.emu.cpu.AddressTranslator;
import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.LinearMemory;
import org.jvirt.vmm.emu.cpu.SystemUnit;

/**
 * The system side of the emulated x86-64 CPU in every mode: real, virtual-8086, 16/32-bit
 * protected and long mode (64-bit and compatibility). Segment loads, far transfers, interrupt
 * delivery and IRET live in {@link Segments}, {@link FarTransfers} and {@link Interrupts};
 * CPUID and MSRs in {@link CpuModel}; this class holds the system instructions, control and
 * debug registers, SYSCALL/SYSENTER and the I/O permission check.
 *
 * <p>Conventions the core relies on: {@link #systemInstruction} for ARPL takes the destination
 * selector in bits 15..0 of operand and the source register's value in bits 31..16, and returns
 * the new destination (ZF set when it changed). LAR and LSL return the value to store, which the
 * core stores only when ZF is set afterwards. RDTSCP writes EDX:EAX and ECX itself and returns the TSC.
 */
public final class X86SystemUnit implements SystemUnit {
    private final CpuState st;
    private final LinearMemory mem;
    private final AddressTranslator paging;
    private final Segments segs;
    private final TaskState tss;
    private final Interrupts interrupts;
    private final FarTransfers far;
    private final CpuModel model;
    private final Descriptor desc = new Descriptor();
    private java.util.function.LongConsumer apicBaseListener = v -> { };

    /** The emulated CPU's SMBIOS processor ID (CPUID leaf 1 EAX, static EDX). */
    public static long processorId() { return CpuModel.processorId(); }

    public X86SystemUnit(CpuState state, LinearMemory mem, AddressTranslator paging, LongSupplier tscSource) {
        this(state, mem, paging, tscSource, 0, 1);
    }

    /** With the local APIC id CPUID reports (leaf 1 EBX[31:24], leaf 0xB) and the number of vCPUs. */
    public X86SystemUnit(CpuState state, LinearMemory mem, AddressTranslator paging, LongSupplier tscSource,
                         int apicId, int vcpuCount) {
        this.st = state;
        this.mem = mem;
        this.paging = paging;
        this.segs = new Segments(state, mem);
        this.tss = new TaskState(state, mem);
        TaskSwitch tasks = new TaskSwitch(state, mem, segs, paging);
        this.interrupts = new Interrupts(state, mem, segs, tss, tasks);
        this.far = new FarTransfers(state, mem, segs, tss, tasks);
        this.model = new CpuModel(state, apicId, vcpuCount, tscSource);
    }

    @Override
    public void loadSegment(int segIndex, int selector) {
        segs.loadSegment(segIndex, selector, desc);
    }

    @Override
    public void deliver(int vector, int kind, boolean hasError, int errorCode, long returnRip) {
        interrupts.deliver(vector, kind, hasError, errorCode, returnRip);
    }

    @Override
    public void interruptReturn(int operandSize) {
        interrupts.interruptReturn(operandSize);
    }

    @Override
    public void farJump(int selector, long offset, int operandSize, long nextRip) {
        far.farJump(selector, offset, operandSize, nextRip);
    }

    @Override
    public void farCall(int selector, long offset, int operandSize, long nextRip) {
        far.farCall(selector, offset, operandSize, nextRip);
    }

    @Override
    public void farReturn(int operandSize, int popBytes) {
        far.farReturn(operandSize, popBytes);
    }

    // ---- system instructions ----

    private boolean protectedNotV86() { return st.protectedMode() && !st.v86Mode(); }

    private void requireCpl0() {
        if (st.cpl != 0) throw CpuFault.gp0();
    }

    private void requireProtected() {
        if (!protectedNotV86()) throw CpuFault.of(CpuFault.UD);
    }

    private void umipCheck() {
        if ((st.cr4 & CpuState.CR4_UMIP) != 0 && st.cpl > 0) throw CpuFault.gp0();
    }

    private void setZf(boolean on) {
        long f = st.rflags();
        st.setRflags(on ? f | CpuState.ZF : f & ~CpuState.ZF);
    }

    @Override
    public long systemInstruction(SystemOp op, long operand, int operandSize) {
        boolean user = st.cpl == 3;
        switch (op) {
            case SLDT -> { requireProtected(); umipCheck(); return st.ldtr.selector; }
            case STR -> { requireProtected(); umipCheck(); return st.tr.selector; }
            case LLDT -> { requireProtected(); requireCpl0(); loadLdt((int) operand & 0xffff); return 0; }
            case LTR -> { requireProtected(); requireCpl0(); loadTr((int) operand & 0xffff); return 0; }
            case SGDT, SIDT -> {
                umipCheck();
                boolean g = op == SystemOp.SGDT;
                mem.write16(operand, g ? st.gdtLimit : st.idtLimit, user);
                long base = g ? st.gdtBase : st.idtBase;
                if (st.mode64()) mem.write64(operand + 2, base, user);
                else mem.write32(operand + 2, (int) base, user);
                return 0;
            }
            case LGDT, LIDT -> {
                requireCpl0();
                int limit = mem.read16(operand, user);
                long base;
                if (st.mode64()) {
                    base = mem.read64(operand + 2, user);
                    if (!Segments.canonical(base)) throw CpuFault.gp0();
                } else {
                    base = mem.read32(operand + 2, user) & (operandSize == 2 ? 0xffffffL : 0xffffffffL);
                }
                if (op == SystemOp.LGDT) { st.gdtBase = base; st.gdtLimit = limit; }
                else { st.idtBase = base; st.idtLimit = limit; }
                return 0;
            }
            case SMSW -> { umipCheck(); return st.cr0 & 0xffffffffL; }
            case LMSW -> {
                requireCpl0();
                // Loads PE, MP, EM, TS; cannot clear PE.
                long v = (st.cr0 & ~0xeL) | (operand & 0xf) | (st.cr0 & CpuState.CR0_PE);
                writeCr0(v);
                return 0;
            }
            case CLTS -> { requireCpl0(); st.cr0 &= ~CpuState.CR0_TS; return 0; }
            case INVLPG -> { requireCpl0(); paging.invalidate(operand); return 0; }
            case SWAPGS -> {
                if (!st.mode64()) throw CpuFault.of(CpuFault.UD);
                requireCpl0();
                long t = st.seg[GS].base;
                st.seg[GS].base = st.kernelGsBase;
                st.kernelGsBase = t;
                return 0;
            }
            case RDTSCP -> {
                if ((st.cr4 & CpuState.CR4_TSD) != 0 && st.cpl > 0 && st.protectedMode()) throw CpuFault.gp0();
                long t = model.tsc();
                st.gpr[RAX] = t & 0xffffffffL;
                st.gpr[RDX] = t >>> 32;
                st.gpr[RCX] = st.tscAux & 0xffffffffL;
                return t;
            }
            case LAR, LSL, VERR, VERW -> { requireProtected(); return accessRights(op, (int) operand & 0xffff, operandSize); }
            case ARPL -> {
                requireProtected();
                int dst = (int) operand & 0xffff;
                int src = (int) (operand >>> 16) & 0xffff;
                if ((dst & 3) < (src & 3)) {
                    setZf(true);
                    return (dst & ~3) | (src & 3);
                }
                setZf(false);
                return dst;
            }
            default -> throw CpuFault.of(CpuFault.UD);
        }
    }

    private void loadLdt(int sel) {
        if ((sel & 0xfffc) == 0) {
            st.ldtr.selector = sel;
            st.ldtr.base = 0;
            st.ldtr.limit = 0;
            st.ldtr.unusable = true;
            return;
        }
        if ((sel & 4) != 0) throw Segments.fault(CpuFault.GP, sel, 0);
        segs.fetch(sel, desc, st.longMode(), CpuFault.GP, 0);
        if (desc.codeOrData() || desc.type() != 2) throw Segments.fault(CpuFault.GP, sel, 0);
        if (!desc.present()) throw Segments.fault(CpuFault.NP, sel, 0);
        desc.loadInto(st.ldtr, sel);
        if (st.longMode()) st.ldtr.base = desc.base64();
    }

    private void loadTr(int sel) {
        if ((sel & 0xfffc) == 0) throw CpuFault.gp0();
        if ((sel & 4) != 0) throw Segments.fault(CpuFault.GP, sel, 0);
        segs.fetch(sel, desc, st.longMode(), CpuFault.GP, 0);
        int type = desc.type();
        boolean ok = !desc.codeOrData() && (type == 9 || type == 1 && !st.longMode());
        if (!ok) throw Segments.fault(CpuFault.GP, sel, 0);
        if (!desc.present()) throw Segments.fault(CpuFault.NP, sel, 0);
        // Mark the TSS busy in the GDT.
        desc.w1 |= 0x200;
        mem.write8(desc.address + 5, (desc.w1 >>> 8) & 0xff, false);
        desc.loadInto(st.tr, sel);
        if (st.longMode()) st.tr.base = desc.base64();
    }

    /** LAR, LSL, VERR, VERW: ZF says whether the selector passed; faults only on memory errors. */
    private long accessRights(SystemOp op, int sel, int operandSize) {
        if ((sel & 0xfffc) == 0 || !segs.read(sel, desc, false)) {
            setZf(false);
            return 0;
        }
        int rpl = sel & 3;
        boolean privOk = desc.conforming() || desc.dpl() >= st.cpl && desc.dpl() >= rpl;
        boolean ok;
        int type = desc.type();
        boolean lm = st.longMode();
        switch (op) {
            case LAR -> ok = privOk && (desc.codeOrData() || (lm ? type == 2 || type == 9 || type == 11 || type == 12
                    : type != 0 && type != 8 && type != 10 && type != 13 && type != 14 && type != 15));
            case LSL -> ok = privOk && (desc.codeOrData() || (lm ? type == 2 || type == 9 || type == 11
                    : type == 1 || type == 2 || type == 3 || type == 9 || type == 11));
            case VERR -> ok = desc.codeOrData() && desc.readable() && privOk;
            default -> ok = desc.writableData() && privOk; // VERW
        }
        setZf(ok);
        if (!ok) return 0;
        if (op == SystemOp.LAR) return (desc.w1 & (operandSize == 2 ? 0xff00 : 0xf0ff00)) & 0xffffffffL;
        if (op == SystemOp.LSL) return desc.limit();
        return 0;
    }

    // ---- control and debug registers ----

    @Override
    public void writeControlRegister(int cr, long value) {
        requireCpl0();
        if (!st.longMode()) value &= 0xffffffffL;
        switch (cr) {
            case 0 -> writeCr0(value);
            case 2 -> st.cr2 = value;
            case 3 -> {
                if (st.longMode() && (value >>> 40) != 0) throw CpuFault.gp0();
                st.cr3 = value;
                paging.flush();
            }
            case 4 -> writeCr4(value);
            case 8 -> {
                if ((value & ~0xfL) != 0) throw CpuFault.gp0();
                st.cr8 = value;
            }
            default -> throw CpuFault.of(CpuFault.UD);
        }
    }

    static final long CR4_SUPPORTED = CpuState.CR4_VME | CpuState.CR4_PVI | CpuState.CR4_TSD | CpuState.CR4_DE
            | CpuState.CR4_PSE | CpuState.CR4_PAE | CpuState.CR4_MCE | CpuState.CR4_PGE | CpuState.CR4_PCE
            | CpuState.CR4_OSFXSR | CpuState.CR4_OSXMMEXCPT;

    private void writeCr4(long v) {
        if ((v & ~CR4_SUPPORTED) != 0) throw CpuFault.gp0();
        if (st.longMode() && (v & CpuState.CR4_PAE) == 0) throw CpuFault.gp0();
        long changed = v ^ st.cr4;
        st.cr4 = v;
        if ((changed & (CpuState.CR4_PGE | CpuState.CR4_PAE | CpuState.CR4_PSE | CpuState.CR4_SMEP
                | CpuState.CR4_SMAP)) != 0) {
            paging.flushAll();
        }
    }

    static final long CR0_DEFINED = CpuState.CR0_PE | CpuState.CR0_MP | CpuState.CR0_EM | CpuState.CR0_TS
            | CpuState.CR0_ET | CpuState.CR0_NE | CpuState.CR0_WP | CpuState.CR0_AM | CpuState.CR0_NW | CpuState.CR0_CD
            | CpuState.CR0_PG;

    private void writeCr0(long v) {
        if ((v >>> 32) != 0) throw CpuFault.gp0();
        if ((v & CpuState.CR0_PG) != 0 && (v & CpuState.CR0_PE) == 0) throw CpuFault.gp0();
        if ((v & CpuState.CR0_NW) != 0 && (v & CpuState.CR0_CD) == 0) throw CpuFault.gp0();
        long old = st.cr0;
        boolean pgOn = (v & CpuState.CR0_PG) != 0, wasPg = (old & CpuState.CR0_PG) != 0;
        if (pgOn && !wasPg && (st.efer & CpuState.EFER_LME) != 0) {
            if ((st.cr4 & CpuState.CR4_PAE) == 0 || st.seg[CS].longMode) throw CpuFault.gp0();
            st.efer |= CpuState.EFER_LMA;
        } else if (!pgOn && wasPg && st.longMode()) {
            if (st.mode64()) throw CpuFault.gp0();
            st.efer &= ~CpuState.EFER_LMA;
        }
        // Reserved bits in CR0[31:0] are ignored on write (not a fault); ET is hardwired to 1.
        v = (v & CR0_DEFINED) | CpuState.CR0_ET;
        st.cr0 = v;
        if (((v ^ old) & (CpuState.CR0_PG | CpuState.CR0_WP | CpuState.CR0_PE)) != 0) paging.flushAll();
        if ((v & CpuState.CR0_PE) == 0) st.cpl = 0;
    }

    @Override
    public long readControlRegister(int cr) {
        requireCpl0();
        return switch (cr) {
            case 0 -> st.cr0;
            case 2 -> st.cr2;
            case 3 -> st.cr3;
            case 4 -> st.cr4;
            case 8 -> st.cr8;
            default -> throw CpuFault.of(CpuFault.UD);
        };
    }

    private int debugIndex(int dr) {
        if (dr == 4 || dr == 5) {
            if ((st.cr4 & CpuState.CR4_DE) != 0) throw CpuFault.of(CpuFault.UD);
            return dr + 2;
        }
        if (dr > 7) throw CpuFault.of(CpuFault.UD);
        return dr;
    }

    @Override
    public void writeDebugRegister(int dr, long value) {
        requireCpl0();
        int i = debugIndex(dr);
        if (i >= 6 && (value >>> 32) != 0) throw CpuFault.gp0();
        if (i == 6) value = (value & 0xe00f) | 0xffff0ff0L;
        else if (i == 7) value = (value & ~0xd800L) | 0x400;
        else if (!st.longMode()) value &= 0xffffffffL;
        st.dr[i] = value;
    }

    @Override
    public long readDebugRegister(int dr) {
        requireCpl0();
        return st.dr[debugIndex(dr)];
    }

    // ---- MSRs, CPUID ----

    @Override
    public long readMsr(int index) {
        requireCpl0();
        return model.readMsr(index);
    }

    @Override
    public void writeMsr(int index, long value) {
        requireCpl0();
        if (model.writeMsr(index, value)) paging.flushAll();
        if (index == CpuModel.APIC_BASE) apicBaseListener.accept(st.apicBase);
    }

    /** Told the new IA32_APIC_BASE after each WRMSR of it (the vCPU keeps its local APIC in step). */
    public void setApicBaseListener(java.util.function.LongConsumer listener) {
        this.apicBaseListener = listener == null ? v -> { } : listener;
    }

    @Override
    public void cpuid(int leaf, int subleaf, int[] out) {
        model.cpuid(leaf, subleaf, out);
    }

    /** The TSC as RDTSC reads it (the core's RDTSC may call this or readMsr(0x10) at CPL 0). */
    public long timeStampCounter() {
        return model.tsc();
    }

    // ---- SYSCALL/SYSRET, SYSENTER/SYSEXIT ----

    @Override
    public void fastSystemCall(SystemOp op, int operandSize, long nextRip) {
        switch (op) {
            case SYSCALL -> syscall(nextRip);
            case SYSRET -> sysret(operandSize);
            case SYSENTER -> sysenter();
            case SYSEXIT -> sysexit(operandSize);
            default -> throw CpuFault.of(CpuFault.UD);
        }
    }

    private void syscall(long nextRip) {
        if ((st.efer & CpuState.EFER_SCE) == 0 || !st.protectedMode()) throw CpuFault.of(CpuFault.UD);
        int cs = (int) (st.star >>> 32) & 0xfffc;
        long flags = st.rflags();
        if (st.longMode()) {
            st.gpr[RCX] = nextRip;
            st.gpr[11] = flags & ~CpuState.RF;
            Segments.loadFlat(st.seg[CS], cs, true, 0, true);
            Segments.loadFlat(st.seg[SS], cs + 8, false, 0, false);
            st.setRflags(flags & ~st.sfmask & ~CpuState.RF);
            st.rip = st.mode64() ? st.lstar : st.cstar;
        } else {
            st.gpr[RCX] = nextRip & 0xffffffffL;
            Segments.loadFlat(st.seg[CS], cs, true, 0, false);
            Segments.loadFlat(st.seg[SS], cs + 8, false, 0, false);
            st.setRflags(flags & ~(CpuState.VM | CpuState.IF | CpuState.RF));
            st.rip = st.star & 0xffffffffL;
        }
        st.cpl = 0;
    }

    private void sysret(int size) {
        if ((st.efer & CpuState.EFER_SCE) == 0) throw CpuFault.of(CpuFault.UD);
        if (!st.protectedMode() || st.cpl != 0) throw CpuFault.gp0();
        int base = (int) (st.star >>> 48) & 0xffff;
        if (st.longMode()) {
            if (size == 8) {
                if (!Segments.canonical(st.gpr[RCX])) throw CpuFault.gp0();
                Segments.loadFlat(st.seg[CS], (base + 16) | 3, true, 3, true);
                st.rip = st.gpr[RCX];
            } else {
                Segments.loadFlat(st.seg[CS], base | 3, true, 3, false);
                st.rip = st.gpr[RCX] & 0xffffffffL;
            }
            st.setRflags(st.gpr[11] & 0x3c7fd7L);
        } else {
            Segments.loadFlat(st.seg[CS], base | 3, true, 3, false);
            st.rip = st.gpr[RCX] & 0xffffffffL;
            st.setRflags(st.rflags() | CpuState.IF);
        }
        // SS keeps its cached attributes except selector and DPL on real hardware; a flat
        // writable ring-3 stack is what every OS sets up for it.
        Segments.loadFlat(st.seg[SS], (base + 8) | 3, false, 3, false);
        st.cpl = 3;
    }

    private void sysenter() {
        if (!st.protectedMode() || (st.sysenterCs & 0xfffc) == 0) throw CpuFault.gp0();
        int cs = (int) st.sysenterCs & 0xfffc;
        boolean lm = st.longMode();
        st.setRflags(st.rflags() & ~(CpuState.VM | CpuState.IF | CpuState.RF));
        Segments.loadFlat(st.seg[CS], cs, true, 0, lm);
        Segments.loadFlat(st.seg[SS], cs + 8, false, 0, false);
        st.gpr[RSP] = lm ? st.sysenterEsp : st.sysenterEsp & 0xffffffffL;
        st.rip = lm ? st.sysenterEip : st.sysenterEip & 0xffffffffL;
        st.cpl = 0;
    }

    private void sysexit(int size) {
        if (!st.protectedMode() || st.cpl != 0 || (st.sysenterCs & 0xfffc) == 0) throw CpuFault.gp0();
        int cs = (int) st.sysenterCs & 0xfffc;
        if (size == 8) {
            if (!Segments.canonical(st.gpr[RCX]) || !Segments.canonical(st.gpr[RDX])) throw CpuFault.gp0();
            Segments.loadFlat(st.seg[CS], (cs + 32) | 3, true, 3, true);
            Segments.loadFlat(st.seg[SS], (cs + 40) | 3, false, 3, false);
            st.rip = st.gpr[RDX];
            st.gpr[RSP] = st.gpr[RCX];
        } else {
            Segments.loadFlat(st.seg[CS], (cs + 16) | 3, true, 3, false);
            Segments.loadFlat(st.seg[SS], (cs + 24) | 3, false, 3, false);
            st.rip = st.gpr[RDX] & 0xffffffffL;
            st.gpr[RSP] = st.gpr[RCX] & 0xffffffffL;
        }
        st.cpl = 3;
    }

    // ---- I/O permission ----

    @Override
    public void checkIoPermission(int port, int size) {
        if (!st.protectedMode()) return;
        if (!st.v86Mode() && st.cpl <= Interrupts.iopl(st.rflags())) return;
        tss.checkIoBitmap(port & 0xffff, size);
    }
}
