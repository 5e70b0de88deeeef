package org.jvirt.vmm.block;

import java.io.Closeable;
import java.io.IOException;

/**
 * A virtual disk as a device model sees it: bytes at offsets in [0, capacity), whatever the image
 * format underneath (raw file, qcow2 with its backing chain). Offsets and lengths need not be
 * aligned; a range outside the disk is refused with an IOException, never clipped.
 *
 * <p>Implementations are safe for use from several threads (each call is atomic with respect to
 * the others), so that a device may run requests on whichever thread it likes.
 */
public interface BlockBackend extends Closeable {

    /** Virtual disk size in bytes. */
    long capacity();

    /** True when writes, write-zeroes and discards are refused. */
    boolean readOnly();

    /** Fills buf[off, off+len) with the disk's bytes at offset. */
    void read(long offset, byte[] buf, int off, int len) throws IOException;

    /** Stores buf[off, off+len) at offset. */
    void write(long offset, byte[] buf, int off, int len) throws IOException;

    /**
     * Makes [offset, offset+length) read as zeros. With mayUnmap the backend may release the
     * space (a discard that still guarantees zeros); without it the space stays allocated where
     * the format can say so.
     */
    void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException;

    /**
     * Bytes the backend can release at once by {@link #discard}, a power of two; 0 when it
     * cannot release space (discards would only cost time).
     */
    default int discardGranularity() {
        return 0;
    }

    /**
     * Lets the backend release the space behind [offset, offset+length): the contents become
     * unspecified (zeros or the old bytes). Parts smaller than the granularity are left alone.
     */
    default void discard(long offset, long length) throws IOException {
        if (readOnly()) throw new IOException("the disk is read-only");
        checkRange(this, offset, length);
    }

    /** Makes every completed write durable (data and the metadata that finds it). */
    void flush() throws IOException;

    /** Flushes (when writable) and releases the image and any backing images. */
    @Override
    void close() throws IOException;

    /** Refuses a range outside [0, capacity) or a negative length. */
    static void checkRange(BlockBackend b, long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset > b.capacity() || length > b.capacity() - offset) {
            throw new IOException("request at " + offset + " for " + length + " bytes is outside the "
                    + b.capacity() + "-byte disk");
        }
    }
}
