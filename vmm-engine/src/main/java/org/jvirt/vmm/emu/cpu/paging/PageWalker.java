package org.jvirt.vmm.emu.cpu.paging;

import org.jvirt.vmm.emu.cpu.AddressTranslator;
import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.PhysicalBus;

/**
 * The MMU: walks 32-bit (with PSE 4 MiB pages), PAE and 4-level long-mode page tables (2 MiB and
 * 1 GiB pages) in guest-physical memory, applies U/S, R/W (with CR0.WP), NX (EFER.NXE), SMEP and
 * SMAP, sets Accessed/Dirty bits (only when they change), and checks reserved bits. Physical
 * addresses have 40 bits (what CPUID leaf 0x80000008 reports).
 *
 * <p>The TLB is direct-mapped and keyed by linear page number; each entry keeps the physical
 * page, the effective permissions of the walk and whether the Dirty bit is already set, so a
 * write hit on a clean entry walks again to set it. A hit that fails a permission check also
 * walks again, so the fault and its error code always come from the tables. Lookups allocate
 * nothing. Large pages are cached 4 KiB at a time.
 */
public final class PageWalker implements AddressTranslator {
    /** #PF error-code bits. */
    public static final int PF_PRESENT = 1, PF_WRITE = 2, PF_USER = 4, PF_RSVD = 8, PF_FETCH = 16;

    static final int PHYS_BITS = 40;
    private static final long ADDR_MASK = ((1L << PHYS_BITS) - 1) & ~0xfffL;
    /** Bits 51..PHYS_BITS of an entry: reserved (bit 63 is XD, bits 62..52 are ignored/protection keys). */
    private static final long HIGH_RSVD = ((1L << 52) - 1) & ~((1L << PHYS_BITS) - 1);

    private static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100, XD = 1L << 63;

    /** TLB entry flag bits (effective permissions of the whole walk). */
    private static final int T_USER = 1, T_WRITE = 2, T_NX = 4, T_DIRTY = 8, T_GLOBAL = 16;
    /** Flag bits 8..15: for a piece of a large page, log2(page size) - 12 (0 for a 4 KiB page). */
    private static final int T_SHIFT_POS = 8;

    private static final int TLB_BITS = 10, TLB_SIZE = 1 << TLB_BITS, TLB_MASK = TLB_SIZE - 1;

    private final CpuState state;
    private final PhysicalBus bus;
    /** Linear page number + 1 of each entry; 0 = empty. */
    private final long[] tlbTag = new long[TLB_SIZE];
    private final long[] tlbPhys = new long[TLB_SIZE];
    private final int[] tlbFlags = new int[TLB_SIZE];

    // Result of the last walk (fields, so a walk allocates nothing).
    private long walkPhysPage;
    private int walkFlags;
    /** A large page was cached since the last full flush (INVLPG then sweeps for its pieces). */
    private boolean largeCached;
    /** Bumped by every flush and invalidate (see {@link #epoch()}). */
    private long epoch;

    public PageWalker(CpuState state, PhysicalBus bus) {
        this.state = state;
        this.bus = bus;
    }

    @Override
    public long translate(long linear, int access, boolean user) {
        long vpn = linear >>> 12;
        int i = (int) vpn & TLB_MASK;
        if (tlbTag[i] == vpn + 1 && allowed(tlbFlags[i], access, user)) {
            return tlbPhys[i] | (linear & 0xfff);
        }
        walk(linear, access, user);
        tlbTag[i] = vpn + 1;
        tlbPhys[i] = walkPhysPage;
        tlbFlags[i] = walkFlags;
        return walkPhysPage | (linear & 0xfff);
    }

    @Override
    public boolean stable(long linear, int access, boolean user) {
        long vpn = linear >>> 12;
        int i = (int) vpn & TLB_MASK;
        if (tlbTag[i] != vpn + 1) return false;
        int f = tlbFlags[i];
        // A supervisor data access to a user page under SMAP depends on RFLAGS.AC, which no flush follows.
        if (!user && access != ACCESS_FETCH && (f & T_USER) != 0 && (state.cr4 & CpuState.CR4_SMAP) != 0) return false;
        return allowed(f, access, user);
    }

