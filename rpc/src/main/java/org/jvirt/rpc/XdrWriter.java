package org.jvirt.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends XDR (RFC 4506, as rpcgen writes it): big-endian 4-byte units, padding to 4. */
public final class XdrWriter {
    private byte[] buf;
    private int len;

    public XdrWriter() {
        this(256);
    }

    public XdrWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public int size() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** The backing array (valid up to {@link #size}). */
    byte[] array() {
        return buf;
    }

    private void ensure(int more) {
        if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }

    public XdrWriter writeInt(int v) {
        ensure(4);
        buf[len] = (byte) (v >>> 24);
        buf[len + 1] = (byte) (v >>> 16);
        buf[len + 2] = (byte) (v >>> 8);
        buf[len + 3] = (byte) v;
        len += 4;
        return this;
    }

    /** Overwrites the 4-byte unit at offset (a length word written before its contents). */
    public void putInt(int offset, int v) {
        buf[offset] = (byte) (v >>> 24);
        buf[offset + 1] = (byte) (v >>> 16);
        buf[offset + 2] = (byte) (v >>> 8);
        buf[offset + 3] = (byte) v;
    }

    public XdrWriter writeHyper(long v) {
        writeInt((int) (v >>> 32));
        return writeInt((int) v);
    }

    public XdrWriter writeDouble(double v) {
        return writeHyper(Double.doubleToRawLongBits(v));
    }

    public XdrWriter writeBool(boolean v) {
        return writeInt(v ? 1 : 0);
    }

    /** string&lt;N&gt;: length, UTF-8 bytes, padding. */
    public XdrWriter writeString(String s) {
        return writeOpaque(s.getBytes(StandardCharsets.UTF_8));
    }

    /** remote_string: absent (0) or present (1) and the string. */
    public XdrWriter writeOptionalString(String s) {
        if (s == null) return writeInt(0);
        writeInt(1);
        return writeString(s);
    }

    /** opaque&lt;N&gt;: length, bytes, padding. */
    public XdrWriter writeOpaque(byte[] b) {
        writeInt(b.length);
        return writeFixedOpaque(b, 0, b.length);
    }

    /** opaque[N]: the bytes and padding, no length. */
    public XdrWriter writeFixedOpaque(byte[] b, int off, int n) {
        int padded = (n + 3) & ~3;
        ensure(padded);
        System.arraycopy(b, off, buf, len, n);
        Arrays.fill(buf, len + n, len + padded, (byte) 0);
        len += padded;
        return this;
    }

    /** Raw bytes with no XDR framing (stream data). */
    public XdrWriter writeRaw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }
}
