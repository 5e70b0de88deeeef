package org.jvirt.vmm.boot;

/** One entry of the guest's physical memory map (e820 / PVH memmap types). */
public record E820Entry(long address, long size, int type) {
    public static final int RAM = 1, RESERVED = 2, ACPI = 3, NVS = 4;

    public long end() { return address + size; }
}
