package org.jvirt.vmm.emu.cpu;

/** Decoded {@link CodeBlock}s, direct-mapped by the physical address of their first byte. */
final class BlockCache {
    private static final int SIZE = 4096;
    private final CodeBlock[] slots = new CodeBlock[SIZE];

    BlockCache() {
        for (int i = 0; i < SIZE; i++) slots[i] = new CodeBlock();
    }

    CodeBlock slot(long pa) { return slots[(int) (pa ^ (pa >>> 12)) & (SIZE - 1)]; }
}
