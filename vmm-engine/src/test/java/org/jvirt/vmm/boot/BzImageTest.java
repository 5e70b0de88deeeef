package org.jvirt.vmm.boot;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.X86MemoryLayout;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

/** The Linux boot protocol on a synthetic bzImage (setup header only, then a fake kernel body). */
class BzImageTest {

    static byte[] synthetic(int version, int setupSects, int xloadflags, int kernelBytes) {
        int eff = setupSects == 0 ? 4 : setupSects; // 0 means 4 sectors
        byte[] d = new byte[(eff + 1) * 512 + kernelBytes];
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        d[BzImage.SETUP_SECTS] = (byte) setupSects;
        b.putShort(BzImage.BOOT_FLAG, (short) 0xAA55);
        d[BzImage.JUMP] = (byte) 0xEB;
        d[BzImage.JUMP + 1] = 0x66; // header ends at 0x268
        b.putInt(BzImage.HEADER, BzImage.HDRS_MAGIC);
        b.putShort(BzImage.VERSION, (short) version);
        d[BzImage.LOADFLAGS] = BzImage.LOADED_HIGH;
        b.putInt(BzImage.CODE32_START, 0x100000);
        b.putInt(BzImage.INITRD_ADDR_MAX, 0x7fffffff);
        b.putInt(BzImage.KERNEL_ALIGNMENT, 0x200000);
        b.putShort(BzImage.XLOADFLAGS, (short) xloadflags);
        b.putInt(BzImage.CMDLINE_SIZE, 2047);
        b.putInt(BzImage.INIT_SIZE, 0x300000);
        for (int i = 0; i < kernelBytes; i++) d[(eff + 1) * 512 + i] = (byte) (i * 7);
        return d;
    }

    @Test
    void parsesTheSetupHeader() {
        BzImage img = BzImage.parse(synthetic(0x020f, 27, BzImage.XLF_KERNEL_64, 1000));
        assertEquals(27, img.setupSects());
        assertEquals(0x020f, img.version());
        assertEquals(28 * 512, img.kernelOffset());
        assertEquals(1000, img.kernelSize());
        assertEquals(2047, img.cmdlineSize());
        assertEquals(0x300000, img.initSize());
        assertEquals(0x268, img.headerEnd());
        assertEquals(4, BzImage.parse(synthetic(0x020f, 0, BzImage.XLF_KERNEL_64, 2600)).setupSects(), "0 means 4");
    }

    @Test
    void rejectsOldProtocolsAnd32BitOnlyKernels() {
        assertTrue(assertThrows(BootException.class, () -> BzImage.parse(synthetic(0x020a, 4, 1, 100)))
                .getMessage().contains("2.12"));
        assertThrows(BootException.class, () -> BzImage.parse(synthetic(0x020f, 4, 0, 100)));
        byte[] zimage = synthetic(0x020f, 4, 1, 100);
        zimage[BzImage.LOADFLAGS] = 0;
        assertThrows(BootException.class, () -> BzImage.parse(zimage));
        assertFalse(BzImage.isBzImage(new byte[100]));
    }

    @Test
    void loadWritesKernelZeroPageE820CmdlineInitrdAndPageTables() {
        long ram = 128L << 20;
        byte[] image = synthetic(0x020f, 4, BzImage.XLF_KERNEL_64, 4096);
        try (MmapGuestMemory mem = MmapGuestMemory.x86(ram)) {
            var map = MemoryMap.forRam(X86MemoryLayout.ramRanges(ram)).entries();
            byte[] initrd = new byte[10000];
            initrd[9999] = 42;
            BootCpuState s = BootLoader.forImage(image).load(mem, new BootParams("root=/dev/vda", initrd, 0, map));

            assertEquals(BootCpuState.Mode.LONG_64, s.mode());
            assertEquals(0x100200, s.rip(), "64-bit entry = load address + 0x200");
            assertEquals(BootLayout.ZERO_PAGE, s.rsi());
            assertEquals(BootLayout.PML4, s.cr3());
            assertEquals((byte) (100 * 7), mem.readByte(0x100000 + 100), "protected-mode kernel at 1 MiB");

            long zp = BootLayout.ZERO_PAGE;
            assertEquals(BzImage.HDRS_MAGIC, mem.readInt(zp + BzImage.HEADER), "setup header copied");
            assertEquals((short) 0xAA55, mem.readShort(zp + BzImage.BOOT_FLAG));
            assertEquals((byte) 0xff, mem.readByte(zp + BzImage.TYPE_OF_LOADER));
            assertEquals(BzImage.LOADED_HIGH | BzImage.CAN_USE_HEAP, mem.readByte(zp + BzImage.LOADFLAGS) & 0xff);
            assertEquals((int) BootLayout.CMDLINE, mem.readInt(zp + BzImage.CMD_LINE_PTR));
            int rd = mem.readInt(zp + BzImage.RAMDISK_IMAGE);
            assertEquals(10000, mem.readInt(zp + BzImage.RAMDISK_SIZE));
            assertEquals(42, mem.readByte(rd + 9999L));
            assertTrue(rd >= 0x100000 + 0x300000, "initrd above the kernel's init_size");
            assertEquals(map.size(), mem.readByte(zp + 0x1e8));
            for (int i = 0; i < map.size(); i++) {
                long at = zp + 0x2d0 + 20L * i;
                assertEquals(map.get(i).address(), mem.readLong(at));
                assertEquals(map.get(i).size(), mem.readLong(at + 8));
                assertEquals(map.get(i).type(), mem.readInt(at + 16));
            }
            // identity map: PML4[0] -> PDPT, PDPT[3] -> 4th PD, whose entry 511 maps 0xFFE00000
            assertEquals(BootLayout.PDPT | 3, mem.readLong(BootLayout.PML4));
            assertEquals((BootLayout.PD + 0x3000) | 3, mem.readLong(BootLayout.PDPT + 24));
            assertEquals(0xFFE00000L | 0x83, mem.readLong(BootLayout.PD + 0x3000 + 511 * 8));
            assertEquals(0x00af9b000000ffffL, mem.readLong(BootLayout.GDT + 8), "64-bit code descriptor");
        }
    }

    @Test
    void tooLongCommandLineIsRejected() {
        byte[] image = synthetic(0x020f, 4, BzImage.XLF_KERNEL_64, 4096);
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(BzImage.CMDLINE_SIZE, 10);
        try (MmapGuestMemory mem = MmapGuestMemory.x86(32L << 20)) {
            var map = MemoryMap.forRam(X86MemoryLayout.ramRanges(32L << 20)).entries();
            assertThrows(BootException.class, () -> BootLoader.forImage(image).load(mem, new BootParams("0123456789a", null, 0, map)));
        }
    }
}
