package org.jvirt.rpc;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads XDR from a byte range, checking every length against what is left and against the
 * protocol's limit before anything is allocated: a hostile count never allocates more than the
 * frame that carried it.
 */
public final class XdrReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public XdrReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public XdrReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    public int remaining() {
        return end - pos;
    }

    private void need(int n, String what) throws XdrException {
        if (n < 0 || end - pos < n) throw new XdrException("truncated " + what);
    }

    public int readInt() throws XdrException {
        need(4, "int");
        int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    public long readUnsignedInt() throws XdrException {
        return readInt() & 0xffffffffL;
    }

    public long readHyper() throws XdrException {
        long hi = readInt();
        return (hi << 32) | (readInt() & 0xffffffffL);
    }

    public double readDouble() throws XdrException {
        return Double.longBitsToDouble(readHyper());
    }

    public boolean readBool() throws XdrException {
        return readInt() != 0;
    }

    /** A count of a variable array, at most max (each item at least minItemBytes on the wire). */
    public int readCount(int max, int minItemBytes, String what) throws XdrException {
        long n = readUnsignedInt();
        if (n > max) throw new XdrException(what + " has " + n + " items, more than " + max);
        if (n * Math.max(1, minItemBytes) > remaining()) throw new XdrException("truncated " + what);
        return (int) n;
    }

    public byte[] readOpaque(int max, String what) throws XdrException {
        long n = readUnsignedInt();
        if (n > max) throw new XdrException(what + " of " + n + " bytes, more than " + max);
        return readFixedOpaque((int) n, what);
    }

    public byte[] readFixedOpaque(int n, String what) throws XdrException {
        int padded = (n + 3) & ~3;
        need(padded, what);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += padded;
        return b;
    }

    public String readString(String what) throws XdrException {
        byte[] b = readOpaque(Limits.STRING_MAX, what);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new XdrException(what + " is not valid UTF-8");
        }
    }

    public String readOptionalString(String what) throws XdrException {
        return readPresent(what) ? readString(what) : null;
    }

    /** The discriminant of an optional (T *x): false absent, true present. */
    public boolean readPresent(String what) throws XdrException {
        int flag = readInt();
        if (flag != 0 && flag != 1) throw new XdrException("bad optional marker for " + what);
        return flag == 1;
    }

    /** The payload ends here: bytes left over mean the peer and we disagree on the structure. */
    public void expectEnd(String what) throws XdrException {
        if (pos != end) throw new XdrException((end - pos) + " unexpected bytes after " + what);
    }
}
