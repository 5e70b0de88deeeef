package org.jvirt.vmm.devices.virtio;

import java.io.Closeable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.RawFileBackend;
import org.jvirt.vmm.memory.GuestMemory;
import org.jvirt.vmm.memory.GuestMemoryException;

/**
 * virtio-blk (virtio spec section 5.2) on a {@link BlockBackend} (a raw file, a qcow2 image and
 * its backing chain): one request queue; read, write, flush (VIRTIO_BLK_F_FLUSH), get-id,
 * write-zeroes (VIRTIO_BLK_F_WRITE_ZEROES, unmapping where the guest allows and the backend can)
 * and, on backends that can release space (qcow2), discard (VIRTIO_BLK_F_DISCARD, aligned to
 * the cluster size); read-only disks offer VIRTIO_BLK_F_RO and fail writes with IOERR. The capacity is the disk's
 * size in 512-byte sectors (a partial last sector is not exposed).
 *
 * <p>Requests run synchronously on the vCPU thread that notified the queue, through one reused
 * 64 KiB buffer (no allocation per request). A request whose buffers lie outside guest RAM, run
 * past the end of the disk or are not whole sectors completes with IOERR; a chain without a
 * usable status byte makes the device need a reset.
 */
public final class VirtioBlock implements VirtioDevice, Closeable {

    public static final int DEVICE_TYPE = 2;
    public static final int SECTOR_SIZE = 512;
    public static final int QUEUE_SIZE = 256;

    static final long F_SEG_MAX = 1L << 2, F_RO = 1L << 5, F_BLK_SIZE = 1L << 6, F_FLUSH = 1L << 9,
            F_DISCARD = 1L << 13, F_WRITE_ZEROES = 1L << 14;
    static final int T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8, T_DISCARD = 11, T_WRITE_ZEROES = 13;
    public static final int S_OK = 0, S_IOERR = 1, S_UNSUPP = 2;
    private static final int HEADER_SIZE = 16, ID_BYTES = 20, CONFIG_SIZE = 0x3C;
    /** Segments per discard/write-zeroes request, and sectors per segment (bounded: requests run on a vCPU thread). */
    static final int MAX_RANGE_SEGS = 16, MAX_DISCARD_SECTORS = 1 << 22, MAX_WRITE_ZEROES_SECTORS = 1 << 15;
    private static final int RANGE_SIZE = 16, UNMAP = 1;

    /** Replaced only while the I/O is quiesced (an external snapshot puts the disk on an overlay). */
    private volatile BlockBackend disk;
    private final boolean readOnly;
    private final boolean discards;
    private final long capacitySectors;
    private final byte[] id = new byte[ID_BYTES];
    private final byte[] config = new byte[CONFIG_SIZE];
    private final byte[] io = new byte[64 * 1024];
    private final DescriptorChain chain = new DescriptorChain(QUEUE_SIZE);
    private final BlockCounters counters = new BlockCounters();
    /** The type and data length of the request execute() ran last (-1: none), for the counters. */
    private int lastType = -1;
    private long lastLength;

    /**
     * A raw image file.
     *
     * @param image    raw disk image
     * @param readOnly open read-only and advertise VIRTIO_BLK_F_RO
     * @param serial   the id returned by GET_ID (at most 20 ASCII bytes are used)
     */
    public VirtioBlock(Path image, boolean readOnly, String serial) throws IOException {
        this(new RawFileBackend(image, readOnly), serial);
    }

