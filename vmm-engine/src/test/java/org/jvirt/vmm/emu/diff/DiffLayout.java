package org.jvirt.vmm.emu.diff;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.TreeMap;

import org.jvirt.vmm.cpu.state.DescriptorTable;
import org.jvirt.vmm.cpu.state.ExtendedState;
import org.jvirt.vmm.cpu.state.GeneralRegisters;
import org.jvirt.vmm.cpu.state.MpState;
import org.jvirt.vmm.cpu.state.PendingEvents;
import org.jvirt.vmm.cpu.state.Segment;
import org.jvirt.vmm.cpu.state.SystemRegisters;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * The guest the differential test runs in, identical for both backends: 64-bit long mode with
 * the first GiB identity-mapped by 2 MiB user pages, a GDT with ring-0 and ring-3 segments and
 * a TSS (RSP0 for exceptions), an IDT whose 32 exception handlers report their vector on port
 * {@link #FAULT_PORT}, and the sequence at {@link #CODE}, entered directly at CPL3 (IOPL 3 so
 * that its terminating OUT needs no ring-0 code).
 */
final class DiffLayout {
    private DiffLayout() { }

    static final int DONE_PORT = 0xE0, FAULT_PORT = 0xE1;
    static final long PML4 = 0x400000, PDPT = 0x401000, PD = 0x402000, GDT = 0x403000, IDT = 0x404000, TSS = 0x404800,
            HANDLERS = 0x405000, KSTACK = 0x407000, CODE = 0x410000, STACK = 0x420000, DATA = 0x430000;
    static final int KSTACK_SIZE = 0x1000, STACK_SIZE = 0x2000, DATA_SIZE = 0x1000, CODE_SIZE = 0x8000;
    static final long STACK_TOP_INITIAL = STACK + STACK_SIZE / 2, SCRATCH_BASE = DATA + DATA_SIZE / 2;
    /** FS and GS bases, inside the scratch page: fs:[disp] and gs:[disp] with |disp| < 0x380 stay in it. */
    static final long FS_BASE = SCRATCH_BASE, GS_BASE = DATA + 0x400;
    static final int MSR_FS_BASE = 0xC0000100, MSR_GS_BASE = 0xC0000101, XSTATE_BV = 512;
    /** FXSAVE offsets: status word, abridged tag word, ST0/MM0 (16 bytes a register). */
    static final int FSW = 2, FTW_ABRIDGED = 4, ST0 = 32;
    static final int KERNEL_CS = 0x08, KERNEL_DS = 0x10, USER_CS = 0x1B, USER_DS = 0x23, TSS_SEL = 0x28;

    /** VcpuState's GPR index of each encoding-order register (rax rcx rdx rbx rsp rbp rsi rdi r8..r15). */
    static final int[] STATE_INDEX = {GeneralRegisters.RAX, GeneralRegisters.RCX, GeneralRegisters.RDX, GeneralRegisters.RBX,
            GeneralRegisters.RSP, GeneralRegisters.RBP, GeneralRegisters.RSI, GeneralRegisters.RDI, 8, 9, 10, 11, 12, 13, 14, 15};

