package org.jvirt.vmm.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

import static org.jvirt.vmm.state.StateFormat.*;

/**
 * Writes a state file. The sections go to a temporary file in the target's directory, which
 * {@link #commit} completes with the end marker, syncs and renames onto the target; closing
 * without a commit deletes it. So the target is either the old file or a complete new one,
 * and a file a guest has mapped is never written to.
 *
 * <pre>
 * try (StateWriter w = StateWriter.create(path)) {
 *     w.section("uart0", 1, out -> out.u8(lcr).u8(ier));
 *     w.rawSection("ram", 1, ramBytes, sink -> sink.write(ramBuffer));
 *     w.commit();
 * }
 * </pre>
 */
public final class StateWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final Set<String> ids = new HashSet<>();
    private boolean committed;

    private StateWriter(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    public static StateWriter create(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            StateWriter w = new StateWriter(target, temp, ch);
            w.writeHeader();
            return w;
        } catch (IOException | RuntimeException e) {
            if (ch != null) ch.close();
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** A writer into memory (no file: nothing to sync or rename at commit); the bytes: {@link MemoryChannel#toByteArray}. */
    public static StateWriter inMemory(MemoryChannel ch) throws IOException {
        StateWriter w = new StateWriter(Path.of("in-memory state"), null, ch);
        w.writeHeader();
        return w;
    }

    private static ByteBuffer le(int size) { return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN); }

    private void writeHeader() throws IOException {
        ByteBuffer h = le(HEADER_SIZE);
        h.put(MAGIC).putInt(FORMAT_VERSION).putInt(0).putInt(0);
        h.putInt(crc32c(h.array(), 0, HEADER_SIZE - 4));
        writeFully(h.flip());
    }

    /** A required, checksummed section whose payload the body writes. */
    public StateWriter section(String id, int version, Consumer<SectionOutput> body) throws IOException {
        return section(id, version, FLAG_REQUIRED, body);
    }

    /** A checksummed section a reader that does not know it may skip. */
    public StateWriter optionalSection(String id, int version, Consumer<SectionOutput> body) throws IOException {
        return section(id, version, 0, body);
    }

    private StateWriter section(String id, int version, int flags, Consumer<SectionOutput> body) throws IOException {
        checkOpen();
        claim(id);
        SectionOutput out = new SectionOutput();
        body.accept(out);
        writeSectionHeader(id, version, flags, out.size());
        writeFully(ByteBuffer.wrap(out.array(), 0, out.size()));
        ByteBuffer crc = le(4).putInt(crc32c(out.array(), 0, out.size()));
        writeFully(crc.flip());
        return this;
    }

    /** Writes a raw payload of exactly length bytes; the body may throw IOException. */
    public interface RawBody {
        void write(RawPayloadSink sink) throws IOException;
    }

    /**
     * A required, page-aligned section without a payload checksum (guest RAM): its payload can
     * later be mapped straight from the file, and validating the file does not read it.
     * The body must produce exactly length bytes.
     */
    public StateWriter rawSection(String id, int version, long length, RawBody body) throws IOException {
        checkOpen();
        claim(id);
        if (length < 0) throw new IllegalArgumentException("negative length " + length);
        long start = writeSectionHeader(id, version, FLAG_REQUIRED | FLAG_UNCHECKED | FLAG_PAGE_ALIGNED, length);
        Sink sink = new Sink(start, length);
        body.write(sink);
        if (sink.written != length) {
            throw new IllegalStateException("section '" + id + "': body wrote " + sink.written + " of " + length + " bytes");
        }
        channel.position(start + length);
        return this;
    }

    private final class Sink implements RawPayloadSink {
        private final long start, length;
        private long written;

        Sink(long start, long length) {
            this.start = start;
            this.length = length;
        }

        private void room(long n) {
            if (n > length - written) throw new IllegalStateException("raw payload longer than its declared " + length + " bytes");
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            room(src.remaining());
            long pos = start + written;
            while (src.hasRemaining()) {
                int n = channel.write(src, pos);
                pos += n;
                written += n;
            }
        }

        @Override
        public void skipZeros(long n) throws IOException {
            if (n < 0) throw new IllegalArgumentException("negative skip " + n);
            room(n);
            written += n;
            // the file must reach the end of the hole even if nothing follows it
            if (written == length && channel.size() < start + length) {
                channel.write(ByteBuffer.allocate(1), start + length - 1);
            }
        }

        @Override public long written() { return written; }
    }

    /** Writes the header and the zero padding; returns the payload's file offset. */
    private long writeSectionHeader(String id, int version, int flags, long length) throws IOException {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer h = le(4 + 1 + idBytes.length + 4 + 4 + 8 + 8 + 4);
        long headerEnd = channel.position() + h.capacity();
        long payload = payloadOffset(headerEnd, flags);
        h.putInt(SECTION_MARKER).put((byte) idBytes.length).put(idBytes).putInt(version).putInt(flags)
                .putLong(payload).putLong(length);
        h.putInt(crc32c(h.array(), 0, h.capacity() - 4));
        writeFully(h.flip());
        if (payload > headerEnd) writeFully(ByteBuffer.allocate((int) (payload - headerEnd)));
        return payload;
    }

    private void claim(String id) {
        if (!isValidId(id)) throw new IllegalArgumentException("invalid section id '" + id + "'");
        if (!ids.add(id)) throw new IllegalArgumentException("section '" + id + "' written twice");
    }

    private void checkOpen() {
        if (committed || !channel.isOpen()) throw new IllegalStateException("state writer for " + target + " is closed");
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) channel.write(b);
    }

    /** Adds the end marker, syncs, and atomically replaces the target with the new file. */
    public void commit() throws IOException {
        checkOpen();
        ByteBuffer end = le(END_SIZE);
        end.putInt(END_MARKER).putInt(ids.size()).putLong(channel.position() + END_SIZE);
        end.putInt(crc32c(end.array(), 0, END_SIZE - 4));
        writeFully(end.flip());
        channel.force(true);
        channel.close();
        committed = true;
        if (temp == null) return; // in memory
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes the rename durable (best effort: not every file system lets a directory be fsync'ed). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // the file itself is synced; only the rename may be lost in a crash
        }
    }

    /** Without a commit: discards the temporary file, the target stays as it was. */
    @Override
    public void close() {
        try {
            channel.close();
            if (!committed && temp != null) Files.deleteIfExists(temp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
