package org.jvirt.vmm.emu.cpu;

/**
 * Decoded {@link CodeBlock}s, direct-mapped by the physical address of their first byte. 64 Ki
 * slots: with 4 Ki a Linux boot rebuilt ~5 M blocks evicted by others (of ~190 M block runs),
 * with 64 Ki ~0.5 M. Slots are created on first use (a CPU that runs little costs little).
 */
final class BlockCache {
    private static final int SIZE = 1 << 16;
    private final CodeBlock[] slots = new CodeBlock[SIZE];

    CodeBlock slot(long pa) {
        int i = (int) (pa ^ (pa >>> 16)) & (SIZE - 1);
        CodeBlock b = slots[i];
        if (b == null) slots[i] = b = new CodeBlock();
        return b;
    }
}
