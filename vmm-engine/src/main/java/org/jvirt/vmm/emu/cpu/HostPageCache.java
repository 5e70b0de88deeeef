package org.jvirt.vmm.emu.cpu;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The data side's shortcut past paging and the bus: for recently used linear pages of plain RAM,
 * the host buffer (and offset) of the physical page and whether reads and writes there are known
 * to be allowed, so a load or store inside one page is one array lookup and one buffer access.
 *
 * <p>An entry is filled only after a successful {@link AddressTranslator#translate} for which the
 * translator says {@link AddressTranslator#stable} (permissions that hold until its epoch moves; a
 * write only once the Dirty bit is set), and only for pages the bus hands out a
 * {@link PhysicalBus#ramView} of (never MMIO or the local APIC page). Everything is dropped when
 * the translator's epoch (INVLPG, CR3, CR0/CR4/EFER paging changes) or IA32_APIC_BASE changes.
 * Entries are per linear page and CPL class (user or supervisor). Stores still report to the bus
 * ({@link PhysicalBus#noteCpuWrite}), so code watching and the dirty log see every one.
 */
final class HostPageCache {
    static final int READ = 1, WRITE = 2;
    private static final int BITS = 8, SIZE = 1 << BITS, MASK = SIZE - 1;

    /** (linear page number * 2 + user) + 1 of each entry; 0 = empty. */
    private final long[] tag = new long[SIZE];
    private final int[] perms = new int[SIZE];
    private final ByteBuffer[] buf = new ByteBuffer[SIZE];
    private final int[] off = new int[SIZE];
    private final long[] physPage = new long[SIZE];
    private long epoch = -1, apicBase;

    static long key(long la, boolean user) { return (((la >>> 12) << 1) | (user ? 1 : 0)) + 1; }

    static int slot(long la) { return (int) (la >>> 12) & MASK; }

    /** Drops everything unless the translator's epoch and the APIC base are the ones the entries were filled under. */
    void validate(long translatorEpoch, long apic) {
        if (translatorEpoch != epoch || apic != apicBase) {
            Arrays.fill(tag, 0);
            epoch = translatorEpoch;
            apicBase = apic;
        }
    }

    /** Whether slot i holds key with the permission bit need (call {@link #validate} first). */
    boolean hit(int i, long key, int need) { return tag[i] == key && (perms[i] & need) != 0; }

    ByteBuffer buffer(int i) { return buf[i]; }

    /** The buffer index of la in slot i's page. */
    int index(int i, long la) { return off[i] + (int) (la & 0xfff); }

    long phys(int i, long la) { return physPage[i] | (la & 0xfff); }

    /** After a successful translation to pa that the translator calls stable: remember it if the page is RAM. */
    void fill(long la, boolean user, long pa, int perm, PhysicalBus bus) {
        if (epoch < 0) return; // a translator that promises nothing
        long page = pa & ~0xfffL;
        int i = slot(la);
        long k = key(la, user);
        if (tag[i] == k && physPage[i] == page) {
            perms[i] |= perm;
            return;
        }
        ByteBuffer b = bus.ramView(page);
        if (b == null) return;
        tag[i] = k;
        perms[i] = perm;
        buf[i] = b;
        off[i] = bus.ramViewOffset(page);
        physPage[i] = page;
    }
}
