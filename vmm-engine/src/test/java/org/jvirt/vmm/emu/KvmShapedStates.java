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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * VcpuStates in the shape the KVM backend exports them (KvmVcpuState.export after KvmVcpu.reset):
 * KvmSegment.set's fields (unusable = !present), VMX power-on segments, BootMsrs' MSRs plus
 * ones the emulator keeps elsewhere (MTRR default type, TSC deadline), a 4 KiB XSAVE area with
 * XSTATE_BV = XCR0 | 3, XCRs {0: 1}.
 */
final class KvmShapedStates {
    private KvmShapedStates() { }

    static final long GDT = 0x500, CR3 = 0x9000, RIP = 0x100000, RSP = 0x8ff0, RSI = 0x7000;

    /** KvmSegment.set(base, limit, sel, type, present, dpl, db, s, l, g). */
    static Segment kvm(long base, int limit, int sel, int type, int present, int dpl, int db, int s, int l, int g) {
        return new Segment(base, limit, sel, type, present != 0, dpl, db != 0, s != 0, l != 0, g != 0, false, present == 0);
    }

    static VcpuState realModePowerOn() {
        Segment data = kvm(0, 0xffff, 0, 3, 1, 0, 0, 1, 0, 0);
        return state(new GeneralRegisters(new long[16], 0xfff0, 2),
                new SystemRegisters(kvm(0xffff0000L, 0xffff, 0xf000, 0xb, 1, 0, 0, 1, 0, 0), data, data, data, data, data,
                        kvm(0, 0xffff, 0, 0xb, 1, 0, 0, 0, 0, 0), kvm(0, 0xffff, 0, 2, 1, 0, 0, 0, 0, 0),
                        new DescriptorTable(0, 0xffff), new DescriptorTable(0, 0xffff),
                        0x60000010L, 0, 0, 0, 0, 0, 0xfee00900L, new long[4]), MpState.RUNNABLE);
    }

    /** KvmVcpu.reset with a PVH (PROTECTED_32) or 64-bit (LONG_64) boot state. */
    static VcpuState boot(boolean long64) {
        long[] gprs = new long[16];
        gprs[GeneralRegisters.RSP] = RSP;
        gprs[GeneralRegisters.RSI] = RSI;
        Segment data = kvm(0, 0xffffffff, 0x10, 0x3, 1, 0, 1, 1, 0, 1);
        SystemRegisters sys = new SystemRegisters(kvm(0, 0xffffffff, 0x08, 0xb, 1, 0, long64 ? 0 : 1, 1, long64 ? 1 : 0, 1),
                data, data, data, data, data, kvm(0, 0x67, 0x18, 0xb, 1, 0, 0, 0, 0, 0), kvm(0, 0xffff, 0, 2, 1, 0, 0, 0, 0, 0),
                new DescriptorTable(GDT, 0x1f), new DescriptorTable(0, 0),
                long64 ? 0x80050033L : 0x11, 0, long64 ? CR3 : 0, long64 ? 0x620 : 0, 0, long64 ? 0x500 : 0, 0xfee00900L,
                new long[4]);
        return state(new GeneralRegisters(gprs, RIP, 2), sys, MpState.RUNNABLE);
    }

    static VcpuState state(GeneralRegisters g, SystemRegisters sys, MpState mp) {
        Map<Integer, Long> msrs = new TreeMap<>();
        for (int i : new int[]{0x174, 0x175, 0x176, 0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084, 0xc0000102}) msrs.put(i, 0L);
        msrs.put(0x1a0, 1L);          // MISC_ENABLE fast strings
        msrs.put(0x2ff, 0x806L);      // MTRR default type: not in CpuState
        msrs.put(0x6e0, 0L);          // TSC deadline: the LAPIC's
        byte[] xsave = new byte[4096];
        ByteBuffer b = ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0x37f);
        b.putInt(24, 0x1f80);
        b.putInt(28, 0xffff);          // MXCSR_MASK as hardware reports it
        b.putLong(512, 3);             // XSTATE_BV
        byte[] lapic = new byte[VcpuState.LAPIC_SIZE];
        lapic[0xf0] = (byte) 0xff;     // SVR
        return new VcpuState(g, sys, new DebugRegisters(new long[4], 0xffff0ff0L, 0x400), VcpuState.byIndex(msrs), 12345,
                new ExtendedState(xsave, VcpuState.byIndex(Map.of(0, 1L))), lapic, PendingEvents.NONE, mp);
    }
}