    /** Whether a cached translation permits the access without touching the tables. */
    private boolean allowed(int f, int access, boolean user) {
        long cr0 = state.cr0, cr4 = state.cr4;
        if (access == ACCESS_WRITE) {
            if ((f & T_DIRTY) == 0) return false;
            if (user) return (f & (T_USER | T_WRITE)) == (T_USER | T_WRITE);
            if ((f & T_WRITE) == 0 && (cr0 & CpuState.CR0_WP) != 0) return false;
            return !smapBlocks(f, cr4);
        }
        if (access == ACCESS_FETCH) {
            if ((f & T_NX) != 0 && nxEnabled()) return false;
            if (user) return (f & T_USER) != 0;
            return (f & T_USER) == 0 || (cr4 & CpuState.CR4_SMEP) == 0;
        }
        if (user) return (f & T_USER) != 0;
        return !smapBlocks(f, cr4);
    }

    /** SMAP: a supervisor data access to a user page faults unless RFLAGS.AC is set. */
    private boolean smapBlocks(int f, long cr4) {
        // AC is a control flag: read without materialising the lazy status flags
        return (f & T_USER) != 0 && (cr4 & CpuState.CR4_SMAP) != 0 && (state.controlFlags() & CpuState.AC) == 0;
    }

    private boolean nxEnabled() {
        return (state.efer & CpuState.EFER_NXE) != 0 && (state.cr4 & CpuState.CR4_PAE) != 0;
    }

