package org.jvirt.vmm.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A raw image: the file's bytes are the disk's bytes; the capacity is the file size when opened.
 * Reads past a file that shrank since give zeros. Write-zeroes writes zeros (no hole punching
 * from Java), so the file never becomes sparser than it was.
 */
public final class RawFileBackend implements BlockBackend {

    private static final byte[] ZEROS = new byte[64 * 1024];

    private final FileChannel file;
    private final boolean readOnly;
    private final long capacity;
    private byte[] wrapped;
    private ByteBuffer wrapper;

    public RawFileBackend(Path image, boolean readOnly) throws IOException {
        this.readOnly = readOnly;
        this.file = readOnly ? FileChannel.open(image, StandardOpenOption.READ)
                : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.capacity = file.size();
    }

    @Override public long capacity() { return capacity; }
    @Override public boolean readOnly() { return readOnly; }

    @Override
    public synchronized void read(long offset, byte[] buf, int off, int len) throws IOException {
        BlockBackend.checkRange(this, offset, len);
        ByteBuffer b = wrap(buf, off, len);
        while (b.hasRemaining()) {
            if (file.read(b, offset + (b.position() - off)) < 0) {
                Arrays.fill(buf, b.position(), off + len, (byte) 0); // the file shrank: zeros
                break;
            }
        }
    }

    @Override
    public synchronized void write(long offset, byte[] buf, int off, int len) throws IOException {
        checkWritable();
        BlockBackend.checkRange(this, offset, len);
        ByteBuffer b = wrap(buf, off, len);
        while (b.hasRemaining()) file.write(b, offset + (b.position() - off));
    }

    @Override
    public synchronized void writeZeroes(long offset, long length, boolean mayUnmap) throws IOException {
        checkWritable();
        BlockBackend.checkRange(this, offset, length);
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(ZEROS.length, length - done);
            write(offset + done, ZEROS, 0, n);
            done += n;
        }
    }

    @Override
    public void flush() throws IOException {
        if (!readOnly) file.force(false);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** A view of buf; the device reuses one buffer, so its wrapper is reused too (no allocation per request). */
    private ByteBuffer wrap(byte[] buf, int off, int len) {
        if (buf != wrapped) {
            wrapped = buf;
            wrapper = ByteBuffer.wrap(buf);
        }
        wrapper.clear();
        wrapper.limit(off + len).position(off);
        return wrapper;
    }

    private void checkWritable() throws IOException {
        if (readOnly) throw new IOException("the disk is read-only");
    }
}
