package org.jvirt.vmm.memory;

import com.sun.jna.Pointer;
import org.jvirt.vmm.kvm.KvmException;
import org.jvirt.vmm.kvm.LibC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A host mapping that backs one contiguous range of guest RAM: page-aligned, zero-filled,
 * committed lazily and freed explicitly (not owned by the GC). What backs it (anonymous memory
 * or a file mapped copy-on-write) is {@link RamBacking}'s choice; {@link #replaceBacking} swaps
 * the backing in place, at the same host address, so KVM's memory slot and the ByteBuffer views
 * stay valid. Java sees it through ByteBuffers of at most {@link #CHUNK} bytes each.
 */
public final class MmapRegion implements AutoCloseable {
    /** Bytes covered by one ByteBuffer view (a power of two below the 2 GiB ByteBuffer limit). */
    static final int CHUNK_SHIFT = 30;
    static final long CHUNK = 1L << CHUNK_SHIFT;
    static final long PAGE = 4096;

    private final long address;
    private final long size;
    private final ByteBuffer[] chunks;
    private volatile boolean closed;
    private volatile boolean anonymous;
    /** A file mapping's data extents, from this region's start (null: anonymous, or not known). */
    private volatile FileExtents fileExtents;

    private MmapRegion(long address, long size, boolean anonymous) {
        this.address = address;
        this.anonymous = anonymous;
        this.size = size;
        int n = (int) ((size + CHUNK - 1) >>> CHUNK_SHIFT);
        chunks = new ByteBuffer[n];
        Pointer p = new Pointer(address);
        for (int i = 0; i < n; i++) {
            long off = (long) i << CHUNK_SHIFT;
            chunks[i] = p.getByteBuffer(off, Math.min(CHUNK, size - off)).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Private anonymous memory (MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE): no RSS until touched. */
    public static MmapRegion anonymous(long size) {
        return map(size, RamBacking.ANONYMOUS_FLAGS, -1, 0);
    }

    /**
     * Maps size bytes with the given mmap flags from fd at offset (fd -1 for anonymous memory).
     * A file-backed region (MAP_SHARED or MAP_PRIVATE of a snapshot file) goes through here.
     */
    public static MmapRegion map(long size, int flags, int fd, long offset) {
        if (size <= 0 || size % PAGE != 0) throw new IllegalArgumentException("region size must be a positive multiple of 4 KiB: " + size);
        long addr = LibC.mmap(0, size, LibC.PROT_READ | LibC.PROT_WRITE, flags, fd, offset);
        if (addr == LibC.MAP_FAILED) throw new KvmException("mmap(" + size + " bytes)", LibC.errno());
        return new MmapRegion(addr, size, (flags & LibC.MAP_ANONYMOUS) != 0);
    }

    /**
     * Maps the backing's bytes over this region at the same address (MAP_FIXED): the old pages
     * are dropped, and KVM's MMU notifier drops its mappings of them, so a memory slot
     * registered at this address sees the new backing without being registered again.
     */
    void replaceBacking(int flags, int fd, long offset, FileExtents extents) {
        if (closed) throw new IllegalStateException("region is unmapped");
        long addr = LibC.mmap(address, size, LibC.PROT_READ | LibC.PROT_WRITE, flags | LibC.MAP_FIXED, fd, offset);
        if (addr == LibC.MAP_FAILED) throw new KvmException("mmap(" + size + " bytes, MAP_FIXED)", LibC.errno());
        if (addr != address) throw new IllegalStateException("MAP_FIXED mapped at 0x" + Long.toHexString(addr));
        anonymous = (flags & LibC.MAP_ANONYMOUS) != 0;
        fileExtents = anonymous ? null : extents;
    }

    /** True for anonymous memory: a page never populated is zero (see {@link PageMap}). */
    public boolean isAnonymous() { return anonymous; }

    /** For a file mapped copy-on-write: where the file holds data, from this region's start; null if anonymous or not known. */
    public FileExtents fileExtents() { return fileExtents; }

    /** A read-only view of [offset, offset+length), which must lie inside one {@link #CHUNK}. */
    public ByteBuffer view(long offset, int length) {
        if (offset < 0 || length < 0 || offset + length > size || inChunk(offset) + (long) length > CHUNK) {
            throw new IndexOutOfBoundsException("view " + offset + "+" + length + " of a " + size + "-byte region");
        }
        return chunk(offset).slice(inChunk(offset), length).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Host virtual address of the first byte (for KVM_SET_USER_MEMORY_REGION). */
    public long hostAddress() { return address; }

    public long size() { return size; }

    /** The ByteBuffer holding offset; callers keep accesses inside one chunk. */
    ByteBuffer chunk(long offset) { return chunks[(int) (offset >>> CHUNK_SHIFT)]; }

    /**
     * The writable little-endian views that cover this region in order, each {@link #chunkBytes()}
     * long except possibly the last: for a CPU emulator's RAM fast path, which indexes them
     * directly (each ByteBuffer access is still bounds-checked against its view).
     */
    public ByteBuffer[] chunkViews() {
        ByteBuffer[] out = new ByteBuffer[chunks.length];
        for (int i = 0; i < out.length; i++) out[i] = chunks[i].duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return out;
    }

    /** Bytes per view of {@link #chunkViews()} (a power of two). */
    public static long chunkBytes() { return CHUNK; }

    static int inChunk(long offset) { return (int) (offset & (CHUNK - 1)); }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.munmap(address, size);
        }
    }
}
