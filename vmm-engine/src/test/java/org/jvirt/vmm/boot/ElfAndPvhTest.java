package org.jvirt.vmm.boot;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.X86MemoryLayout;
import org.jvirt.vmm.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class ElfAndPvhTest {
    private static final byte[] CODE = {1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void parsesSegmentsAndPvhNoteOfElf32AndElf64() {
        for (boolean elf64 : new boolean[]{false, true}) {
            ElfImage e = ElfImage.parse(TestImages.pvhElf(elf64, CODE, 0x200000, 0x100, 0x200004));
            assertEquals(0x200004, e.pvhEntry(), "elf64=" + elf64);
            assertEquals(1, e.segments().size());
            ElfImage.Segment s = e.segments().get(0);
            assertEquals(0x200000, s.paddr());
            assertEquals(8, s.fileSize());
            assertEquals(0x108, s.memSize());
            assertEquals(0x200108, e.end());
        }
    }

    @Test
    void malformedImagesGiveBootExceptions() {
        byte[] good = TestImages.pvhElf(true, CODE, 0x200000, 0, 0x200000);
        assertThrows(BootException.class, () -> ElfImage.parse(Arrays.copyOf(good, 40)));
        byte[] badPhoff = good.clone();
        ByteBuffer.wrap(badPhoff).order(ByteOrder.LITTLE_ENDIAN).putLong(32, 1L << 40);
        assertThrows(BootException.class, () -> ElfImage.parse(badPhoff));
        byte[] truncated = Arrays.copyOf(good, good.length - 4); // segment data runs past the end of the file
        assertThrows(BootException.class, () -> ElfImage.parse(truncated));
        byte[] bigEndian = good.clone();
        bigEndian[5] = 2;
        assertThrows(BootException.class, () -> ElfImage.parse(bigEndian));
        byte[] arm = good.clone();
        arm[18] = (byte) 183;
        assertThrows(BootException.class, () -> ElfImage.parse(arm));
    }

    @Test
    void elfWithoutPvhNoteIsRejected() {
        byte[] img = TestImages.pvhElf(true, CODE, 0x200000, 0, 0x200000);
        int noteOff = 64 + 2 * 56;
        img[noteOff + 12 + 4 + 4 + 8] = 17; // turn the Xen note's type 18 into 17
        BootException e = assertThrows(BootException.class, () -> BootLoader.forImage(img));
        assertTrue(e.getMessage().contains("PVH"), e.getMessage());
    }

    @Test
    void pvhLoadWritesSegmentsStartInfoMemmapCmdlineAndInitrd() {
        long ram = 64L << 20;
        try (MmapGuestMemory mem = MmapGuestMemory.x86(ram)) {
            mem.writeLong(0x200008, -1L); // stale data where the bss goes must be zeroed
            var map = MemoryMap.forRam(X86MemoryLayout.ramRanges(ram)).entries();
            byte[] initrd = {9, 8, 7, 6, 5};
            BootCpuState s = BootLoader.forImage(TestImages.pvhElf(false, CODE, 0x200000, 0x10, 0x200002))
                    .load(mem, new BootParams("console=ttyS0", initrd, 0xe0000, map));

            assertEquals(BootCpuState.Mode.PROTECTED_32, s.mode());
            assertEquals(0x200002, s.rip());
            assertEquals(BootLayout.PVH_START_INFO, s.rbx());
            byte[] loaded = new byte[8];
            mem.read(0x200000, loaded, 0, 8);
            assertArrayEquals(CODE, loaded);
            assertEquals(0, mem.readLong(0x200008), "bss zeroed");

            long si = s.rbx();
            assertEquals(0x336ec578, mem.readInt(si));
            assertEquals(1, mem.readInt(si + 4));
            assertEquals(1, mem.readInt(si + 12), "nr_modules");
            assertEquals(BootLayout.CMDLINE, mem.readLong(si + 24));
            assertEquals(0xe0000, mem.readLong(si + 32), "rsdp");
            assertEquals(BootLayout.PVH_MEMMAP, mem.readLong(si + 40));
            assertEquals(map.size(), mem.readInt(si + 48));
            for (int i = 0; i < map.size(); i++) {
                long at = BootLayout.PVH_MEMMAP + 24L * i;
                assertEquals(map.get(i).address(), mem.readLong(at));
                assertEquals(map.get(i).size(), mem.readLong(at + 8));
                assertEquals(map.get(i).type(), mem.readInt(at + 16));
            }
            byte[] cmd = new byte[14];
            mem.read(BootLayout.CMDLINE, cmd, 0, 14);
            assertEquals("console=ttyS0\0", new String(cmd, java.nio.charset.StandardCharsets.US_ASCII));

            long mod = mem.readLong(si + 16);
            long initrdAt = mem.readLong(mod);
            assertEquals(5, mem.readLong(mod + 8));
            assertEquals(0, initrdAt % 4096);
            assertTrue(initrdAt >= 0x200010 && initrdAt + 5 <= ram, "initrd above the kernel, inside RAM");
            byte[] back = new byte[5];
            mem.read(initrdAt, back, 0, 5);
            assertArrayEquals(initrd, back);
            assertEquals(0x00cf9b000000ffffL, mem.readLong(BootLayout.GDT + 8), "flat 32-bit code descriptor");
        }
    }

    @Test
    void segmentsOutsideRamOrBelow1MiBAreRejected() {
        try (MmapGuestMemory mem = MmapGuestMemory.x86(4L << 20)) {
            var params = new BootParams("", null, 0, MemoryMap.forRam(X86MemoryLayout.ramRanges(4L << 20)).entries());
            BootException big = assertThrows(BootException.class,
                    () -> BootLoader.forImage(TestImages.pvhElf(true, CODE, 0x3ffff0, 0x100, 0x3ffff0)).load(mem, params));
            assertTrue(big.getMessage().contains("does not fit"), big.getMessage());
            assertThrows(BootException.class,
                    () -> BootLoader.forImage(TestImages.pvhElf(true, CODE, 0x7000, 0, 0x7000)).load(mem, params));
            assertThrows(BootException.class,
                    () -> BootLoader.forImage(TestImages.pvhElf(true, CODE, 0xC000_0000L, 0, 0xC000_0000L)).load(mem, params));
        }
    }

    @Test
    void memoryMapReservesLegacyAreaAndCarvesRanges() {
        var m = MemoryMap.forRam(X86MemoryLayout.ramRanges(4L << 30));
        var e = m.entries();
        assertEquals(new E820Entry(0, 0x9fc00, E820Entry.RAM), e.get(0));
        assertEquals(new E820Entry(0x9fc00, 0x100000 - 0x9fc00, E820Entry.RESERVED), e.get(1));
        assertEquals(new E820Entry(0x100000, 0xC000_0000L - 0x100000, E820Entry.RAM), e.get(2));
        assertEquals(new E820Entry(0x1_0000_0000L, 1L << 30, E820Entry.RAM), e.get(3));
        m.mark(0x200000, 0x1000, E820Entry.ACPI);
        e = m.entries();
        assertEquals(new E820Entry(0x100000, 0x100000, E820Entry.RAM), e.get(2));
        assertEquals(new E820Entry(0x200000, 0x1000, E820Entry.ACPI), e.get(3));
        assertEquals(new E820Entry(0x201000, 0xC000_0000L - 0x201000, E820Entry.RAM), e.get(4));
    }
}
