package org.jvirt.vmm.migration;

import java.io.IOException;
import java.util.BitSet;
import org.jvirt.vmm.block.BlockBackend;

/**
 * A disk's backend with a record of the blocks written through it (writes, write-zeroes and
 * discards), for live storage migration: the copy reads the disk while the guest writes it, then
 * sends again the blocks written since (QEMU's drive-mirror dirty bitmap).
 */
final class WriteTrackingDisk implements BlockBackend {
    /** Tracking granularity (QEMU's mirror default for raw images). */
    static final int BLOCK = 64 << 10;

    private final BlockBackend disk;
    private final BitSet written = new BitSet();

    WriteTrackingDisk(BlockBackend disk) {
        this.disk = disk;
    }

    BlockBackend inner() { return disk; }

    private synchronized void mark(long offset, long length) {
        if (length <= 0) return;
        written.set((int) (offset / BLOCK), (int) ((offset + length - 1) / BLOCK) + 1);
    }

    /** The blocks written since the last call, and forgets them. */
    synchronized BitSet drain() {
        BitSet b = (BitSet) written.clone();
        written.clear();
        return b;
    }

    synchronized int pending() {
        return written.cardinality();
    }

    @Override public long capacity() { return disk.capacity(); }
    @Override public boolean readOnly() { return disk.readOnly(); }
    @Override public int discardGranularity() { return disk.discardGranularity(); }

    @Override
    public void read(long offset, byte[] buf, int off, int len) throws IOException {
        disk.read(offset, buf, off, len);
    }

    // marked before and after: a copy that reads the block between the two sees it again later
    @Override
    public void write(long offset, byte[] buf, int off, int len) throws IOException {
        mark(offset, len);
        disk.write(offset, buf, off, len);
        mark(offset, len);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException {
        mark(offset, length);
        disk.writeZeroes(offset, length, mayUnmap);
        mark(offset, length);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        mark(offset, length);
        disk.discard(offset, length);
        mark(offset, length);
    }

    @Override public void flush() throws IOException { disk.flush(); }

    /** Never closes the disk: the device goes back to it when the migration ends. */
    @Override public void close() { }
}
