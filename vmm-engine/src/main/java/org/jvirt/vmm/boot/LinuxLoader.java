package org.jvirt.vmm.boot;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.memory.GuestMemory;

import java.util.List;

/**
 * The Linux x86 64-bit boot protocol for a bzImage: the protected-mode kernel at 1 MiB, a zero
 * page (boot_params) with the setup header, e820 map, command line and initrd, identity page
 * tables for the first 4 GiB, and entry in long mode at load address + 0x200 with RSI = zero page.
 */
public final class LinuxLoader implements BootLoader {
    /** boot_params offsets (Documentation/arch/x86/zero-page.rst). */
    static final int EXT_RAMDISK_IMAGE = 0x0c0, EXT_RAMDISK_SIZE = 0x0c4, EXT_CMD_LINE_PTR = 0x0c8,
            E820_ENTRIES = 0x1e8, E820_TABLE = 0x2d0, E820_ENTRY_SIZE = 20, E820_MAX = 128, ZERO_PAGE_SIZE = 4096;
    static final long LOAD_ADDRESS = 0x100000;
    static final long ENTRY_64_OFFSET = 0x200;
    static final long PAGE_PRESENT_RW = 0x3, PAGE_HUGE = 0x80;

    private final BzImage image;

    public LinuxLoader(BzImage image) {
        this.image = image;
    }

    @Override
    public BootCpuState load(GuestMemory mem, BootParams params) {
        long kernelEnd = LOAD_ADDRESS + Math.max(image.kernelSize(), image.initSize());
        if (!mem.isValidRange(LOAD_ADDRESS, kernelEnd - LOAD_ADDRESS))
            throw new BootException(String.format("kernel needs 0x%x bytes at 1 MiB; guest RAM is %d MiB",
                    kernelEnd - LOAD_ADDRESS, mem.size() >> 20));
        LowMemory.copy(mem, LOAD_ADDRESS, image.data(), image.kernelOffset(), image.kernelSize(), "kernel");

        long zp = BootLayout.ZERO_PAGE;
        LowMemory.zero(mem, zp, ZERO_PAGE_SIZE, "zero page");
        LowMemory.copy(mem, zp + BzImage.SETUP_SECTS, image.data(), BzImage.SETUP_SECTS,
                image.headerEnd() - BzImage.SETUP_SECTS, "setup header");
        mem.writeByte(zp + BzImage.TYPE_OF_LOADER, (byte) 0xff); // undefined loader
        int loadflags = (image.loadflags() | BzImage.CAN_USE_HEAP) & ~BzImage.KEEP_SEGMENTS;
        mem.writeByte(zp + BzImage.LOADFLAGS, (byte) loadflags);
        mem.writeShort(zp + BzImage.HEAP_END_PTR, (short) 0xfe00);
        mem.writeInt(zp + BzImage.CODE32_START, (int) LOAD_ADDRESS);

        int cmdMax = image.cmdlineSize() > 0 ? (int) Math.min(image.cmdlineSize() + 1, BootLayout.CMDLINE_MAX) : 256;
        LowMemory.writeCmdline(mem, params.cmdline(), cmdMax);
        mem.writeInt(zp + BzImage.CMD_LINE_PTR, (int) BootLayout.CMDLINE);

        if (params.initrd() != null) {
            byte[] initrd = params.initrd();
            long max = image.initrdAddrMax() == 0 ? 0x37ffffffL : image.initrdAddrMax();
            long at = LowMemory.placeInitrd(params.memoryMap(), initrd.length, kernelEnd, max + 1);
            LowMemory.copy(mem, at, initrd, 0, initrd.length, "initrd");
            mem.writeInt(zp + BzImage.RAMDISK_IMAGE, (int) at);
            mem.writeInt(zp + BzImage.RAMDISK_SIZE, initrd.length);
        }

        List<E820Entry> map = params.memoryMap();
        if (map.size() > E820_MAX) throw new BootException("e820 map has more than " + E820_MAX + " entries");
        mem.writeByte(zp + E820_ENTRIES, (byte) map.size());
        for (int i = 0; i < map.size(); i++) {
            long at = zp + E820_TABLE + (long) i * E820_ENTRY_SIZE;
            mem.writeLong(at, map.get(i).address());
            mem.writeLong(at + 8, map.get(i).size());
            mem.writeInt(at + 16, map.get(i).type());
        }

        writeIdentityPageTables(mem);
        int gdtLimit = LowMemory.writeGdt(mem, true);
        return new BootCpuState(BootCpuState.Mode.LONG_64, LOAD_ADDRESS + ENTRY_64_OFFSET, BootLayout.BOOT_STACK,
                0, zp, BootLayout.GDT, gdtLimit, BootLayout.PML4);
    }

    /** PML4[0] -> PDPT, PDPT[0..3] -> four PDs of 2 MiB pages: the first 4 GiB identity-mapped. */
    static void writeIdentityPageTables(GuestMemory mem) {
        LowMemory.zero(mem, BootLayout.PML4, 0x1000, "page tables");
        LowMemory.zero(mem, BootLayout.PDPT, 0x1000, "page tables");
        mem.writeLong(BootLayout.PML4, BootLayout.PDPT | PAGE_PRESENT_RW);
        for (int i = 0; i < 4; i++) {
            long pd = BootLayout.PD + 0x1000L * i;
            mem.writeLong(BootLayout.PDPT + 8L * i, pd | PAGE_PRESENT_RW);
            for (int j = 0; j < 512; j++) {
                mem.writeLong(pd + 8L * j, (((long) i * 512 + j) << 21) | PAGE_PRESENT_RW | PAGE_HUGE);
            }
        }
    }
}
