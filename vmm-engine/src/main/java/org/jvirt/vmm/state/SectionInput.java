package org.jvirt.vmm.state;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * The payload of one checksummed section, read with typed little-endian accessors. Reading
 * past the end, a length that does not fit, or bytes left over throw
 * {@link StateFormatException} naming the section and the payload offset.
 */
public final class SectionInput {
    private final String id;
    private final int version;
    private final byte[] data;
    private int pos;

    SectionInput(String id, int version, byte[] data) {
        this.id = id;
        this.version = version;
        this.data = data;
    }

    /** For decoders tested on their own (no file around the payload). */
    public static SectionInput of(String id, int version, byte[] payload) {
        return new SectionInput(id, version, payload.clone());
    }

    public String id() { return id; }

    /** The version the section was written with. */
    public int version() { return version; }

    public int remaining() { return data.length - pos; }

    /** Refuses versions this build cannot read; a newer one says so. */
    public SectionInput requireVersion(int highestKnown) {
        if (version > highestKnown) {
            throw new StateFormatException(String.format("section '%s' has version %d, newer than this jvirt reads (up to %d)",
                    id, version, highestKnown));
        }
        if (version < 1) throw new StateFormatException(String.format("section '%s' has invalid version %d", id, version));
        return this;
    }

    private void need(int n, String what) {
        if (n < 0 || n > data.length - pos) {
            throw new StateFormatException(String.format("section '%s' (version %d): %s needs %d bytes at payload offset %d, "
                    + "but the payload has %d bytes", id, version, what, n, pos, data.length));
        }
    }

    public int u8() {
        need(1, "u8");
        return data[pos++] & 0xff;
    }

    public boolean bool() {
        int at = pos;
        int v = u8();
        if (v > 1) throw error(at, "boolean is " + v + ", not 0 or 1");
        return v == 1;
    }

    public int u16() {
        need(2, "u16");
        int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    public int u32() {
        need(4, "u32");
        int v = 0;
        for (int i = 0; i < 4; i++) v |= (data[pos + i] & 0xff) << (8 * i);
        pos += 4;
        return v;
    }

    public long u64() {
        need(8, "u64");
        long v = 0;
        for (int i = 0; i < 8; i++) v |= (data[pos + i] & 0xffL) << (8 * i);
        pos += 8;
        return v;
    }

    public byte[] fixedBytes(int n) {
        need(n, "a block of " + n + " bytes");
        byte[] b = new byte[n];
        System.arraycopy(data, pos, b, 0, n);
        pos += n;
        return b;
    }

    /** A u32 length then the bytes; the length must fit in the payload and in maxLength. */
    public byte[] bytes(int maxLength) {
        int at = pos;
        int n = u32();
        if (n < 0 || n > maxLength) {
            throw error(at, String.format("length %d is out of range (at most %d)", Integer.toUnsignedLong(n), maxLength));
        }
        return fixedBytes(n);
    }

    public String string(int maxLength) {
        int at = pos;
        byte[] b = bytes(maxLength);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw error(at, "string is not valid UTF-8");
        }
    }

    /** A u32 count that must be at most max (guards allocations against corrupt counts). */
    public int count(int max, String what) {
        int at = pos;
        int n = u32();
        if (n < 0 || n > max) {
            throw error(at, String.format("%s count %d is out of range (at most %d)", what, Integer.toUnsignedLong(n), max));
        }
        return n;
    }

    /** Call after decoding: leftover bytes mean the decoder and the writer disagree. */
    public void expectEnd() {
        if (pos != data.length) {
            throw error(pos, String.format("%d unread bytes after the last field", data.length - pos));
        }
    }

    /** An error about this section's content at a payload offset. */
    public StateFormatException error(int offset, String what) {
        return new StateFormatException(String.format("section '%s' (version %d), payload offset %d: %s", id, version, offset, what));
    }

    /** The current payload offset, for {@link #error}. */
    public int position() { return pos; }
}
