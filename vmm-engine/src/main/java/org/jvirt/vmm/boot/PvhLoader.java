package org.jvirt.vmm.boot;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.memory.GuestMemory;

import java.util.List;

/**
 * Xen PVH direct boot of an ELF with a XEN_ELFNOTE_PHYS32_ENTRY note: loads the PT_LOAD
 * segments at their physical addresses, writes hvm_start_info (version 1, with the memory map,
 * command line, RSDP and an initrd module) and enters in flat 32-bit protected mode with paging
 * off and EBX pointing at the start info (Linux include/xen/interface/hvm/start_info.h).
 */
public final class PvhLoader implements BootLoader {
    public static final int START_INFO_MAGIC = 0x336ec578;
    /** struct hvm_start_info offsets (56 bytes). */
    static final int SI_MAGIC = 0, SI_VERSION = 4, SI_FLAGS = 8, SI_NR_MODULES = 12, SI_MODLIST = 16,
            SI_CMDLINE = 24, SI_RSDP = 32, SI_MEMMAP = 40, SI_MEMMAP_ENTRIES = 48, SI_RESERVED = 52, SI_SIZE = 56;
    /** struct hvm_modlist_entry (32 bytes) and hvm_memmap_table_entry (24 bytes). */
    static final int MOD_PADDR = 0, MOD_SIZE = 8, MOD_CMDLINE = 16, MOD_ENTRY_SIZE = 32;
    static final int MM_ADDR = 0, MM_SIZE = 8, MM_TYPE = 16, MM_ENTRY_SIZE = 24;

    private final ElfImage elf;

    public PvhLoader(ElfImage elf) {
        if (elf.pvhEntry() == ElfImage.NO_ENTRY)
            throw new BootException("ELF kernel has no XEN_ELFNOTE_PHYS32_ENTRY (PVH) note; it cannot be booted directly");
        this.elf = elf;
    }

    @Override
    public BootCpuState load(GuestMemory mem, BootParams params) {
        for (ElfImage.Segment s : elf.segments()) {
            if (s.paddr() < BootLayout.KERNEL_MIN)
                throw new BootException(String.format("ELF segment at 0x%x is below 1 MiB, where the boot data lives", s.paddr()));
            if (!mem.isValidRange(s.paddr(), s.memSize()))
                throw new BootException(String.format("ELF segment 0x%x+0x%x does not fit in guest RAM (%d MiB)",
                        s.paddr(), s.memSize(), mem.size() >> 20));
            LowMemory.copy(mem, s.paddr(), elf.data(), (int) s.fileOffset(), (int) s.fileSize(), "ELF segment");
            LowMemory.zero(mem, s.paddr() + s.fileSize(), s.memSize() - s.fileSize(), "ELF bss");
        }
        int gdtLimit = LowMemory.writeGdt(mem, false);
        LowMemory.writeCmdline(mem, params.cmdline(), BootLayout.CMDLINE_MAX);

        List<E820Entry> map = params.memoryMap();
        if (map.size() > BootLayout.MAX_MEMMAP_ENTRIES) throw new BootException("memory map has too many entries");
        for (int i = 0; i < map.size(); i++) {
            long at = BootLayout.PVH_MEMMAP + (long) i * MM_ENTRY_SIZE;
            E820Entry e = map.get(i);
            mem.writeLong(at + MM_ADDR, e.address());
            mem.writeLong(at + MM_SIZE, e.size());
            mem.writeInt(at + MM_TYPE, e.type());
            mem.writeInt(at + MM_TYPE + 4, 0);
        }

        long si = BootLayout.PVH_START_INFO;
        LowMemory.zero(mem, si, SI_SIZE + MOD_ENTRY_SIZE, "start info");
        int modules = 0;
        if (params.initrd() != null) {
            byte[] initrd = params.initrd();
            long at = LowMemory.placeInitrd(map, initrd.length, elf.end(), 1L << 32);
            LowMemory.copy(mem, at, initrd, 0, initrd.length, "initrd");
            mem.writeLong(BootLayout.PVH_MODLIST + MOD_PADDR, at);
            mem.writeLong(BootLayout.PVH_MODLIST + MOD_SIZE, initrd.length);
            modules = 1;
        }
        mem.writeInt(si + SI_MAGIC, START_INFO_MAGIC);
        mem.writeInt(si + SI_VERSION, 1);
        mem.writeInt(si + SI_FLAGS, 0);
        mem.writeInt(si + SI_NR_MODULES, modules);
        mem.writeLong(si + SI_MODLIST, modules > 0 ? BootLayout.PVH_MODLIST : 0);
        mem.writeLong(si + SI_CMDLINE, BootLayout.CMDLINE);
        mem.writeLong(si + SI_RSDP, params.rsdpAddress());
        mem.writeLong(si + SI_MEMMAP, BootLayout.PVH_MEMMAP);
        mem.writeInt(si + SI_MEMMAP_ENTRIES, map.size());
        return LowMemory.protectedMode(elf.pvhEntry(), si, gdtLimit);
    }
}
