package org.jvirt.vmm.emu;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.cpu.state.ExtendedState;
import org.jvirt.vmm.cpu.state.MpState;
import org.jvirt.vmm.cpu.state.PendingEvents;
import org.jvirt.vmm.cpu.state.Segment;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.SegmentRegister;
import org.jvirt.vmm.cpu.state.VcpuStateSection;
import org.jvirt.vmm.state.StateReader;
import org.jvirt.vmm.state.StateWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class CpuStateMappingTest {

    /** Everything the mapping carries, as text, so a mismatch names the field. */
    static String describe(CpuState s, FxImageUnit fpu) {
        StringBuilder b = new StringBuilder();
        b.append("gpr=").append(Arrays.toString(s.gpr)).append(String.format(" rip=%x rflags=%x%n", s.rip, s.rflags()));
        String[] names = {"es", "cs", "ss", "ds", "fs", "gs"};
        for (int i = 0; i < 6; i++) b.append(names[i]).append('=').append(s.seg[i]).append(" avl=").append(s.seg[i].available).append('\n');
        b.append("tr=").append(s.tr).append(" avl=").append(s.tr.available).append("\nldtr=").append(s.ldtr).append('\n');
        b.append(String.format("gdt=%x/%x idt=%x/%x cr0=%x cr2=%x cr3=%x cr4=%x cr8=%x efer=%x xcr0=%x apic=%x cpl=%d%n",
                s.gdtBase, s.gdtLimit, s.idtBase, s.idtLimit, s.cr0, s.cr2, s.cr3, s.cr4, s.cr8, s.efer, s.xcr0, s.apicBase, s.cpl));
        b.append("dr=").append(Arrays.toString(s.dr)).append(String.format(" shadow=%b halted=%b%n", s.interruptShadow, s.halted));
        b.append(String.format("msrs star=%x lstar=%x cstar=%x sfmask=%x kgs=%x sysenter=%x/%x/%x pat=%x misc=%x%n", s.star, s.lstar,
                s.cstar, s.sfmask, s.kernelGsBase, s.sysenterCs, s.sysenterEsp, s.sysenterEip, s.pat, s.miscEnable));
        b.append("fx=").append(Arrays.toString(fpu.image));
        return b.toString();
    }

    private static void randomSegment(Random r, SegmentRegister g, boolean system) {
        g.selector = r.nextInt(0x10000);
        g.base = r.nextLong();
        g.limit = r.nextInt() & 0xffffffffL;
        g.type = r.nextInt(16);
        g.codeOrData = !system;
        g.dpl = r.nextInt(4);
        g.unusable = r.nextInt(4) == 0;
        g.present = !g.unusable; // KVM's invariant; the mapping canonicalizes other combinations
        g.db = r.nextBoolean();
        g.longMode = r.nextBoolean();
        g.granularity = r.nextBoolean();
        g.available = r.nextBoolean();
    }

    /** A protected-mode state with every mapped field random (CPL consistent with SS.DPL). */
    static CpuState randomState(Random r, FxImageUnit fpu) {
        CpuState s = new CpuState();
        s.reset();
        for (int i = 0; i < 16; i++) s.gpr[i] = r.nextLong();
        s.rip = r.nextLong();
        s.setRflags(r.nextLong() & ~CpuState.VM);
        for (SegmentRegister g : s.seg) randomSegment(r, g, false);
        randomSegment(r, s.tr, true);
        randomSegment(r, s.ldtr, true);
        s.gdtBase = r.nextLong();
        s.gdtLimit = r.nextInt(0x10000);
        s.idtBase = r.nextLong();
        s.idtLimit = r.nextInt(0x10000);
        s.cr0 = r.nextLong() | CpuState.CR0_PE;
        s.cr2 = r.nextLong();
        s.cr3 = r.nextLong();
        s.cr4 = r.nextLong();
        s.cr8 = r.nextInt(16);
        s.efer = r.nextLong();
        s.apicBase = r.nextLong();
        s.xcr0 = 1 | r.nextInt(2) * 2L;
        s.cpl = s.seg[CpuState.SS].dpl;
        for (int i : new int[]{0, 1, 2, 3, 6, 7}) s.dr[i] = r.nextLong();
        s.interruptShadow = r.nextBoolean();
        s.halted = r.nextBoolean();
        s.star = r.nextLong(); s.lstar = r.nextLong(); s.cstar = r.nextLong(); s.sfmask = r.nextLong();
        s.kernelGsBase = r.nextLong(); s.sysenterCs = r.nextLong(); s.sysenterEsp = r.nextLong(); s.sysenterEip = r.nextLong();
        s.pat = r.nextLong(); s.miscEnable = r.nextLong();
        r.nextBytes(fpu.image);
        return s;
    }

    @Test
    void randomStatesSurviveTheRoundTripExactly() {
        Random r = new Random(9);
        for (int round = 0; round < 200; round++) {
            FxImageUnit fpu = new FxImageUnit();
            CpuState s = randomState(r, fpu);
            byte[] lapic = new byte[VcpuState.LAPIC_SIZE];
            r.nextBytes(lapic);
            long tsc = r.nextLong();
            VcpuState v = CpuStateMapping.export(s, fpu, lapic, tsc, Map.of(0x6e0, 77L), CpuStateMapping.mpStateOf(s));

            FxImageUnit fpu2 = new FxImageUnit();
            CpuState back = new CpuState();
            back.reset();
            CpuStateMapping.Loaded loaded = CpuStateMapping.load(v, back, fpu2);
            assertEquals(describe(s, fpu), describe(back, fpu2), "round " + round);
            assertEquals(tsc, loaded.tsc());
            assertArrayEquals(lapic, loaded.lapic());
            assertEquals(Map.of(0x6e0, 77L), loaded.otherMsrs(), "only what CpuState has no field for is left over");
            assertEquals(s.halted ? MpState.HALTED : MpState.RUNNABLE, loaded.mpState());
            assertEquals(v, CpuStateMapping.export(back, fpu2, loaded.lapic(), loaded.tsc(), loaded.otherMsrs(), loaded.mpState()),
                    "export(load(v)) == v");
        }
    }

    @Test
    void exportHasKvmsMsrIndicesXsaveLayoutAndXcrs() {
        FxImageUnit fpu = new FxImageUnit();
        CpuState s = new CpuState();
        EmuBootEntry.apply(s, new BootCpuState(BootCpuState.Mode.LONG_64, 0x1000000, 0, 0, 0x7000, 0x500, 0x1f, 0x9000));
        s.lstar = 0xffffffff81000000L;
        s.kernelGsBase = 0xffff888000000000L;
        s.seg[CpuState.GS].base = 0x1234000;
        s.xcr0 = 3;
        VcpuState v = CpuStateMapping.export(s, fpu, new byte[VcpuState.LAPIC_SIZE], 0, Map.of(), MpState.RUNNABLE);
        assertEquals(0xffffffff81000000L, v.msrs().get(0xc0000082));
        assertEquals(0xffff888000000000L, v.msrs().get(0xc0000102));
        assertEquals(0x0007040600070406L, v.msrs().get(0x277));
        assertEquals(1L, v.msrs().get(0x1a0));
        assertFalse(v.msrs().containsKey(0xc0000100) || v.msrs().containsKey(0xc0000101), "FS/GS base are in the segments");
        assertEquals(0x1234000, v.system().gs().base());
        assertEquals(Map.of(0, 3L), v.extended().xcrs());
        byte[] x = v.extended().xsave();
        assertEquals(ExtendedState.MIN_XSAVE_SIZE, x.length);
        ByteBuffer b = ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x37f, b.getShort(0));
        assertEquals(0x1f80, b.getInt(ExtendedState.MXCSR));
        assertEquals(3, b.getLong(512), "XSTATE_BV = XCR0 | x87 | SSE");
        assertEquals(PendingEvents.NONE, v.events());
        s.interruptShadow = true;
        assertEquals(CpuStateMapping.SHADOW_STI,
                CpuStateMapping.export(s, fpu, new byte[VcpuState.LAPIC_SIZE], 0, Map.of(), MpState.RUNNABLE).events().interruptShadow());
    }

    @Test
    void kvmShapedPowerOnStateIsRealMode() {
        CpuState s = new CpuState();
        FxImageUnit fpu = new FxImageUnit();
        CpuStateMapping.Loaded l = CpuStateMapping.load(KvmShapedStates.realModePowerOn(), s, fpu);
        assertFalse(s.protectedMode());
        assertFalse(s.longMode());
        assertEquals(0, s.cpl);
        assertEquals(0xffff0000L, s.seg[CpuState.CS].base);
        assertEquals(0xfff0, s.rip);
        assertEquals(0xffff, s.seg[CpuState.DS].limit);
        assertEquals(12345, l.tsc());
        assertEquals(0x806L, s.mtrrDefType, "the MTRRs are the emulator's own now (saved and restored)");
        assertEquals(Map.of(0x6e0, 0L), l.otherMsrs());
        assertEquals((byte) 0xff, l.lapic()[0xf0]);
        // the same as the emulator's own power-on state, but for RDX (KVM's reset clears it; INIT sets the signature)
        CpuState own = new CpuState();
        EmuBootEntry.apply(own, null);
        own.gpr[CpuState.RDX] = 0;
        FxImageUnit ownFpu = new FxImageUnit();
        ownFpu.image[28] = (byte) 0xff;
        ownFpu.image[29] = (byte) 0xff; // KVM's image carries MXCSR_MASK
        assertEquals(describe(own, ownFpu), describe(s, fpu));
    }

    @Test
    void kvmShapedPvhEntryIsFlatProtected32() {
        CpuState s = new CpuState();
        CpuStateMapping.load(KvmShapedStates.boot(false), s, new FxImageUnit());
        assertTrue(s.protectedMode());
        assertFalse(s.longMode());
        assertFalse(s.mode64());
        assertEquals(0, s.cpl);
        assertTrue(s.seg[CpuState.CS].db, "32-bit code");
        assertEquals(0xffffffffL, s.seg[CpuState.CS].limit, "the u32 limit is not sign-extended");
        assertEquals(0, s.cr0 & CpuState.CR0_PG);
        assertEquals(KvmShapedStates.RSI, s.gpr[CpuState.RSI]);
        assertEquals(KvmShapedStates.RSP, s.gpr[CpuState.RSP]);
        assertEquals(KvmShapedStates.RIP, s.rip);
    }

    @Test
    void kvmShapedLongEntryIs64Bit() {
        CpuState s = new CpuState();
        CpuStateMapping.load(KvmShapedStates.boot(true), s, new FxImageUnit());
        assertTrue(s.protectedMode());
        assertTrue(s.longMode());
        assertTrue(s.mode64());
        assertFalse(s.seg[CpuState.CS].db);
        assertEquals(KvmShapedStates.CR3, s.cr3);
        assertNotEquals(0, s.cr4 & CpuState.CR4_PAE);
        assertNotEquals(0, s.cr0 & CpuState.CR0_PG);
    }

    @Test
    void userModeAndUnusableSegmentsAsKvmReportsThem() {
        VcpuState k = KvmShapedStates.boot(true);
        var sys = k.system();
        Segment userCode = KvmShapedStates.kvm(0, 0xffffffff, 0x33, 0xb, 1, 3, 0, 1, 1, 1);
        Segment userData = KvmShapedStates.kvm(0, 0xffffffff, 0x2b, 0x3, 1, 3, 1, 1, 0, 1);
        Segment nullSeg = KvmShapedStates.kvm(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        VcpuState user = new VcpuState(k.general(), new org.jvirt.vmm.cpu.state.SystemRegisters(userCode, nullSeg, nullSeg,
                nullSeg, nullSeg, userData, sys.tr(), nullSeg, sys.gdt(), sys.idt(), sys.cr0(), sys.cr2(), sys.cr3(), sys.cr4(),
                sys.cr8(), sys.efer(), sys.apicBase(), new long[4]), k.debug(), k.msrs(), k.tsc(), k.extended(), k.lapic(),
                k.events(), k.mpState());
        CpuState s = new CpuState();
        FxImageUnit fpu = new FxImageUnit();
        CpuStateMapping.Loaded l = CpuStateMapping.load(user, s, fpu);
        assertEquals(3, s.cpl);
        assertTrue(s.mode64());
        assertTrue(s.seg[CpuState.DS].unusable);
        assertFalse(s.seg[CpuState.DS].present);
        assertTrue(s.ldtr.unusable);
        VcpuState again = CpuStateMapping.export(s, fpu, l.lapic(), l.tsc(), l.otherMsrs(), l.mpState());
        assertEquals(user.system(), again.system(), "KVM's segments map back to themselves");
        assertEquals(user.general(), again.general());
        assertEquals(user.debug(), again.debug());
        assertEquals(user.events(), again.events());
        user.msrs().forEach((i, v) -> assertEquals(v, again.msrs().get(i), Integer.toHexString(i)));
        assertEquals(0x0007040600070406L, again.msrs().get(CpuStateMapping.MSR_PAT), "PAT added at its power-on value");
        assertArrayEquals(Arrays.copyOf(user.extended().xsave(), 512), Arrays.copyOf(again.extended().xsave(), 512));
        // the emulator's 'unusable but still marked present' is exported as KVM has it
        s.seg[CpuState.DS].present = true;
        Segment ds = CpuStateMapping.export(s, fpu, l.lapic(), l.tsc(), l.otherMsrs(), l.mpState()).system().ds();
        assertTrue(ds.unusable());
        assertFalse(ds.present());
    }

    @Test
    void xsaveComponentsInTheirInitStateAreReadAsInitValues() {
        byte[] xsave = new byte[ExtendedState.MIN_XSAVE_SIZE];
        Arrays.fill(xsave, 0, 512, (byte) 0x5a);
        ByteBuffer b = ByteBuffer.wrap(xsave).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(ExtendedState.MXCSR, 0x1fa0);
        b.putLong(512, 0); // neither x87 nor SSE state saved
        byte[] fx = CpuStateMapping.fxImage(xsave);
        ByteBuffer f = ByteBuffer.wrap(fx).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x37f, f.getShort(0));
        assertEquals(0, f.getShort(2));
        assertEquals(0x1fa0, f.getInt(ExtendedState.MXCSR), "MXCSR is always live");
        for (int i = 32; i < 160 + 256; i++) assertEquals(0, fx[i], "byte " + i);
        b.putLong(512, 3);
        assertArrayEquals(Arrays.copyOf(xsave, 512), CpuStateMapping.fxImage(xsave));
    }

    @Test
    void stateWithAvxEnabledIsRefusedBeforeAnythingChanges() {
        VcpuState k = KvmShapedStates.boot(true);
        VcpuState avx = new VcpuState(k.general(), k.system(), k.debug(), k.msrs(), k.tsc(),
                new ExtendedState(k.extended().xsave(), VcpuState.byIndex(Map.of(0, 7L))), k.lapic(), k.events(), k.mpState());
        CpuState s = new CpuState();
        s.reset();
        FxImageUnit fpu = new FxImageUnit();
        String before = describe(s, fpu);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuStateMapping.load(avx, s, fpu));
        assertTrue(e.getMessage().contains("0x4"), e.getMessage());
        assertEquals(before, describe(s, fpu));
    }

    @Test
    void pendingEventsAndApWaitingStateAreHandedToTheCaller() {
        VcpuState k = KvmShapedStates.realModePowerOn();
        PendingEvents injected = new PendingEvents(false, false, 0, false, 0, false, 0, true, 0x30, false,
                CpuStateMapping.SHADOW_MOV_SS, false, true, false, 0x9a, false, false, false, false);
        VcpuState v = new VcpuState(k.general(), k.system(), k.debug(), k.msrs(), k.tsc(), k.extended(), k.lapic(),
                injected, MpState.UNINITIALIZED);
        CpuState s = new CpuState();
        CpuStateMapping.Loaded l = CpuStateMapping.load(v, s, new FxImageUnit());
        assertTrue(s.interruptShadow);
        assertFalse(s.halted);
        assertEquals(MpState.UNINITIALIZED, l.mpState());
        assertTrue(l.events().interruptInjected());
        assertEquals(0x30, l.events().interruptVector());
        assertTrue(l.events().nmiPending());
        assertEquals(0x9a, l.events().sipiVector());
        assertEquals(0, l.events().interruptShadow(), "the shadow is in CpuState now");
    }

    @Test
    void anEmulatorStateGoesThroughTheMachineStateFileUnchanged(@TempDir Path dir) throws IOException {
        FxImageUnit fpu = new FxImageUnit();
        CpuState s = randomState(new Random(5), fpu);
        VcpuState v = CpuStateMapping.export(s, fpu, new byte[VcpuState.LAPIC_SIZE], 42, Map.of(0x6e0, 5L), MpState.HALTED);
        Path f = dir.resolve("emu.state");
        try (StateWriter w = StateWriter.create(f)) {
            w.section(VcpuStateSection.id(0), VcpuStateSection.VERSION, out -> VcpuStateSection.write(out, v));
            w.commit();
        }
        VcpuState read;
        try (StateReader r = StateReader.open(f)) {
            read = VcpuStateSection.read(r.section("vcpu0"));
        }
        assertEquals(v, read);
        CpuState back = new CpuState();
        FxImageUnit fpu2 = new FxImageUnit();
        CpuStateMapping.load(read, back, fpu2);
        assertEquals(describe(s, fpu), describe(back, fpu2));
    }
}
