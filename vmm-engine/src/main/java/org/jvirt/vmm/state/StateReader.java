package org.jvirt.vmm.state;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.jvirt.vmm.state.StateFormat.*;

/**
 * Reads a state file. {@link #open} validates the whole file first (magic, format version,
 * every header and checksum, lengths, duplicates, required sections this build does not know,
 * the end marker) and throws {@link StateFormatException} naming the problem and its offset,
 * so a caller touches nothing of a machine before the file is known to be whole. Unchecked
 * (RAM) payloads are not read during validation, so opening costs the same for any RAM size.
 */
public final class StateReader implements AutoCloseable {
    /** Checked payloads are read into memory; anything larger is not a device or CPU section. */
    static final long MAX_CHECKED_PAYLOAD = 64L << 20;

    /** Where a section is and what it says about itself. */
    public record SectionInfo(String id, int version, int flags, long headerOffset, long payloadOffset, long length) {
        public boolean required() { return (flags & FLAG_REQUIRED) != 0; }
        public boolean unchecked() { return (flags & FLAG_UNCHECKED) != 0; }
    }

    private record Entry(SectionInfo info, byte[] payload, boolean understood) { }

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final Map<String, Entry> sections = new LinkedHashMap<>();

    private StateReader(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
    }

    /** Opens and validates a file in which this caller understands every section. */
    public static StateReader open(Path path) throws IOException {
        return open(path, id -> true);
    }

    /**
     * Opens and validates a file; a required section whose id understood rejects makes the
     * file unusable (it carries state this build would silently drop), an optional one is skipped.
     */
    public static StateReader open(Path path, Predicate<String> understood) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            StateReader r = new StateReader(path, ch);
            r.validate(understood);
            return r;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Reads and validates state held in memory (named in errors as NAME), as {@link #open(Path, Predicate)} a file. */
    public static StateReader inMemory(byte[] state, String name, Predicate<String> understood) throws IOException {
        StateReader r = new StateReader(Path.of(name), new MemoryChannel(state));
        r.validate(understood);
        return r;
    }

    private StateFormatException error(long offset, String what) {
        return new StateFormatException(String.format("state file %s, offset %d: %s", path, offset, what));
    }

    private ByteBuffer readAt(long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int got = channel.read(b, pos + b.position());
            if (got < 0) throw new EOFException("file shrank while being read");
        }
        return b.flip();
    }

    private void needBytes(long pos, long n, String what) {
        if (n > size - pos) {
            throw error(pos, String.format("truncated: %s needs %d bytes, the file has %d left (file size %d)",
                    what, n, size - pos, size));
        }
    }

    private void validate(Predicate<String> understood) throws IOException {
        readHeader();
        long pos = HEADER_SIZE;
        while (true) {
            needBytes(pos, 4, "a section or the end marker");
            int marker = readAt(pos, 4).getInt();
            if (marker == END_MARKER) {
                readEnd(pos);
                return;
            }
            if (marker != SECTION_MARKER) {
                throw error(pos, String.format("expected a section or the end marker, found 0x%08x (corrupted)", marker));
            }
            pos = readSection(pos, understood);
        }
    }

    private void readHeader() throws IOException {
        int n = (int) Math.min(size, HEADER_SIZE);
        ByteBuffer h = readAt(0, n);
        for (int i = 0; i < Math.min(n, MAGIC.length); i++) {
            if (h.get(i) != MAGIC[i]) throw error(i, "not a jvirt state file (bad magic)");
        }
        needBytes(0, HEADER_SIZE, "the file header");
        int version = h.getInt(8);
        if (version > FORMAT_VERSION) {
            throw error(8, String.format("written by a newer jvirt: state format version %d, this jvirt reads version %d",
                    Integer.toUnsignedLong(version), FORMAT_VERSION));
        }
        if (version != FORMAT_VERSION) {
            throw error(8, String.format("unsupported state format version %d (this jvirt reads version %d)",
                    Integer.toUnsignedLong(version), FORMAT_VERSION));
        }
        int crc = h.getInt(HEADER_SIZE - 4);
        if (crc != crc32c(h.array(), 0, HEADER_SIZE - 4)) throw error(HEADER_SIZE - 4, "file header checksum mismatch (corrupted)");
        if (h.getInt(12) != 0 || h.getInt(16) != 0) throw error(12, "unknown header flags (corrupted or a newer jvirt)");
    }

    private void readEnd(long pos) throws IOException {
        needBytes(pos, END_SIZE, "the end marker");
        ByteBuffer e = readAt(pos, END_SIZE);
        if (e.getInt(END_SIZE - 4) != crc32c(e.array(), 0, END_SIZE - 4)) throw error(pos, "end marker checksum mismatch (corrupted)");
        int count = e.getInt(4);
        long length = e.getLong(8);
        if (count != sections.size()) {
            throw error(pos, String.format("end marker counts %d sections, the file has %d", Integer.toUnsignedLong(count), sections.size()));
        }
        if (length != size || pos + END_SIZE != size) {
            throw error(pos + END_SIZE, String.format("%d bytes after the end marker (file length recorded %d, actual %d)",
                    size - pos - END_SIZE, length, size));
        }
    }

