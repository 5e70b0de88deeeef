package org.jvirt.vmm.boot;

import java.util.List;

/**
 * What a boot protocol passes to the kernel besides the kernel itself.
 * rsdpAddress is 0 when there are no ACPI tables; initrd may be null.
 */
public record BootParams(String cmdline, byte[] initrd, long rsdpAddress, List<E820Entry> memoryMap) {
    public BootParams {
        cmdline = cmdline == null ? "" : cmdline;
        memoryMap = List.copyOf(memoryMap);
    }
}