    /**
     * @param disk   the disk, closed with this device; read-only disks advertise VIRTIO_BLK_F_RO
     * @param serial the id returned by GET_ID (at most 20 ASCII bytes are used)
     */
    public VirtioBlock(BlockBackend disk, String serial) {
        this.disk = disk;
        this.readOnly = disk.readOnly();
        this.discards = !readOnly && disk.discardGranularity() > 0;
        this.capacitySectors = disk.capacity() / SECTOR_SIZE;
        byte[] s = serial.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, id, 0, Math.min(s.length, ID_BYTES));
        putLe(0x00, capacitySectors, 8);
        putLe(0x0C, QUEUE_SIZE - 2, 4);  // seg_max: a chain also holds the header and status
        putLe(0x14, SECTOR_SIZE, 4);     // blk_size
        putLe(0x22, 1, 2);               // num_queues
        if (discards) {
            putLe(0x24, MAX_DISCARD_SECTORS, 4);
            putLe(0x28, MAX_RANGE_SEGS, 4);
            putLe(0x2C, Math.max(1, disk.discardGranularity() / SECTOR_SIZE), 4); // discard_sector_alignment
        }
        putLe(0x30, MAX_WRITE_ZEROES_SECTORS, 4);
        putLe(0x34, MAX_RANGE_SEGS, 4);
        putLe(0x38, discards ? 1 : 0, 1);  // write_zeroes_may_unmap
    }

    private void putLe(int off, long v, int n) {
        for (int i = 0; i < n; i++) config[off + i] = (byte) (v >>> (8 * i));
    }

    public long capacitySectors() { return capacitySectors; }

    /**
     * Puts the device on another backend of the same size and writability (an external snapshot's
     * overlay over the old image) and returns the old one, which the caller closes. Only while the
     * machine is paused and its disk I/O quiesced: no request is in flight.
     */
    public BlockBackend replaceBackend(BlockBackend next) throws IOException {
        if (next.capacity() / SECTOR_SIZE != capacitySectors || next.readOnly() != readOnly) {
            throw new IOException("the new image has " + next.capacity() + " bytes" + (next.readOnly() ? ", read-only" : "")
                    + ", the disk " + capacitySectors * SECTOR_SIZE + (readOnly ? ", read-only" : ""));
        }
        BlockBackend old = disk;
        disk = next;
        return old;
    }

    /** The device's I/O counters (query-blockstats). */
    public BlockCounters counters() { return counters; }

    /** The disk behind the device (a snapshot takes internal qcow2 snapshots of it while the machine is paused). */
    public BlockBackend backend() { return disk; }

    @Override public int deviceType() { return DEVICE_TYPE; }

    @Override
    public long deviceFeatures() {
        return F_SEG_MAX | F_BLK_SIZE | F_FLUSH | F_INDIRECT_DESC | (readOnly ? F_RO : F_WRITE_ZEROES)
                | (discards ? F_DISCARD : 0);
    }

    @Override public int queueCount() { return 1; }
    @Override public int queueMaxSize() { return QUEUE_SIZE; }
    @Override public int pciClass() { return 0x018000; } // mass storage, other

    @Override
    public long readConfig(int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            int at = offset + i;
            v = (v << 8) | (at >= 0 && at < CONFIG_SIZE ? config[at] & 0xFF : 0);
        }
        return v;
    }

    @Override public void writeConfig(int offset, int size, long value) { } // nothing writable (no CONFIG_WCE)
    @Override public void activate(long negotiatedFeatures) { }
    @Override public void reset() { }

    @Override
    public boolean processQueue(int index, SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        boolean used = false;
        while (queue.next(mem, chain)) {
            long statusAt = chain.lastWritableByte();
            if (statusAt < 0 || !mem.isValidRange(statusAt, 1)) throw new VirtioException("request without a usable status byte");
            int written;
            int status;
            if (!chain.allInRam(mem)) {
                status = S_IOERR;
                written = 0;
            } else {
                lastType = -1;
                long result = execute(mem);
                status = (int) (result & 0xFF);
                written = (int) (result >>> 8);
                counters.record(lastType, status == S_OK, lastLength);
            }
            mem.writeByte(statusAt, (byte) status);
            queue.addUsed(mem, chain.head(), written + 1);
            used = true;
        }
        return used;
    }

    /** Runs the request in chain; returns status | bytesWrittenToData << 8. */
    private long execute(GuestMemory mem) {
        if (chain.readableBytes() < HEADER_SIZE) return S_IOERR;
        chain.readFrom(mem, 0, io, 0, HEADER_SIZE);
        int type = le32(0);
        long sector = le32(8) & 0xFFFF_FFFFL | (long) le32(12) << 32;
        lastType = type;
        lastLength = type == T_IN ? chain.writableBytes() - 1 : type == T_OUT ? chain.readableBytes() - HEADER_SIZE : 0;
        try {
            switch (type) {
                case T_IN -> {
                    long len = chain.writableBytes() - 1;
                    if (!inRange(sector, len)) return S_IOERR;
                    long pos = sector * SECTOR_SIZE;
                    for (long done = 0; done < len; ) {
                        int n = (int) Math.min(io.length, len - done);
                        disk.read(pos + done, io, 0, n);
                        chain.writeTo(mem, done, io, 0, n);
                        done += n;
                    }
                    return S_OK | len << 8;
                }
                case T_OUT -> {
                    if (readOnly) return S_IOERR;
                    long len = chain.readableBytes() - HEADER_SIZE;
                    if (!inRange(sector, len)) return S_IOERR;
                    long pos = sector * SECTOR_SIZE;
                    for (long done = 0; done < len; ) {
                        int n = (int) Math.min(io.length, len - done);
                        chain.readFrom(mem, HEADER_SIZE + done, io, 0, n);
                        disk.write(pos + done, io, 0, n);
                        done += n;
                    }
                    return S_OK;
                }
                case T_FLUSH -> {
                    if (!readOnly) disk.flush();
                    return S_OK;
                }
                case T_DISCARD, T_WRITE_ZEROES -> {
                    return ranges(mem, type == T_DISCARD);
                }
                case T_GET_ID -> {
                    int n = (int) Math.min(ID_BYTES, chain.writableBytes() - 1);
                    chain.writeTo(mem, 0, id, 0, n);
                    return S_OK | (long) n << 8;
                }
                default -> {
                    return S_UNSUPP;
                }
            }
        } catch (IOException e) {
            return S_IOERR;
        } catch (GuestMemoryException e) {
            return S_IOERR; // cannot happen after allInRam, kept as a second line of defence
        }
    }

    /**
     * A discard or write-zeroes request: every range is checked before any is carried out. Unknown
     * flags, and unmap on a discard, are UNSUPP (virtio spec 5.2.6.2).
     */
    private long ranges(GuestMemory mem, boolean discard) throws IOException {
        if (readOnly) return S_IOERR;
        if (discard && !discards) return S_UNSUPP;
        long bytes = chain.readableBytes() - HEADER_SIZE;
        if (bytes <= 0 || bytes % RANGE_SIZE != 0 || bytes / RANGE_SIZE > MAX_RANGE_SEGS) return S_IOERR;
        int n = (int) (bytes / RANGE_SIZE);
        chain.readFrom(mem, HEADER_SIZE, io, HEADER_SIZE, n * RANGE_SIZE);
        long max = discard ? MAX_DISCARD_SECTORS : MAX_WRITE_ZEROES_SECTORS;
        for (int i = 0; i < n; i++) {
            int at = HEADER_SIZE + i * RANGE_SIZE;
            long flags = le32(at + 12) & 0xFFFF_FFFFL;
            if ((flags & ~UNMAP) != 0 || (discard && flags != 0)) return S_UNSUPP;
            long sectors = le32(at + 8) & 0xFFFF_FFFFL;
            if (sectors > max || !inRange(le64(at), sectors * SECTOR_SIZE)) return S_IOERR;
        }
        for (int i = 0; i < n; i++) {
            int at = HEADER_SIZE + i * RANGE_SIZE;
            long pos = le64(at) * SECTOR_SIZE, len = (le32(at + 8) & 0xFFFF_FFFFL) * SECTOR_SIZE;
            if (discard) disk.discard(pos, len);
            else disk.writeZeroes(pos, len, (le32(at + 12) & UNMAP) != 0 && discards);
        }
        return S_OK;
    }

    private long le64(int off) {
        return le32(off) & 0xFFFF_FFFFL | (long) le32(off + 4) << 32;
    }

    /** Whole sectors, inside the disk. */
    private boolean inRange(long sector, long len) {
        if (len < 0 || len % SECTOR_SIZE != 0) return false;
        if (sector < 0 || sector > capacitySectors) return false;
        return len / SECTOR_SIZE <= capacitySectors - sector;
    }

    private int le32(int off) {
        return (io[off] & 0xFF) | (io[off + 1] & 0xFF) << 8 | (io[off + 2] & 0xFF) << 16 | io[off + 3] << 24;
    }

    @Override public void saveState(DataOutput out) { } // stateless between requests
    @Override public void loadState(DataInput in) { }

    @Override
    public void close() throws IOException {
        disk.close();
    }
}