    /** Walks the tables for linear; sets walkPhysPage/walkFlags or sets CR2 and throws #PF. */
    private void walk(long linear, int access, boolean user) {
        boolean write = access == ACCESS_WRITE;
        boolean pae = (state.cr4 & CpuState.CR4_PAE) != 0;
        boolean nxe = (state.efer & CpuState.EFER_NXE) != 0;
        long rsvdXd = nxe ? 0 : XD;
        // Effective permissions: AND of U/S and R/W over all levels, OR of XD.
        boolean us = true, rw = true, xd = false;
        long entry, entryAddr, pageBase;
        long offsetMask;
        // Up to four entries and their addresses, for setting Accessed bits after the checks.
        long e0 = 0, e1 = 0, e2 = 0, e3;
        long a0 = -1, a1 = -1, a2 = -1, a3;
        boolean wide; // 8-byte entries
        if (!pae) {
            wide = false;
            a0 = (state.cr3 & 0xfffff000L) + ((linear >>> 22) & 0x3ff) * 4;
            e0 = bus.read32(a0) & 0xffffffffL;
            if ((e0 & P) == 0) fault(linear, 0, access, user);
            us = (e0 & US) != 0;
            rw = (e0 & RW) != 0;
            if ((e0 & PS) != 0 && (state.cr4 & CpuState.CR4_PSE) != 0) {
                // PSE-36: bits 20:13 are physical bits 39:32; bit 21 is reserved with 40-bit addresses.
                if ((e0 & (1L << 21)) != 0) fault(linear, PF_RSVD | PF_PRESENT, access, user);
                entry = e0;
                entryAddr = a0;
                pageBase = (e0 & 0xffc00000L) | (((e0 >>> 13) & 0xff) << 32);
                offsetMask = 0x3fffff;
                a0 = -1;
            } else {
                entryAddr = (e0 & 0xfffff000L) + ((linear >>> 12) & 0x3ff) * 4;
                entry = bus.read32(entryAddr) & 0xffffffffL;
                if ((entry & P) == 0) fault(linear, 0, access, user);
                pageBase = entry & 0xfffff000L;
                offsetMask = 0xfff;
            }
            us &= (entry & US) != 0;
            rw &= (entry & RW) != 0;
        } else {
            wide = true;
            long table;
            int level; // level of the next entry to read: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT
            if (state.longMode()) {
                a0 = (state.cr3 & ADDR_MASK) + ((linear >>> 39) & 0x1ff) * 8;
                e0 = bus.read64(a0);
                checkPresentAndReserved(e0, HIGH_RSVD | rsvdXd | PS, linear, access, user);
                us = (e0 & US) != 0;
                rw = (e0 & RW) != 0;
                xd = (e0 & XD) != 0;
                a1 = (e0 & ADDR_MASK) + ((linear >>> 30) & 0x1ff) * 8;
                e1 = bus.read64(a1);
                checkPresentAndReserved(e1, HIGH_RSVD | rsvdXd, linear, access, user);
                us &= (e1 & US) != 0;
                rw &= (e1 & RW) != 0;
                xd |= (e1 & XD) != 0;
                if ((e1 & PS) != 0) { // 1 GiB page
                    if ((e1 & 0x3fffe000L) != 0) fault(linear, PF_RSVD | PF_PRESENT, access, user);
                    finishLarge(e1, a1, e0, a0, -1, -1, linear, access, user, us, rw, xd, 0x3fffffffL);
                    return;
                }
                table = e1 & ADDR_MASK;
            } else {
                // Legacy PAE: the four PDPTEs have no U/S, R/W or XD bits (those are reserved there).
                a1 = (state.cr3 & 0xffffffe0L) + ((linear >>> 30) & 3) * 8;
                e1 = bus.read64(a1);
                if ((e1 & P) == 0) fault(linear, 0, access, user);
                if ((e1 & (HIGH_RSVD | XD | 0x1e6)) != 0) fault(linear, PF_RSVD | PF_PRESENT, access, user);
                a1 = -1; // the CPU loads PDPTEs on CR3 writes and never sets their Accessed bit
                table = e1 & ADDR_MASK;
            }
            a2 = table + ((linear >>> 21) & 0x1ff) * 8;
            e2 = bus.read64(a2);
            checkPresentAndReserved(e2, HIGH_RSVD | rsvdXd, linear, access, user);
            us &= (e2 & US) != 0;
            rw &= (e2 & RW) != 0;
            xd |= (e2 & XD) != 0;
            if ((e2 & PS) != 0) { // 2 MiB page
                if ((e2 & 0x1fe000L) != 0) fault(linear, PF_RSVD | PF_PRESENT, access, user);
                finishLarge(e2, a2, e0, a0, e1, a1, linear, access, user, us, rw, xd, 0x1fffffL);
                return;
            }
            entryAddr = (e2 & ADDR_MASK) + ((linear >>> 12) & 0x1ff) * 8;
            entry = bus.read64(entryAddr);
            checkPresentAndReserved(entry, HIGH_RSVD | rsvdXd, linear, access, user);
            us &= (entry & US) != 0;
            rw &= (entry & RW) != 0;
            xd |= (entry & XD) != 0;
            pageBase = entry & ADDR_MASK;
            offsetMask = 0xfff;
            // Accessed bits of the upper levels.
            checkPermissions(us, rw, xd, linear, access, user);
            setAccessed(e0, a0, true);
            setAccessed(e1, a1, true);
            setAccessed(e2, a2, true);
            finishLeaf(entry, entryAddr, true, write, pageBase, offsetMask, linear, us, rw, xd);
            return;
        }
        checkPermissions(us, rw, xd, linear, access, user);
        setAccessed(e0, a0, wide);
        finishLeaf(entry, entryAddr, wide, write, pageBase, offsetMask, linear, us, rw, xd);
    }

    private void finishLarge(long e, long addr, long eUp0, long aUp0, long eUp1, long aUp1, long linear, int access,
                             boolean user, boolean us, boolean rw, boolean xd, long offsetMask) {
        checkPermissions(us, rw, xd, linear, access, user);
        setAccessed(eUp0, aUp0, true);
        setAccessed(eUp1, aUp1, true);
        long base = e & ADDR_MASK & ~offsetMask;
        finishLeaf(e, addr, true, access == ACCESS_WRITE, base, offsetMask, linear, us, rw, xd);
    }

