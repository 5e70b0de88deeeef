package org.jvirt.vmm.devices.ahci;

import org.jvirt.vmm.memory.GuestMemory;

/**
 * The physical region descriptor table of one command: up to 65535 entries of 16 bytes (data
 * base address, byte count - 1 in bits 21:0), read from guest memory as the transfer reaches
 * them. Offsets only grow during a command, so a cursor walks the table once. Every entry and
 * every data region is checked against guest RAM before it is touched: a transfer that would
 * leave RAM, or run past the table's end, moves nothing more and reports false.
 */
final class Prdt {
    static final int ENTRY_SIZE = 16;
    private static final int DBC_MASK = 0x3F_FFFF;

    private final GuestMemory mem;
    private final long table;
    private final int entries;
    // The cursor: entry index, the command-relative offset where it starts, its address and length.
    private int index = -1;
    private long entryStart, entryAddress, entryLength;

    Prdt(GuestMemory mem, long table, int entries) {
        this.mem = mem;
        this.table = table;
        this.entries = entries;
    }

    /** Copies buf[0, len) to the regions at command offset [offset, offset+len). */
    boolean toGuest(long offset, byte[] buf, int len) { return copy(offset, buf, len, true); }

    /** Copies the regions at command offset [offset, offset+len) into buf[0, len). */
    boolean fromGuest(long offset, byte[] buf, int len) { return copy(offset, buf, len, false); }

    private boolean copy(long offset, byte[] buf, int len, boolean toGuest) {
        int done = 0;
        while (done < len) {
            long at = offset + done;
            if (index < 0 || at < entryStart) { // restart (offsets are expected to grow)
                index = -1;
                entryStart = 0;
                entryLength = 0;
                if (!next()) return false;
            }
            while (at >= entryStart + entryLength) {
                if (!next()) return false;
            }
            long within = at - entryStart;
            int n = (int) Math.min(len - done, entryLength - within);
            long gpa = entryAddress + within;
            if (!mem.isValidRange(gpa, n)) return false;
            if (toGuest) mem.write(gpa, buf, done, n);
            else mem.read(gpa, buf, done, n);
            done += n;
        }
        return true;
    }

    /** Moves the cursor to the next entry; false past the table's end or when the entry is outside RAM. */
    private boolean next() {
        int i = index + 1;
        if (i >= entries) return false;
        long at = table + (long) i * ENTRY_SIZE;
        if (at < 0 || !mem.isValidRange(at, ENTRY_SIZE)) return false;
        long address = (mem.readInt(at) & 0xFFFF_FFFFL | (long) mem.readInt(at + 4) << 32) & ~1L; // bit 0 reserved (word aligned)
        long length = (mem.readInt(at + 12) & DBC_MASK) + 1L;
        entryStart += entryLength;
        index = i;
        entryAddress = address;
        entryLength = length;
        return true;
    }
}
