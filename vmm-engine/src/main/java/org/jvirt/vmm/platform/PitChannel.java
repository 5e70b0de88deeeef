package org.jvirt.vmm.platform;

/**
 * One 8254 channel: the count register (up to 65536), the latched count and status, the
 * read/write byte-sequencing state, mode, BCD, gate, and how long before the export the count
 * was loaded (ns of guest time: the host clock it was measured on does not travel with the state).
 */
public record PitChannel(int count, int latchedCount, int countLatched, int statusLatched, int status, int readState,
                         int writeState, int writeLatch, int rwMode, int mode, int bcd, int gate, long loadedNanosAgo) {
    public PitChannel {
        if (count < 0 || count > 0x10000 || (latchedCount & ~0xffff) != 0) throw new IllegalArgumentException("PIT count " + count);
        for (int v : new int[]{countLatched, statusLatched, status, readState, writeState, writeLatch, rwMode, mode, bcd, gate}) {
            if ((v & ~0xff) != 0) throw new IllegalArgumentException("PIT channel field " + v + " is not 8-bit");
        }
    }
}