    /** Sets A (and D for a write) in the leaf entry and fills walkPhysPage/walkFlags. */
    private void finishLeaf(long entry, long addr, boolean wide, boolean write, long pageBase, long offsetMask,
                            long linear, boolean us, boolean rw, boolean xd) {
        long wanted = entry | A | (write ? D : 0);
        if (wanted != entry) {
            if (wide) bus.write64(addr, wanted);
            else bus.write32(addr, (int) wanted);
        }
        walkPhysPage = (pageBase | (linear & offsetMask)) & ~0xfffL;
        int f = 0;
        if (us) f |= T_USER;
        if (rw) f |= T_WRITE;
        if (xd) f |= T_NX;
        if ((wanted & D) != 0) f |= T_DIRTY;
        if ((entry & G) != 0 && (state.cr4 & CpuState.CR4_PGE) != 0) f |= T_GLOBAL;
        if (offsetMask != 0xfff) {
            f |= (Long.numberOfTrailingZeros(offsetMask + 1) - 12) << T_SHIFT_POS;
            largeCached = true;
        }
        walkFlags = f;
    }

    private void setAccessed(long entry, long addr, boolean wide) {
        if (addr < 0 || (entry & A) != 0) return;
        if (wide) bus.write64(addr, entry | A);
        else bus.write32(addr, (int) (entry | A));
    }

    private void checkPresentAndReserved(long e, long reserved, long linear, int access, boolean user) {
        if ((e & P) == 0) fault(linear, 0, access, user);
        if ((e & reserved) != 0) fault(linear, PF_RSVD | PF_PRESENT, access, user);
    }

    private void checkPermissions(boolean us, boolean rw, boolean xd, long linear, int access, boolean user) {
        long cr4 = state.cr4;
        boolean ok;
        if (access == ACCESS_FETCH) {
            ok = !(xd && nxEnabled()) && (user ? us : !(us && (cr4 & CpuState.CR4_SMEP) != 0));
        } else if (user) {
            ok = us && (access != ACCESS_WRITE || rw);
        } else {
            ok = !(access == ACCESS_WRITE && !rw && (state.cr0 & CpuState.CR0_WP) != 0)
                    && !(us && (cr4 & CpuState.CR4_SMAP) != 0 && (state.rflags() & CpuState.AC) == 0);
        }
        if (!ok) fault(linear, PF_PRESENT, access, user);
    }

    private void fault(long linear, int code, int access, boolean user) {
        if (access == ACCESS_WRITE) code |= PF_WRITE;
        if (user) code |= PF_USER;
        if (access == ACCESS_FETCH && (nxEnabled() || (state.cr4 & CpuState.CR4_SMEP) != 0)) code |= PF_FETCH;
        state.cr2 = linear;
        throw CpuFault.pageFault(code);
    }

    @Override
    public long epoch() { return epoch; }

    @Override
    public void flush() {
        epoch++;
        if ((state.cr4 & CpuState.CR4_PGE) == 0) {
            flushAll();
            return;
        }
        for (int i = 0; i < TLB_SIZE; i++) {
            if ((tlbFlags[i] & T_GLOBAL) == 0) tlbTag[i] = 0;
        }
    }

    @Override
    public void flushAll() {
        epoch++;
        java.util.Arrays.fill(tlbTag, 0);
        largeCached = false;
    }

    @Override
    public void invalidate(long linear) {
        epoch++;
        long vpn = linear >>> 12;
        int i = (int) vpn & TLB_MASK;
        if (tlbTag[i] == vpn + 1) tlbTag[i] = 0;
        if (!largeCached) return;
        // The other 4 KiB pieces of a large page sit in other slots: drop every cached piece of
        // the large page that contains linear.
        for (int j = 0; j < TLB_SIZE; j++) {
            int shift = (tlbFlags[j] >>> T_SHIFT_POS) & 0xff;
            if (shift != 0 && tlbTag[j] != 0 && ((tlbTag[j] - 1) >>> shift) == (vpn >>> shift)) tlbTag[j] = 0;
        }
    }
}
