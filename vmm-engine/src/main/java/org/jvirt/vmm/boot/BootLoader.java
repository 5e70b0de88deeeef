package org.jvirt.vmm.boot;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.memory.GuestMemory;

/** A boot protocol: writes the kernel and its boot data into guest RAM and says how to enter it. */
public interface BootLoader {

    /** Loads (again, on reset) into memory; returns the boot processor's entry state. */
    BootCpuState load(GuestMemory memory, BootParams params);

    /** Picks the protocol from the image's format: an ELF with a PVH note, or a bzImage. */
    static BootLoader forImage(byte[] image) {
        if (ElfImage.isElf(image)) return new PvhLoader(ElfImage.parse(image));
        if (BzImage.isBzImage(image)) return new LinuxLoader(BzImage.parse(image));
        throw new BootException("kernel is neither an ELF (PVH) image nor a bzImage");
    }
}
