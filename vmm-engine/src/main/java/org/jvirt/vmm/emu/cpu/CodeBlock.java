package org.jvirt.vmm.emu.cpu;

/**
 * A straight-line run of decoded instructions within one 4 KiB code page: every instruction
 * but the last one is {@link BlockRules#continuesBlock plain} (it cannot change the mode,
 * paging, the flags that matter between instructions, or where the next instruction is), so
 * the CPU runs the whole run with the checks (interrupts, stop requests, decode-cache key) done
 * once at its start. Valid while the same key as the {@link DecodeCache}'s holds. A later
 * translator to JVM bytecode can hang its compiled form on this object.
 */
final class CodeBlock {
    /** Longest block: bounds how late an interrupt is seen and how much one entry decodes. */
    static final int MAX_INSNS = 32;

    Insn[] insns = new Insn[4];
    int count;
    /** The address after the last instruction (for the CS limit check at entry). */
    long endRip;

    boolean valid;
    long keyPa, keyRip, keyCsBase, keyVersion;
    int keyMode;

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

    void fill(int n, long pa, long rip, long csBase, int mode, long version) {
        count = n;
        endRip = insns[n - 1].nextRip;
        keyPa = pa;
        keyRip = rip;
        keyCsBase = csBase;
        keyMode = mode;
        keyVersion = version;
        valid = true;
    }
}
