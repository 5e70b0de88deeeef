package org.jvirt.vmm.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Guest RAM as a few mmap'ed regions at guest-physical ranges. Every access is checked to lie
 * inside one region before any native memory is touched; an access that crosses a region's end
 * (e.g. into the PCI hole) fails even if part of it is RAM.
 */
public final class MmapGuestMemory implements GuestMemory, AutoCloseable {

    /** One guest-physical range and the host mapping behind it. */
    public record Region(long start, MmapRegion mapping) {
        public long size() { return mapping.size(); }
        public long end() { return start + mapping.size(); }
        public long hostAddress() { return mapping.hostAddress(); }
    }

    /** Told of writes made through this object, for a CPU emulator's decoded-code cache. */
    public interface WriteListener {
        void written(long gpa, long len);
    }

    private final Region[] regions;
    private final long total;
    private volatile WriteListener writeListener;
    private volatile WriteListener dmaListener;

    private MmapGuestMemory(Region[] regions) {
        this.regions = regions;
        long t = 0;
        for (Region r : regions) t += r.size();
        this.total = t;
    }

    /** Anonymous RAM for the given ranges (non-overlapping, sorted by start). */
    public static MmapGuestMemory anonymous(List<RamRange> ranges) {
        try {
            return of(ranges, RamBacking.ANONYMOUS);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // anonymous memory opens no file
        }
    }

    /** RAM for the given ranges (non-overlapping, sorted by start), backed by backing (the ranges back to back). */
    public static MmapGuestMemory of(List<RamRange> ranges, RamBacking backing) throws IOException {
        long total = 0;
        for (RamRange r : ranges) total += r.size();
        List<Region> out = new ArrayList<>();
        long prevEnd = 0, at = 0;
        try (RamBacking.Source src = RamBacking.open(backing, total)) {
            for (RamRange r : ranges) {
                if (r.start() < prevEnd) throw new IllegalArgumentException("RAM ranges overlap or are unsorted at 0x" + Long.toHexString(r.start()));
                if (r.start() % MmapRegion.PAGE != 0) throw new IllegalArgumentException("RAM range not page aligned: 0x" + Long.toHexString(r.start()));
                out.add(new Region(r.start(), MmapRegion.map(r.size(), src.flags, src.fd, src.base + at)));
                prevEnd = r.end();
                at += r.size();
            }
        } catch (RuntimeException e) {
            out.forEach(reg -> reg.mapping().close());
            throw e;
        }
        return new MmapGuestMemory(out.toArray(new Region[0]));
    }

    /** The x86 layout of {@link X86MemoryLayout} for ramBytes of RAM. */
    public static MmapGuestMemory x86(long ramBytes) {
        return anonymous(X86MemoryLayout.ramRanges(ramBytes));
    }

    /**
     * Puts backing behind this RAM in place (same host addresses, so KVM's memory slots and every
     * view stay valid): restoring a state file maps its RAM section copy-on-write this way, in
     * time that does not grow with the RAM size. The previous contents are dropped. Only while
     * no vCPU runs and no device accesses RAM.
     */
    public void replaceBacking(RamBacking backing) throws IOException {
        try (RamBacking.Source src = RamBacking.open(backing, total)) {
            long at = 0;
            for (Region r : regions) {
                r.mapping().replaceBacking(src.flags, src.fd, src.base + at, src.extents == null ? null : src.extents.slice(at, r.size()));
                at += r.size();
            }
        }
    }

    public List<Region> regions() { return List.of(regions); }

    /**
     * Sets who hears of every write made through this object (devices' DMA, loaders), after it
     * is done: the emulator, whose CPUs write the mapping directly and must still learn when
     * code they decoded is overwritten. Null for none (KVM sees guest memory itself).
     * {@link #replaceBacking} is not reported: a restore replaces the CPU state too.
     */
    public void setWriteListener(WriteListener listener) { writeListener = listener; }

    /**
     * A second listener of the same writes, for what must see the VMM's own writes into guest RAM
     * (device DMA, which no accelerator's dirty log shows): live migration. Null for none.
     */
    public void setDmaListener(WriteListener listener) { dmaListener = listener; }

    private void written(long gpa, long len) {
        WriteListener l = writeListener;
        if (l != null) l.written(gpa, len);
        WriteListener d = dmaListener;
        if (d != null) d.written(gpa, len);
    }

    @Override public long size() { return total; }

    @Override
    public boolean isValidRange(long gpa, long len) {
        return find(gpa, len) != null;
    }

