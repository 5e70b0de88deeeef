package org.jvirt.vmm.cpu.state;

import org.jvirt.vmm.state.SectionInput;
import org.jvirt.vmm.state.SectionOutput;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * The state-file section of one vCPU ("vcpu0", "vcpu1", ...), version 1. Fields in this order,
 * little-endian: RAX..R15, RIP, RFLAGS (u64 each); CS DS ES FS GS SS TR LDT (base u64, limit u32,
 * selector u16, type u8, dpl u8, flag bits u8: present, db, S, L, G, AVL, unusable); GDT, IDT
 * (base u64, limit u16); CR0 CR2 CR3 CR4 CR8 EFER APIC_BASE (u64); pending-interrupt bitmap
 * (4 u64); DR0..DR3 DR6 DR7 (u64); TSC (u64); MSR count (u32) then (index u32, value u64) in
 * ascending index order; XSAVE area (u32 length, bytes); XCR count (u32) then (index u32,
 * value u64); LAPIC page (1024 bytes); pending events; MP state (u8).
 */
public final class VcpuStateSection {
    private VcpuStateSection() { }

    public static final int VERSION = 1;
    static final int MAX_MSRS = 4096, MAX_XSAVE = 1 << 20, MAX_XCRS = 16;

    /** The section id of vCPU index. */
    public static String id(int index) { return "vcpu" + index; }

    public static void write(SectionOutput out, VcpuState s) {
        GeneralRegisters g = s.general();
        for (long r : g.gprs()) out.u64(r);
        out.u64(g.rip()).u64(g.rflags());
        SystemRegisters sys = s.system();
        for (Segment seg : new Segment[]{sys.cs(), sys.ds(), sys.es(), sys.fs(), sys.gs(), sys.ss(), sys.tr(), sys.ldt()}) {
            writeSegment(out, seg);
        }
        out.u64(sys.gdt().base()).u16(sys.gdt().limit()).u64(sys.idt().base()).u16(sys.idt().limit());
        out.u64(sys.cr0()).u64(sys.cr2()).u64(sys.cr3()).u64(sys.cr4()).u64(sys.cr8()).u64(sys.efer()).u64(sys.apicBase());
        for (long w : sys.pendingInterrupts()) out.u64(w);
        for (long d : s.debug().breakpoints()) out.u64(d);
        out.u64(s.debug().dr6()).u64(s.debug().dr7());
        out.u64(s.tsc());
        writeMap(out, s.msrs());
        out.bytes(s.extended().xsave());
        writeMap(out, s.extended().xcrs());
        out.fixedBytes(s.lapic());
        PendingEvents e = s.events();
        out.bool(e.exceptionInjected()).bool(e.exceptionPending()).u8(e.exceptionVector()).bool(e.exceptionHasErrorCode())
                .u32(e.exceptionErrorCode()).bool(e.exceptionHasPayload()).u64(e.exceptionPayload())
                .bool(e.interruptInjected()).u8(e.interruptVector()).bool(e.interruptSoft()).u8(e.interruptShadow())
                .bool(e.nmiInjected()).bool(e.nmiPending()).bool(e.nmiMasked())
                .u32(e.sipiVector()).bool(e.smm()).bool(e.smiPending()).bool(e.smmInsideNmi()).bool(e.latchedInit());
        out.u8(s.mpState().code());
    }

    private static void writeSegment(SectionOutput out, Segment s) {
        int flags = (s.present() ? 1 : 0) | (s.db() ? 2 : 0) | (s.codeOrData() ? 4 : 0) | (s.longMode() ? 8 : 0)
                | (s.granularity() ? 16 : 0) | (s.available() ? 32 : 0) | (s.unusable() ? 64 : 0);
        out.u64(s.base()).u32(s.limit()).u16(s.selector()).u8(s.type()).u8(s.dpl()).u8(flags);
    }

    private static void writeMap(SectionOutput out, SortedMap<Integer, Long> m) {
        out.u32(m.size());
        m.forEach((k, v) -> out.u32(k).u64(v));
    }

