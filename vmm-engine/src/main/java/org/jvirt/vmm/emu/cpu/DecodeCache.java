package org.jvirt.vmm.emu.cpu;

/**
 * Decoded instructions kept by the physical address of their first byte, so a loop is decoded
 * once. An entry is used only when the physical address, RIP, CS base, code mode and the bus's
 * version of its page ({@link PhysicalBus#codeVersion(long)}) all match and it still lies within the CS limit; writes to
 * a code page change its version (the cache asks the bus to watch every page it caches from).
 * Instructions that cross a page are not cached. Only used with a bus that implements
 * {@link PhysicalBus#watchCode} (without it, self-modifying code could not be noticed).
 */
final class DecodeCache {
    private static final int SIZE = 4096;
    private final Insn[] slots = new Insn[SIZE];

    DecodeCache() {
        for (int i = 0; i < SIZE; i++) slots[i] = new Insn();
    }

    static boolean supportedBy(PhysicalBus bus) {
        try {
            return bus.getClass().getMethod("watchCode", long.class).getDeclaringClass() != PhysicalBus.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The slot for pa; the caller checks {@link #hit} or decodes into it and calls {@link #fill}. */
    Insn slot(long pa) { return slots[(int) (pa ^ (pa >>> 12)) & (SIZE - 1)]; }

    static boolean hit(Insn e, long pa, long rip, long csBase, int mode, long version) {
        return e.cached && e.keyPa == pa && e.keyRip == rip && e.keyCsBase == csBase && e.keyMode == mode
                && e.keyVersion == version;
    }

    static void fill(Insn e, long pa, long rip, long csBase, int mode, long version) {
        e.keyPa = pa;
        e.keyRip = rip;
        e.keyCsBase = csBase;
        e.keyMode = mode;
        e.keyVersion = version;
        e.cached = true;
    }
}
