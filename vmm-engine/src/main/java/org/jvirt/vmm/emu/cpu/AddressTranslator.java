package org.jvirt.vmm.emu.cpu;

/**
 * Linear to physical translation (paging). With CR0.PG clear the CPU does not call it.
 * Implementations keep a TLB: {@link #flush} on CR3 writes (keeping global pages when CR4.PGE),
 * {@link #flushAll} on CR0/CR4 paging changes, {@link #invalidate} for INVLPG. A miss walks the
 * tables in guest memory, sets Accessed/Dirty bits as the hardware does, and on failure sets
 * CR2 and throws {@link CpuFault#pageFault} with the architectural error code.
 */
public interface AddressTranslator {
    int ACCESS_READ = 0, ACCESS_WRITE = 1, ACCESS_FETCH = 2;

    /**
     * The physical address of linear, for an access of the given kind; user is true for a CPL3
     * access (and false for implicit supervisor accesses such as descriptor-table reads).
     */
    long translate(long linear, int access, boolean user);

    void flush();

    void flushAll();

    void invalidate(long linear);

    /**
     * A number that changes whenever a cached translation may have become stale (any flush or
     * invalidate, which writes to CR0/CR3/CR4/EFER also cause), so callers may memo one
     * translation while it holds; -1 (the default) means no such promise: translate every time.
     */
    default long epoch() { return -1; }

    /**
     * Right after a successful {@link #translate} of linear for the same access and user: whether
     * that access to that page stays allowed, with the same physical page, until {@link #epoch}
     * changes, whatever else changes meanwhile (RFLAGS.AC for SMAP), and needs no further
     * Accessed/Dirty update. False (the default) keeps callers translating every access.
     */
    default boolean stable(long linear, int access, boolean user) { return false; }
}