    /** Decodes a section; anything inconsistent throws StateFormatException naming the field. */
    public static VcpuState read(SectionInput in) {
        in.requireVersion(VERSION);
        long[] gprs = new long[GeneralRegisters.COUNT];
        for (int i = 0; i < gprs.length; i++) gprs[i] = in.u64();
        GeneralRegisters g = new GeneralRegisters(gprs, in.u64(), in.u64());
        Segment[] seg = new Segment[8];
        for (int i = 0; i < seg.length; i++) seg[i] = readSegment(in);
        DescriptorTable gdt = new DescriptorTable(in.u64(), in.u16()), idt = new DescriptorTable(in.u64(), in.u16());
        long cr0 = in.u64(), cr2 = in.u64(), cr3 = in.u64(), cr4 = in.u64(), cr8 = in.u64(), efer = in.u64(), apicBase = in.u64();
        long[] pending = {in.u64(), in.u64(), in.u64(), in.u64()};
        SystemRegisters sys = new SystemRegisters(seg[0], seg[1], seg[2], seg[3], seg[4], seg[5], seg[6], seg[7], gdt, idt,
                cr0, cr2, cr3, cr4, cr8, efer, apicBase, pending);
        DebugRegisters debug = new DebugRegisters(new long[]{in.u64(), in.u64(), in.u64(), in.u64()}, in.u64(), in.u64());
        long tsc = in.u64();
        SortedMap<Integer, Long> msrs = readMap(in, MAX_MSRS, "MSR");
        if (msrs.containsKey(VcpuState.MSR_TSC)) throw in.error(in.position(), "the TSC is listed among the MSRs");
        byte[] xsave = in.bytes(MAX_XSAVE);
        if (xsave.length < ExtendedState.MIN_XSAVE_SIZE) throw in.error(in.position(), "XSAVE area of " + xsave.length + " bytes is too short");
        ExtendedState ext = new ExtendedState(xsave, readMap(in, MAX_XCRS, "XCR"));
        byte[] lapic = in.fixedBytes(VcpuState.LAPIC_SIZE);
        PendingEvents events = new PendingEvents(in.bool(), in.bool(), in.u8(), in.bool(), in.u32(), in.bool(), in.u64(),
                in.bool(), in.u8(), in.bool(), in.u8(), in.bool(), in.bool(), in.bool(),
                in.u32(), in.bool(), in.bool(), in.bool(), in.bool());
        int at = in.position();
        int mp = in.u8();
        if (mp >= MpState.values().length) throw in.error(at, "unknown MP state " + mp);
        in.expectEnd();
        return new VcpuState(g, sys, debug, msrs, tsc, ext, lapic, events, MpState.of(mp));
    }

    private static Segment readSegment(SectionInput in) {
        long base = in.u64();
        int limit = in.u32(), selector = in.u16();
        int at = in.position();
        int type = in.u8(), dpl = in.u8(), flags = in.u8();
        if (type > 0xf || dpl > 3 || flags > 0x7f) {
            throw in.error(at, String.format("segment with type 0x%x, dpl %d, flags 0x%x is out of range", type, dpl, flags));
        }
        return new Segment(base, limit, selector, type, (flags & 1) != 0, dpl, (flags & 2) != 0, (flags & 4) != 0,
                (flags & 8) != 0, (flags & 16) != 0, (flags & 32) != 0, (flags & 64) != 0);
    }

    private static SortedMap<Integer, Long> readMap(SectionInput in, int max, String what) {
        int n = in.count(max, what);
        Map<Integer, Long> m = new HashMap<>();
        long previous = -1;
        for (int i = 0; i < n; i++) {
            int at = in.position();
            int index = in.u32();
            if (Integer.toUnsignedLong(index) <= previous) {
                throw in.error(at, String.format("%s 0x%x is out of order or repeated", what, index));
            }
            previous = Integer.toUnsignedLong(index);
            m.put(index, in.u64());
        }
        return VcpuState.byIndex(m);
    }
}
