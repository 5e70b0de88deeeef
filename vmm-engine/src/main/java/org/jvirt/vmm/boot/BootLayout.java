package org.jvirt.vmm.boot;

/**
 * Fixed low-memory addresses of the structures the loaders write, in the first 640 KiB of RAM,
 * below any kernel (kernels load at or above 1 MiB). Chosen like Firecracker's layout.
 */
public final class BootLayout {
    private BootLayout() { }

    public static final long GDT = 0x500;
    public static final long PVH_START_INFO = 0x6000;
    public static final long PVH_MODLIST = 0x6040;
    public static final long ZERO_PAGE = 0x7000;
    public static final long PVH_MEMMAP = 0x7000;
    public static final int MAX_MEMMAP_ENTRIES = 128;
    public static final long BOOT_STACK = 0x8ff0;
    public static final long PML4 = 0x9000;
    public static final long PDPT = 0xa000;
    public static final long PD = 0xb000; // four page directories: 0xb000..0xefff map 4 GiB
    public static final long CMDLINE = 0x20000;
    public static final int CMDLINE_MAX = 0x10000;
    /** Lowest address a kernel segment may use. */
    public static final long KERNEL_MIN = 0x100000;
}