    /** The region that holds all of [gpa, gpa+len), or null. Overflow-safe. */
    private Region find(long gpa, long len) {
        if (len < 0) return null;
        for (Region r : regions) {
            long off = gpa - r.start;
            if (gpa >= r.start && off < r.size() && len <= r.size() - off) return r;
        }
        return null;
    }

    /**
     * A direct view of [gpa, gpa+len) in RAM, for I/O straight from or into guest memory (a
     * socket write of pages without a copy through the Java heap); null when the range is not
     * RAM or crosses one of the mapping's chunks. Writes through it are not reported to the
     * write listeners.
     */
    public ByteBuffer view(long gpa, int len) {
        Region r = find(gpa, len);
        if (r == null) return null;
        long off = gpa - r.start;
        int at = MmapRegion.inChunk(off);
        ByteBuffer b = r.mapping().chunk(off);
        return at + len <= b.limit() ? b.slice(at, len) : null;
    }

    /** Reports a write made through a {@link #view} to the write listeners, as {@link #write} does. */
    public void wroteThroughView(long gpa, long len) {
        written(gpa, len);
    }

    private Region check(long gpa, long len) {
        Region r = find(gpa, len);
        if (r == null) throw new GuestMemoryException(gpa, len);
        return r;
    }

    @Override
    public byte readByte(long gpa) {
        Region r = check(gpa, 1);
        long off = gpa - r.start;
        return r.mapping().chunk(off).get(MmapRegion.inChunk(off));
    }

    @Override
    public short readShort(long gpa) {
        return (short) readSmall(gpa, 2);
    }

    @Override
    public int readInt(long gpa) {
        return (int) readSmall(gpa, 4);
    }

    @Override
    public long readLong(long gpa) {
        return readSmall(gpa, 8);
    }

    private long readSmall(long gpa, int size) {
        Region r = check(gpa, size);
        long off = gpa - r.start;
        int at = MmapRegion.inChunk(off);
        ByteBuffer b = r.mapping().chunk(off);
        if (at + size <= b.limit()) {
            return switch (size) {
                case 2 -> b.getShort(at);
                case 4 -> b.getInt(at);
                default -> b.getLong(at);
            };
        }
        long v = 0; // straddles two ByteBuffer chunks: assemble little-endian byte by byte
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | (r.mapping().chunk(off + i).get(MmapRegion.inChunk(off + i)) & 0xff);
        return v;
    }

    @Override
    public void writeByte(long gpa, byte value) {
        Region r = check(gpa, 1);
        long off = gpa - r.start;
        r.mapping().chunk(off).put(MmapRegion.inChunk(off), value);
        written(gpa, 1);
    }

    @Override
    public void writeShort(long gpa, short value) {
        writeSmall(gpa, 2, value);
    }

    @Override
    public void writeInt(long gpa, int value) {
        writeSmall(gpa, 4, value);
    }

    @Override
    public void writeLong(long gpa, long value) {
        writeSmall(gpa, 8, value);
    }

    private void writeSmall(long gpa, int size, long value) {
        Region r = check(gpa, size);
        long off = gpa - r.start;
        int at = MmapRegion.inChunk(off);
        ByteBuffer b = r.mapping().chunk(off);
        if (at + size <= b.limit()) {
            switch (size) {
                case 2 -> b.putShort(at, (short) value);
                case 4 -> b.putInt(at, (int) value);
                default -> b.putLong(at, value);
            }
        } else {
            for (int i = 0; i < size; i++) r.mapping().chunk(off + i).put(MmapRegion.inChunk(off + i), (byte) (value >>> (8 * i)));
        }
        written(gpa, size);
    }

    @Override
    public void read(long gpa, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        Region r = check(gpa, len);
        long pos = gpa - r.start;
        while (len > 0) {
            ByteBuffer b = r.mapping().chunk(pos);
            int at = MmapRegion.inChunk(pos);
            int n = Math.min(len, b.limit() - at);
            b.get(at, dst, off, n);
            pos += n; off += n; len -= n;
        }
    }

    @Override
    public void write(long gpa, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        Region r = check(gpa, len);
        long pos = gpa - r.start;
        int total = len;
        while (len > 0) {
            ByteBuffer b = r.mapping().chunk(pos);
            int at = MmapRegion.inChunk(pos);
            int n = Math.min(len, b.limit() - at);
            b.put(at, src, off, n);
            pos += n; off += n; len -= n;
        }
        written(gpa, total);
    }

    @Override
    public void close() {
        for (Region r : regions) r.mapping().close();
    }
}
