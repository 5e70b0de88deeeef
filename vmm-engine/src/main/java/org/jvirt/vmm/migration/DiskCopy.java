package org.jvirt.vmm.migration;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.BitSet;
import java.util.Map;
import java.util.TreeMap;
import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.qcow2.Qcow2Image;
import org.jvirt.vmm.machine.Machine;

/**
 * The sending side of live storage migration (libvirt's --copy-storage-all / --copy-storage-inc):
 * every writable disk is put behind a {@link WriteTrackingDisk}; a first pass sends the disk
 * (all of it, or with --copy-storage-inc only what a qcow2 top image holds itself, its backing
 * being shared), each round sends the blocks written meanwhile, and the last round (the machine
 * paused, its disk I/O quiesced) the rest. Zero blocks go as DISK_ZEROES.
 */
final class DiskCopy implements AutoCloseable {
    /** Bytes per DISK record (bounds the target's buffer). */
    static final int CHUNK = 1 << 20;

    /** Told of each record's bytes: counts them, keeps to the bandwidth, stops on a cancel. */
    interface Sent {
        void sent(long bytes) throws IOException;
    }

    private final Machine machine;
    private final boolean incremental;
    private final Map<Integer, WriteTrackingDisk> disks = new TreeMap<>();
    private final byte[] buf = new byte[CHUNK];

    private DiskCopy(Machine machine, boolean incremental) {
        this.machine = machine;
        this.incremental = incremental;
    }

    /** Starts tracking writes on every writable disk. */
    static DiskCopy start(Machine machine, boolean incremental) throws IOException, InterruptedException {
        DiskCopy c = new DiskCopy(machine, incremental);
        machine.rewrapDisks((i, b) -> {
            if (b.readOnly()) return b;
            WriteTrackingDisk t = new WriteTrackingDisk(b);
            c.disks.put(i, t);
            return t;
        });
        return c;
    }

    long totalBytes() {
        long n = 0;
        for (WriteTrackingDisk d : disks.values()) n += d.capacity();
        return n;
    }

    long pendingBytes() {
        long n = 0;
        for (WriteTrackingDisk d : disks.values()) n += (long) d.pending() * WriteTrackingDisk.BLOCK;
        return n;
    }

    /** DISKS: the disks this stream carries, each index and capacity, for the target to check against its own. */
    void writeLayout(DataOutputStream out) throws IOException {
        out.writeByte(MigrationStream.DISKS);
        out.writeInt(disks.size());
        for (Map.Entry<Integer, WriteTrackingDisk> e : disks.entrySet()) {
            out.writeInt(e.getKey());
            out.writeLong(e.getValue().capacity());
        }
    }

    /** The first pass while the guest runs. */
    void sendAll(DataOutputStream out, Sent sent) throws IOException {
        for (Map.Entry<Integer, WriteTrackingDisk> e : disks.entrySet()) {
            BlockBackend inner = e.getValue().inner();
            long cap = inner.capacity();
            for (long at = 0; at < cap; at += CHUNK) {
                int len = (int) Math.min(CHUNK, cap - at);
                if (incremental && inner instanceof Qcow2Image q && !holdsAny(q, at, len)) continue;
                sendRange(out, e.getKey(), inner, at, len, sent);
            }
        }
    }

    /** Whether the qcow2 top image defines any cluster of [at, at+len) itself. */
    private static boolean holdsAny(Qcow2Image q, long at, int len) throws IOException {
        for (long c = at; c < at + len; c += q.clusterSize()) if (q.allocatedHere(c)) return true;
        return false;
    }

    /** The blocks written since the last pass. */
    void sendWritten(DataOutputStream out, Sent sent) throws IOException {
        for (Map.Entry<Integer, WriteTrackingDisk> e : disks.entrySet()) {
            BitSet blocks = e.getValue().drain();
            BlockBackend inner = e.getValue().inner();
            for (int b = blocks.nextSetBit(0); b >= 0; b = blocks.nextSetBit(b + 1)) {
                long at = (long) b * WriteTrackingDisk.BLOCK;
                if (at >= inner.capacity()) break;
                sendRange(out, e.getKey(), inner, at, (int) Math.min(WriteTrackingDisk.BLOCK, inner.capacity() - at), sent);
            }
        }
    }

    private void sendRange(DataOutputStream out, int index, BlockBackend disk, long at, int len, Sent sent) throws IOException {
        disk.read(at, buf, 0, len);
        if (org.jvirt.vmm.memory.DataPages.isZero(buf, 0, len)) {
            out.writeByte(MigrationStream.DISK_ZEROES);
            out.writeInt(index);
            out.writeLong(at);
            out.writeInt(len);
            sent.sent(17);
        } else {
            out.writeByte(MigrationStream.DISK);
            out.writeInt(index);
            out.writeLong(at);
            out.writeInt(len);
            out.write(buf, 0, len);
            sent.sent(17L + len);
        }
    }

    /** The devices go back to their own backends. */
    @Override
    public void close() throws IOException {
        try {
            machine.rewrapDisks((i, b) -> b instanceof WriteTrackingDisk t && disks.get(i) == t ? t.inner() : b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restoring the disks' backends");
        }
    }
}
