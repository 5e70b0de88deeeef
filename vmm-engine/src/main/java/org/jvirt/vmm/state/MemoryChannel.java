package org.jvirt.vmm.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * A state "file" in memory: the positional reads and writes StateWriter and StateReader make,
 * on a growable array. Live migration sends the machine state (without RAM) this way, so the
 * downtime pays no file system calls (create, write, fsync, rename, read, delete) on either side.
 * Mapping, locking and transfers are not supported.
 */
public final class MemoryChannel extends FileChannel {
    private byte[] data;
    private int size;
    private long position;

    /** An empty channel to write into. */
    public MemoryChannel() {
        this.data = new byte[64 << 10];
    }

    /** A channel over bytes to read (not copied). */
    public MemoryChannel(byte[] bytes) {
        this.data = bytes;
        this.size = bytes.length;
    }

    /** What was written, exactly. */
    public byte[] toByteArray() {
        return Arrays.copyOf(data, size);
    }

    @Override
    public int read(ByteBuffer dst) {
        int n = read(dst, position);
        if (n > 0) position += n;
        return n;
    }

    @Override
    public int read(ByteBuffer dst, long at) {
        if (at >= size) return -1;
        int n = (int) Math.min(dst.remaining(), size - at);
        dst.put(data, (int) at, n);
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = write(src, position);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src, long at) throws IOException {
        int n = src.remaining();
        long end = at + n;
        if (end > Integer.MAX_VALUE - 8) throw new IOException("in-memory state over 2 GiB");
        if (end > data.length) data = Arrays.copyOf(data, (int) Math.max(end, Math.min(Integer.MAX_VALUE - 8, 2L * data.length)));
        src.get(data, (int) at, n);
        size = Math.max(size, (int) end);
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int n = read(dsts[i]);
            if (n < 0) return total == 0 ? -1 : total;
            total += n;
        }
        return total;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) total += write(srcs[i]);
        return total;
    }

    @Override public long position() { return position; }

    @Override
    public FileChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override public long size() { return size; }

    @Override
    public FileChannel truncate(long newSize) {
        size = (int) Math.min(size, newSize);
        position = Math.min(position, newSize);
        return this;
    }

    @Override public void force(boolean metaData) { } // nothing below memory to sync

    @Override
    public long transferTo(long at, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException("in-memory state: no transfers");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long at, long count) {
        throw new UnsupportedOperationException("in-memory state: no transfers");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long at, long length) {
        throw new UnsupportedOperationException("in-memory state: no mapping");
    }

    @Override
    public FileLock lock(long at, long length, boolean shared) {
        throw new UnsupportedOperationException("in-memory state: no locks");
    }

    @Override
    public FileLock tryLock(long at, long length, boolean shared) {
        throw new UnsupportedOperationException("in-memory state: no locks");
    }

    @Override protected void implCloseChannel() { }
}
