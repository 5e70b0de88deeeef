package org.jvirt.vmm.boot;

import org.jvirt.vmm.memory.RamRange;
import org.jvirt.vmm.memory.X86MemoryLayout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the e820-style map a PC guest is given, as Firecracker and cloud-hypervisor do:
 * RAM below the EBDA (0x9FC00), the legacy area up to 1 MiB reserved (EBDA, VGA, ROMs, where
 * the ACPI tables live), RAM from 1 MiB to the PCI hole, RAM above 4 GiB; further ranges
 * (ACPI tables placed elsewhere) can be carved out of RAM as reserved.
 */
public final class MemoryMap {
    private final List<E820Entry> entries = new ArrayList<>();

    public static MemoryMap forRam(List<RamRange> ram) {
        MemoryMap m = new MemoryMap();
        for (RamRange r : ram) {
            if (r.start() == 0) {
                long low = Math.min(r.end(), X86MemoryLayout.EBDA_START);
                m.entries.add(new E820Entry(0, low, E820Entry.RAM));
                if (r.end() > X86MemoryLayout.HIGH_MEMORY_START) {
                    m.entries.add(new E820Entry(X86MemoryLayout.EBDA_START,
                            X86MemoryLayout.HIGH_MEMORY_START - X86MemoryLayout.EBDA_START, E820Entry.RESERVED));
                    m.entries.add(new E820Entry(X86MemoryLayout.HIGH_MEMORY_START,
                            r.end() - X86MemoryLayout.HIGH_MEMORY_START, E820Entry.RAM));
                }
            } else {
                m.entries.add(new E820Entry(r.start(), r.size(), E820Entry.RAM));
            }
        }
        return m;
    }

    /** Marks [address, address+size) with type, splitting whatever RAM entries it overlaps. */
    public MemoryMap mark(long address, long size, int type) {
        if (size <= 0) return this;
        long end = address + size;
        List<E820Entry> out = new ArrayList<>();
        for (E820Entry e : entries) {
            if (e.end() <= address || e.address() >= end) {
                out.add(e);
                continue;
            }
            if (e.address() < address) out.add(new E820Entry(e.address(), address - e.address(), e.type()));
            if (e.end() > end) out.add(new E820Entry(end, e.end() - end, e.type()));
        }
        out.add(new E820Entry(address, size, type));
        out.sort(Comparator.comparingLong(E820Entry::address));
        entries.clear();
        entries.addAll(out);
        return this;
    }

    public List<E820Entry> entries() { return List.copyOf(entries); }

    /** End of the RAM entry that contains address, or -1. */
    public long ramEndContaining(long address) {
        for (E820Entry e : entries) {
            if (e.type() == E820Entry.RAM && address >= e.address() && address < e.end()) return e.end();
        }
        return -1;
    }
}
