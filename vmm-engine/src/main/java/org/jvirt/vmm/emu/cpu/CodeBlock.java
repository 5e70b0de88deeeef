package org.jvirt.vmm.emu.cpu;

/**
 * A straight-line run of decoded instructions within one 4 KiB code page: every instruction
 * but the last one is {@link BlockRules#continuesBlock plain} (it cannot change the mode,
 * paging, the flags that matter between instructions, or where the next instruction is), so
 * the CPU runs the whole run with the checks (interrupts, stop requests, decode-cache key) done
 * once at its start. Valid while the same key as the {@link DecodeCache}'s holds (the
 * version is its page's own: stores to other pages leave it valid). A {@link BlockTranslator}
 * hangs its compiled form here once the block has run often enough; rebuilding the slot drops it.
 */
final class CodeBlock {
    /**
     * Longest block: bounds how late an interrupt is seen and how much one entry decodes. A block
     * of 0 instructions is valid too: it records that the CPU must step at its address.
     */
    static final int MAX_INSNS = 32;

    Insn[] insns = new Insn[4];
    int count;
    /** The address after the last instruction (for the CS limit check at entry). */
    long endRip;

    boolean valid;
    long keyPa, keyRip, keyCsBase, keyVersion;
    int keyMode;
    /** Moves whenever this slot's contents change: a link to it holds the generation it saw. */
    int generation;
    /** The translator's form of this block (null: interpreted), and how often it ran interpreted since it was filled. */
    CompiledBlock compiled;
    int runs;
    /** Whether the block leaves CS, the mode, paging and the CPL alone when it runs to its end (see {@link #successor}). */
    boolean chainable;

    /** A link epoch under which nothing is linked. */
    static final long NO_LINK = Long.MIN_VALUE;

    // The blocks that ran after this one, by where the run went: [0] falling through to endRip, [1] elsewhere.
    private final CodeBlock[] next = new CodeBlock[2];
    private final long[] nextRip = new long[2], nextEpoch = new long[2];
    private final int[] nextGeneration = new int[2];

    /** The k-th instruction's slot, grown on demand (blocks allocate only while being built). */
    Insn slot(int k) {
        if (k == insns.length) insns = java.util.Arrays.copyOf(insns, Math.min(MAX_INSNS, k * 2));
        Insn d = insns[k];
        if (d == null) insns[k] = d = new Insn();
        return d;
    }

    boolean matches(long pa, long rip, long csBase, int mode, long version) {
        return valid && keyPa == pa && keyRip == rip && keyCsBase == csBase && keyMode == mode && keyVersion == version;
    }

    /**
     * The block remembered for going on at rip after this one ran to its end, when it is still
     * the same block (slot not refilled) and was linked under the same translator epoch (so its
     * page translation still holds); null otherwise. The caller still compares its code version.
     * Only meaningful after a {@link #chainable} block: the CS, mode and CPL it was found under
     * are still the current ones.
     */
    CodeBlock successor(long rip, long epoch) {
        int k = rip == endRip ? 0 : 1;
        CodeBlock b = next[k];
        return b != null && epoch != NO_LINK && nextRip[k] == rip && nextEpoch[k] == epoch && b.generation == nextGeneration[k] ? b : null;
    }

    /** Remembers b as what ran at rip after this block (under translator epoch epoch). */
    void link(long rip, long epoch, CodeBlock b) {
        int k = rip == endRip ? 0 : 1;
        next[k] = b;
        nextRip[k] = rip;
        nextEpoch[k] = epoch;
        nextGeneration[k] = b.generation;
    }

    void invalidate() {
        valid = false;
        compiled = null;
        generation++;
    }

    void fill(int n, long pa, long rip, long csBase, int mode, long version) {
        count = n;
        compiled = null;
        runs = 0;
        next[0] = next[1] = null; // the successors of whatever this slot held before
        endRip = n > 0 ? insns[n - 1].nextRip : rip;
        keyPa = pa;
        keyRip = rip;
        keyCsBase = csBase;
        keyMode = mode;
        keyVersion = version;
        valid = true;
        generation++;
        Insn last = n > 0 ? insns[n - 1] : null;
        chainable = last != null && (BlockRules.continuesBlock(last, (mode & 1) != 0) || BlockRules.nearBranch(last));
    }
}
