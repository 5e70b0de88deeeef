package org.jvirt.vmm.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payload of one checksummed section while it is being written: typed little-endian
 * fields appended to a growing buffer. The writer adds the header and CRC afterwards.
 */
public final class SectionOutput {
    private byte[] data = new byte[256];
    private int size;

    SectionOutput() { }

    private void ensure(int more) {
        if (size + more > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, size + more));
    }

    public SectionOutput u8(int v) {
        ensure(1);
        data[size++] = (byte) v;
        return this;
    }

    public SectionOutput bool(boolean v) { return u8(v ? 1 : 0); }

    public SectionOutput u16(int v) { return u8(v).u8(v >>> 8); }

    public SectionOutput u32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) data[size++] = (byte) (v >>> (8 * i));
        return this;
    }

    public SectionOutput u64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) data[size++] = (byte) (v >>> (8 * i));
        return this;
    }

    /** Exactly b.length bytes, no length prefix (for fixed-size blocks the reader knows). */
    public SectionOutput fixedBytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, data, size, b.length);
        size += b.length;
        return this;
    }

    /** A u32 length, then the bytes. */
    public SectionOutput bytes(byte[] b) { return u32(b.length).fixedBytes(b); }

    /** A UTF-8 string with a u32 byte-length prefix. */
    public SectionOutput string(String s) { return bytes(s.getBytes(StandardCharsets.UTF_8)); }

    int size() { return size; }

    byte[] array() { return data; }
}