    /** Validates one section at pos; returns the offset after it. */
    private long readSection(long pos, Predicate<String> understood) throws IOException {
        needBytes(pos, 5, "a section header");
        int idLength = readAt(pos + 4, 1).get() & 0xff;
        int headerSize = 4 + 1 + idLength + 4 + 4 + 8 + 8 + 4;
        needBytes(pos, headerSize, "a section header");
        ByteBuffer h = readAt(pos, headerSize);
        if (h.getInt(headerSize - 4) != crc32c(h.array(), 0, headerSize - 4)) {
            throw error(pos, "section header checksum mismatch (corrupted)");
        }
        String id = new String(h.array(), 5, idLength, StandardCharsets.ISO_8859_1);
        h.position(5 + idLength);
        int version = h.getInt(), flags = h.getInt();
        long payloadOffset = h.getLong(), length = h.getLong();
        String where = "section '" + id + "'";
        if (!isValidId(id)) throw error(pos, "invalid section id '" + id + "'");
        Entry prior = sections.get(id);
        if (prior != null) {
            throw error(pos, String.format("%s appears twice (first at offset %d)", where, prior.info.headerOffset()));
        }
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw error(pos, String.format("%s has unknown flags 0x%x (written by a newer jvirt?)", where, flags & ~KNOWN_FLAGS));
        }
        long headerEnd = pos + headerSize;
        if (payloadOffset != payloadOffset(headerEnd, flags)) {
            throw error(pos, String.format("%s: payload offset %d is not where the format puts it (%d)",
                    where, payloadOffset, payloadOffset(headerEnd, flags)));
        }
        boolean checked = (flags & FLAG_UNCHECKED) == 0;
        long trailer = checked ? 4 : 0;
        if (length < 0 || length > size || payloadOffset + length + trailer > size) {
            throw error(pos, String.format("%s: payload of %d bytes at offset %d ends past the end of the file (%d bytes): truncated",
                    where, length, payloadOffset, size));
        }
        if (payloadOffset > headerEnd) {
            ByteBuffer pad = readAt(headerEnd, (int) (payloadOffset - headerEnd));
            while (pad.hasRemaining()) {
                if (pad.get() != 0) throw error(headerEnd + pad.position() - 1, where + ": non-zero byte in the alignment padding");
            }
        }
        boolean known = understood.test(id);
        if (!known && (flags & FLAG_REQUIRED) != 0) {
            throw error(pos, where + " is required, but this jvirt does not know it (written by a newer jvirt?)");
        }
        byte[] payload = null;
        if (checked) {
            if (length > MAX_CHECKED_PAYLOAD) throw error(pos, String.format("%s: checksummed payload of %d bytes is too large", where, length));
            ByteBuffer p = readAt(payloadOffset, (int) length + 4);
            payload = new byte[(int) length];
            p.get(payload);
            int stored = p.getInt();
            int actual = crc32c(payload, 0, payload.length);
            if (stored != actual) {
                throw error(payloadOffset, String.format("%s: payload checksum mismatch (stored 0x%08x, computed 0x%08x): corrupted",
                        where, stored, actual));
            }
        }
        sections.put(id, new Entry(new SectionInfo(id, version, flags, pos, payloadOffset, length), payload, known));
        return payloadOffset + length + trailer;
    }

    public Path path() { return path; }

    public int formatVersion() { return FORMAT_VERSION; }

    /** Every section in file order (including optional ones the caller did not understand). */
    public List<SectionInfo> sections() {
        List<SectionInfo> out = new ArrayList<>();
        for (Entry e : sections.values()) out.add(e.info);
        return Collections.unmodifiableList(out);
    }

    public boolean has(String id) { return sections.containsKey(id); }

    private Entry entry(String id) {
        Entry e = sections.get(id);
        if (e == null) throw new StateFormatException(String.format("state file %s has no section '%s'", path, id));
        return e;
    }

    /** A checksummed section's payload. */
    public SectionInput section(String id) {
        Entry e = entry(id);
        if (e.payload == null) throw new StateFormatException(String.format("state file %s: section '%s' is a raw section", path, id));
        return new SectionInput(id, e.info.version(), e.payload);
    }

    /** An unchecked (RAM-like) section: where its payload is in the file. */
    public SectionInfo raw(String id) {
        Entry e = entry(id);
        if (e.payload != null) throw new StateFormatException(String.format("state file %s: section '%s' is not a raw section", path, id));
        return e.info;
    }

    /** Reads dst.remaining() bytes of a raw section's payload, from payload offset at. */
    public void readRaw(String id, long at, ByteBuffer dst) throws IOException {
        SectionInfo s = raw(id);
        if (at < 0 || at > s.length() || dst.remaining() > s.length() - at) {
            throw new IllegalArgumentException(String.format("read of %d bytes at %d is outside section '%s' (%d bytes)",
                    dst.remaining(), at, id, s.length()));
        }
        long pos = s.payloadOffset() + at;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) throw new EOFException("state file " + path + " shrank while being read");
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
