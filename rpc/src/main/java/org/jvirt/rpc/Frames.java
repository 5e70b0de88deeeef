package org.jvirt.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Length-prefixed frames: a 4-byte big-endian length counting itself, the header, the payload.
 * A length below a bare header or above {@link Limits#MESSAGE_MAX} is a protocol error (libvirt
 * drops such a connection); nothing is allocated before the length has been checked.
 */
public final class Frames {
    private Frames() { }

    /** A frame that cannot be a libvirt message: the connection must be closed. */
    public static final class BadFrameException extends IOException {
        public BadFrameException(String message) {
            super(message);
        }
    }

    /** The next frame, or null at a clean end of stream (between frames). */
    public static Frame read(InputStream in) throws IOException {
        byte[] word = new byte[4];
        int got = readFully(in, word, 0, 4);
        if (got == 0) return null;
        if (got < 4) throw new EOFException("connection closed inside a frame's length");
        long length = ((word[0] & 0xffL) << 24) | ((word[1] & 0xff) << 16) | ((word[2] & 0xff) << 8) | (word[3] & 0xff);
        long body = length - Limits.LENGTH_WORD;
        if (body < Limits.HEADER_SIZE) throw new BadFrameException("packet " + length + " bytes too small");
        if (body > Limits.MESSAGE_MAX) throw new BadFrameException("packet " + length + " bytes received from server too large, want " + Limits.MESSAGE_MAX);
        byte[] data = new byte[(int) body];
        if (readFully(in, data, 0, data.length) < data.length) throw new EOFException("connection closed inside a frame");
        XdrReader r = new XdrReader(data, 0, Limits.HEADER_SIZE);
        MessageHeader h;
        try {
            h = MessageHeader.decode(r);
        } catch (XdrException e) {
            throw new BadFrameException(e.getMessage()); // cannot happen: 24 bytes are there
        }
        byte[] payload = java.util.Arrays.copyOfRange(data, Limits.HEADER_SIZE, data.length);
        return new Frame(h, payload);
    }

    private static int readFully(InputStream in, byte[] b, int off, int n) throws IOException {
        int done = 0;
        while (done < n) {
            int k = in.read(b, off + done, n - done);
            if (k < 0) break;
            done += k;
        }
        return done;
    }

    /** A whole frame: length word, header, payload. */
    public static byte[] encode(MessageHeader h, byte[] payload, int off, int len) {
        XdrWriter w = new XdrWriter(Limits.LENGTH_WORD + Limits.HEADER_SIZE + len);
        w.writeInt(0);
        h.encode(w);
        w.writeRaw(payload, off, len);
        w.putInt(0, w.size());
        return w.toByteArray();
    }

    public static byte[] encode(MessageHeader h, XdrWriter payload) {
        return encode(h, payload.array(), 0, payload.size());
    }

    public static byte[] encode(MessageHeader h) {
        return encode(h, new byte[0], 0, 0);
    }
}
