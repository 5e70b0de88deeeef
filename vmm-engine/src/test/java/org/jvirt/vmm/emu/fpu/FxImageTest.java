package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_NONE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** FXSAVE/FXRSTOR layouts (SDM Vol. 1 tables 10-2, 10-3) and the machine-state image. */
class FxImageTest {
    private static void populate(Rig rig) {
        rig.fldcw(0x27f);
        rig.fld(1.5);
        rig.fild(-12345678901234L);
        rig.r.mxcsr = 0x9f80 | 0x20;
        for (int i = 0; i < 16; i++) rig.xmm(i, 0x1111111111111111L * i, ~(0x0101010101010101L * i));
    }

    @Test
    void fxsave64LayoutAndRoundTrip() {
        Rig rig = new Rig();
        populate(rig);
        rig.rm(MAP_0F, 0xae, PREFIX_NONE, 0, 0x1000, 0, true); // FXSAVE64 [0x1000]
        TestMemory m = rig.mem;
        assertEquals(0x27f, m.read16(0x1000, false));
        assertEquals(6 << 11, m.read16(0x1002, false) & 0x3800, "TOP 6");
        assertEquals(0xc0, m.read8(0x1004, false), "abridged tag: physical 6 and 7 valid");
        assertEquals(0x9fa0, m.read32(0x1018, false));
        assertEquals(0xffff, m.read32(0x101c, false), "MXCSR_MASK");
        assertEquals(0xc02a, m.read16(0x1020 + 8, false), "ST0 = -12345678901234: sign and exponent 43");
        assertEquals(12345678901234L << 20, m.read64(0x1020, false));
        assertEquals(0x3fff, m.read16(0x1030 + 8, false), "ST1 = 1.5");
        assertEquals(0xc000000000000000L, m.read64(0x1030, false));
        assertEquals(0x1111111111111111L * 15, m.read64(0x1000 + 160 + 16 * 15, false), "XMM15 saved in 64-bit mode");
        Rig other = new Rig();
        System.arraycopy(m.bytes, 0x1000, other.mem.bytes, 0x2000, 512);
        other.rm(MAP_0F, 0xae, PREFIX_NONE, 1, 0x2000, 0, true); // FXRSTOR64
        assertEquals(0x27f, other.r.fcw);
        assertEquals(rig.r.statusWord(), other.r.statusWord());
        assertEquals(rig.r.tagValid, other.r.tagValid);
        assertEquals(rig.r.mxcsr, other.r.mxcsr);
        assertArrayEquals(rig.r.xmm, other.r.xmm);
        assertEquals(-12345678901234L, other.fistp());
        assertEquals(1.5, other.fstp());
    }

    @Test
    void legacyLayoutSavesEightXmmRegistersAndSelectors() {
        Rig rig = new Rig();
        rig.cpu.seg[CpuState.CS].longMode = false;
        rig.cpu.seg[CpuState.CS].selector = 0x10;
        rig.cpu.rip = 0x401234;
        populate(rig);
        for (int i = 0; i < 512; i += 8) rig.mem.write64(0x3000 + i, 0x5a5a5a5a5a5a5a5aL, false);
        rig.rm(MAP_0F, 0xae, PREFIX_NONE, 0, 0x3000, 0, false);
        assertEquals(0x401234, rig.mem.read32(0x3008, false), "FIP");
        assertEquals(0x10, rig.mem.read16(0x300c, false), "FCS");
        assertEquals(0x1111111111111111L * 7, rig.mem.read64(0x3000 + 160 + 16 * 7, false));
        assertEquals(0x5a5a5a5a5a5a5a5aL, rig.mem.read64(0x3000 + 160 + 16 * 8, false), "XMM8-15 not written");
    }

    @Test
    void fxrstorChecksAlignmentAndMxcsr() {
        Rig rig = new Rig();
        rig.rm(MAP_0F, 0xae, PREFIX_NONE, 0, 0x1000, 0, true);
        assertEquals(CpuFault.GP, assertThrows(CpuFault.class, () -> rig.rm(MAP_0F, 0xae, PREFIX_NONE, 1, 0x1008, 0, true)).vector);
        rig.mem.write32(0x1018, 0x11f80, false);
        assertEquals(CpuFault.GP, assertThrows(CpuFault.class, () -> rig.rm(MAP_0F, 0xae, PREFIX_NONE, 1, 0x1000, 0, true)).vector);
    }

    @Test
    void machineStateImageRoundTrips() {
        Rig rig = new Rig();
        populate(rig);
        byte[] img = new byte[512];
        rig.unit.saveFxImage(img);
        Rig other = new Rig();
        other.unit.loadFxImage(img);
        byte[] again = new byte[512];
        other.unit.saveFxImage(again);
        assertArrayEquals(img, again);
        assertEquals(-12345678901234L, other.fistp());
        other.unit.reset();
        assertEquals(0x1f80, other.r.mxcsr);
        assertEquals(0x37f, other.r.fcw);
        assertEquals(0, other.r.tagValid);
    }
}
