package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The qcow2 container file: positioned reads and writes of whole byte ranges. Metadata reads
 * must lie inside the file ({@link #readMeta}); data reads past the end give zeros, as a
 * preallocated-but-short file reads in QEMU.
 */
final class ImageFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private byte[] wrapped;
    private ByteBuffer wrapper;
    private long size; // kept here: the image is ours alone while open, and checks ask for it often

    ImageFile(Path path, boolean readOnly) throws IOException {
        this.path = path;
        this.readOnly = readOnly;
        this.channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.size = channel.size();
    }

    Path path() { return path; }
    boolean readOnly() { return readOnly; }

    long size() {
        return size;
    }

    /** Reads metadata that must exist in full: a short file is a corrupt image. */
    void readMeta(long pos, byte[] buf, int off, int len, String what) throws IOException {
        if (pos < 0 || len > size() - pos) {
            throw Qcow2Exception.corrupt(path, what + " at offset " + pos + " (" + len + " bytes) lies past the end of the file");
        }
        readData(pos, buf, off, len);
    }

    /** Reads bytes; whatever lies past the end of the file reads as zeros. */
    void readData(long pos, byte[] buf, int off, int len) throws IOException {
        ByteBuffer b = wrap(buf, off, len);
        while (b.hasRemaining()) {
            if (channel.read(b, pos + (b.position() - off)) < 0) {
                Arrays.fill(buf, b.position(), off + len, (byte) 0);
                return;
            }
        }
    }

    void write(long pos, byte[] buf, int off, int len) throws IOException {
        if (readOnly) throw new IOException("qcow2 image " + path + " is open read-only");
        ByteBuffer b = wrap(buf, off, len);
        while (b.hasRemaining()) channel.write(b, pos + (b.position() - off));
        size = Math.max(size, pos + len);
    }

    void force() throws IOException {
        if (!readOnly) channel.force(true);
    }

    /** One reused wrapper per backing array, so the I/O path does not allocate per request. */
    private ByteBuffer wrap(byte[] buf, int off, int len) {
        if (buf != wrapped) {
            wrapped = buf;
            wrapper = ByteBuffer.wrap(buf);
        }
        wrapper.clear();
        wrapper.limit(off + len).position(off);
        return wrapper;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
