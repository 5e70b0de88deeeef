package org.jvirt.vmm.cpu.state;

/**
 * A segment register: the visible selector and the hidden descriptor cache (base, limit, type
 * and flags). {@code codeOrData} is the descriptor's S bit (false for system segments: TSS, LDT).
 */
public record Segment(long base, int limit, int selector, int type, boolean present, int dpl, boolean db,
                      boolean codeOrData, boolean longMode, boolean granularity, boolean available, boolean unusable) {
    public Segment {
        if ((selector & ~0xffff) != 0 || (type & ~0xf) != 0 || (dpl & ~3) != 0) {
            throw new IllegalArgumentException(String.format("bad segment: selector 0x%x type 0x%x dpl %d", selector, type, dpl));
        }
    }
}