    /** Writes the page tables, descriptor tables, TSS, handlers and the case's code, stack and data. */
    static void load(GuestMemory m, DiffCase c) {
        m.zero(PML4, 0x3000);
        m.writeLong(PML4, PDPT | 7);
        m.writeLong(PDPT, PD | 7);
        for (int i = 0; i < 512; i++) m.writeLong(PD + 8L * i, ((long) i << 21) | 0x87); // P RW US PS
        m.zero(GDT, 0x1000);
        m.writeLong(GDT + 0x08, 0x00AF9A000000FFFFL);
        m.writeLong(GDT + 0x10, 0x00CF92000000FFFFL);
        m.writeLong(GDT + 0x18, 0x00AFFA000000FFFFL);
        m.writeLong(GDT + 0x20, 0x00CFF2000000FFFFL);
        m.writeLong(GDT + TSS_SEL, 0x67 | (TSS & 0xFFFFFFL) << 16 | 0x89L << 40 | (TSS >>> 24 & 0xFF) << 56);
        m.writeLong(GDT + TSS_SEL + 8, TSS >>> 32);
        m.zero(IDT, 0x1000);
        for (int v = 0; v < 32; v++) {
            long h = HANDLERS + 16L * v;
            m.writeLong(IDT + 16L * v, (h & 0xFFFF) | (long) KERNEL_CS << 16 | 0x8EL << 40 | (h >>> 16 & 0xFFFF) << 48);
            m.writeLong(IDT + 16L * v + 8, h >>> 32);
            // mov al, v; out FAULT_PORT, al; jmp $
            m.write(h, new byte[]{(byte) 0xB0, (byte) v, (byte) 0xE6, (byte) FAULT_PORT, (byte) 0xEB, (byte) 0xFE}, 0, 6);
        }
        m.writeLong(TSS + 4, KSTACK + KSTACK_SIZE); // RSP0
        m.zero(KSTACK, KSTACK_SIZE);
        byte[] code = c.code();
        m.zero(CODE, CODE_SIZE);
        m.write(CODE, code, 0, code.length);
        m.write(STACK, c.stack(), 0, STACK_SIZE);
        m.write(DATA, c.data(), 0, DATA_SIZE);
    }

    /** The backend's own exported state with the case's registers and the CPL3 long-mode system state. */
    static VcpuState state(VcpuState template, DiffCase c) {
        long[] g = new long[16];
        for (int i = 0; i < 16; i++) g[STATE_INDEX[i]] = c.gprs()[i];
        SystemRegisters t = template.system();
        Segment fs = new Segment(FS_BASE, 0xFFFFFFFF, USER_DS, 3, true, 3, true, true, false, true, false, false);
        Segment gs = new Segment(GS_BASE, 0xFFFFFFFF, USER_DS, 3, true, 3, true, true, false, true, false, false);
        Segment cs = new Segment(0, 0xFFFFFFFF, USER_CS, 11, true, 3, false, true, true, true, false, false);
        Segment ds = new Segment(0, 0xFFFFFFFF, USER_DS, 3, true, 3, true, true, false, true, false, false);
        Segment tr = new Segment(TSS, 0x67, TSS_SEL, 11, true, 0, false, false, false, false, false, false);
        SystemRegisters s = new SystemRegisters(cs, ds, ds, fs, gs, ds, tr, t.ldt(), new DescriptorTable(GDT, 0x37),
                new DescriptorTable(IDT, 32 * 16 - 1), 0x80050033L, 0, PML4, 0x620, 0, 0x500, t.apicBase(), new long[4]);
        TreeMap<Integer, Long> msrs = new TreeMap<>(template.msrs());
        if (msrs.containsKey(MSR_FS_BASE)) msrs.put(MSR_FS_BASE, FS_BASE);
        if (msrs.containsKey(MSR_GS_BASE)) msrs.put(MSR_GS_BASE, GS_BASE);
        byte[] xsave = template.extended().xsave();
        ByteBuffer x = ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN);
        x.putInt(ExtendedState.MXCSR, c.mxcsr());
        for (int i = 0; i < 32; i++) x.putLong(ExtendedState.XMM0 + 8 * i, c.xmm()[i]);
        // MM0..7 as MMX leaves them: x87 registers with exponent 0xFFFF, all tagged valid, TOP 0
        x.putShort(FSW, (short) 0);
        x.put(FTW_ABRIDGED, (byte) 0xFF);
        for (int i = 0; i < 8; i++) {
            x.putLong(ST0 + 16 * i, c.mm()[i]);
            x.putShort(ST0 + 16 * i + 8, (short) 0xFFFF);
        }
        x.putLong(XSTATE_BV, x.getLong(XSTATE_BV) | 3); // x87 and SSE state present (not in their init state)
        return new VcpuState(new GeneralRegisters(g, CODE, c.rflags()), s, template.debug(), msrs, template.tsc(),
                new ExtendedState(xsave, template.extended().xcrs()), template.lapic(), PendingEvents.NONE, MpState.RUNNABLE);
    }
}
