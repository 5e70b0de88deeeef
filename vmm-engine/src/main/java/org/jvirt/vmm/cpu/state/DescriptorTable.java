package org.jvirt.vmm.cpu.state;

/** GDTR or IDTR: base and limit. */
public record DescriptorTable(long base, int limit) {
    public DescriptorTable {
        if ((limit & ~0xffff) != 0) throw new IllegalArgumentException("descriptor table limit 0x" + Integer.toHexString(limit));
    }
}
