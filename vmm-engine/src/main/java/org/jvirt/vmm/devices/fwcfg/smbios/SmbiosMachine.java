package org.jvirt.vmm.devices.fwcfg.smbios;

import java.util.List;
import org.jvirt.vmm.memory.RamRange;

/**
 * What QEMU's SMBIOS tables say about the machine: its description and name (QEMU's
 * MachineClass desc and name, e.g. "Standard PC (i440FX + PIIX, 1996)", "pc-i440fx-7.2"),
 * the RAM size and ranges (the e820 RAM entries), the vCPU topology, and the processor ID
 * (CPUID leaf 1 EAX in the low half, EDX in the high half, as the guest's vCPU 0 reports it).
 */
public record SmbiosMachine(String description, String name, long ramBytes, List<RamRange> ram,
                            int sockets, int cores, int threads, long processorId) {
    public static final String PC_DESCRIPTION = "Standard PC (i440FX + PIIX, 1996)", PC_NAME = "pc-i440fx-7.2";
    public static final String Q35_DESCRIPTION = "Standard PC (Q35 + ICH9, 2009)", Q35_NAME = "pc-q35-7.2";

    public SmbiosMachine {
        ram = List.copyOf(ram);
        if (sockets < 1 || cores < 1 || threads < 1) throw new IllegalArgumentException("a topology of at least one socket, core and thread");
    }

    /** QEMU 7.2's pc (q35 false) or q35 with vcpus as 1 socket of that many cores, as jvirt's CPUID presents them. */
    public static SmbiosMachine of(boolean q35, long ramBytes, List<RamRange> ram, int vcpus, long processorId) {
        return new SmbiosMachine(q35 ? Q35_DESCRIPTION : PC_DESCRIPTION, q35 ? Q35_NAME : PC_NAME, ramBytes, ram, 1, vcpus, 1, processorId);
    }
}
