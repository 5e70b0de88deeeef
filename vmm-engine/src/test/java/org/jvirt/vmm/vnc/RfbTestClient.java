package org.jvirt.vmm.vnc;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Inflater;

/**
 * A small RFB client for the tests, written from RFC 6143 (not from the server's code): the
 * handshake, SetPixelFormat/SetEncodings/requests/events, and updates decoded (Raw, ZRLE,
 * DesktopSize) into a 0xRRGGBB framebuffer. Talks to jvirt's server and to QEMU's alike.
 */
final class RfbTestClient implements AutoCloseable {
    private final AutoCloseable connection;
    private final Socket socket; // TCP: has a read timeout; null on a unix socket
    final DataInputStream in;
    final DataOutputStream out;
    int width, height;
    byte[] serverFormat = new byte[16];
    String name;
    int[] fb;
    private int bpp = 4, rBits = 8, gBits = 8, bBits = 8, rShift = 16, gShift = 8, bShift = 0, depth = 24;
    private boolean bigEndian;
    private final Inflater zrle = new Inflater();
    /** The pseudo-encodings met in updates, in order (DesktopSize, the extended key event ack). */
    final List<Integer> pseudo = new ArrayList<>();
    /** The LED state bytes of LED state pseudo-rectangles (-261), in order. */
    final List<Integer> leds = new ArrayList<>();
    /** The rectangles of the last update (x, y, w, h, encoding). */
    final List<int[]> lastRects = new ArrayList<>();

    private RfbTestClient(AutoCloseable connection, Socket socket, InputStream raw, OutputStream rawOut) {
        this.connection = connection;
        this.socket = socket;
        this.in = new DataInputStream(new java.io.BufferedInputStream(raw));
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(rawOut));
    }

    static RfbTestClient tcp(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000); // a test never hangs on a silent server
        return new RfbTestClient(s, s, s.getInputStream(), s.getOutputStream());
    }

    static RfbTestClient unix(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
        return new RfbTestClient(ch, null, Channels.newInputStream(ch), Channels.newOutputStream(ch));
    }

    /** Version and security None (3.3: the server's word; 3.7/3.8: chosen), ClientInit, ServerInit. */
    void handshake(String version, boolean shared) throws IOException {
        readVersion();
        out.write(version.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (version.equals("RFB 003.003\n")) {
            int type = in.readInt();
            if (type != 1) throw new IOException("security type " + type);
        } else {
            int n = in.readUnsignedByte();
            byte[] types = in.readNBytes(n);
            if (n != 1 || types[0] != 1) throw new IOException("security types " + java.util.Arrays.toString(types));
            out.write(1);
            out.flush();
            if (version.equals("RFB 003.008\n") && in.readInt() != 0) throw new IOException("security result failed");
        }
        init(shared);
    }

    int localPort() { return socket.getLocalPort(); }

    String readVersion() throws IOException {
        return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
    }

    void init(boolean shared) throws IOException {
        out.write(shared ? 1 : 0);
        out.flush();
        width = in.readUnsignedShort();
        height = in.readUnsignedShort();
        in.readFully(serverFormat);
        int len = in.readInt();
        name = new String(in.readNBytes(len), StandardCharsets.UTF_8);
        fb = new int[width * height];
    }

    void setPixelFormat(int bitsPerPixel, int depth, boolean bigEndian, int rMax, int gMax, int bMax, int rShift, int gShift, int bShift) throws IOException {
        out.write(new byte[] {0, 0, 0, 0});
        out.write(new byte[] {(byte) bitsPerPixel, (byte) depth, (byte) (bigEndian ? 1 : 0), 1});
        out.writeShort(rMax); out.writeShort(gMax); out.writeShort(bMax);
        out.write(new byte[] {(byte) rShift, (byte) gShift, (byte) bShift, 0, 0, 0});
        out.flush();
        this.bpp = bitsPerPixel / 8;
        this.depth = depth;
        this.bigEndian = bigEndian;
        this.rBits = Integer.bitCount(rMax); this.gBits = Integer.bitCount(gMax); this.bBits = Integer.bitCount(bMax);
        this.rShift = rShift; this.gShift = gShift; this.bShift = bShift;
    }

    void setEncodings(int... encodings) throws IOException {
        out.write(2);
        out.write(0);
        out.writeShort(encodings.length);
        for (int e : encodings) out.writeInt(e);
        out.flush();
    }

    void request(boolean incremental, int x, int y, int w, int h) throws IOException {
        out.write(3);
        out.write(incremental ? 1 : 0);
        out.writeShort(x); out.writeShort(y); out.writeShort(w); out.writeShort(h);
        out.flush();
    }

    void key(boolean down, int keysym) throws IOException {
        out.write(4);
        out.write(down ? 1 : 0);
        out.writeShort(0);
        out.writeInt(keysym);
        out.flush();
    }

    void extKey(boolean down, int keysym, int keycode) throws IOException {
        out.write(255);
        out.write(0);
        out.writeShort(down ? 1 : 0);
        out.writeInt(keysym);
        out.writeInt(keycode);
        out.flush();
    }

    void pointer(int mask, int x, int y) throws IOException {
        out.write(5);
        out.write(mask);
        out.writeShort(x);
        out.writeShort(y);
        out.flush();
    }

    /** Reads server messages until a FramebufferUpdate has been applied; returns its rectangle count. */
    int readUpdate() throws IOException {
        while (true) {
            int type = in.readUnsignedByte();
            if (type == 0) return applyUpdate();
            if (type == 2) continue; // bell
            if (type == 3) { in.readNBytes(3); in.readNBytes(in.readInt()); continue; }
            throw new IOException("unexpected server message " + type);
        }
    }

    /** A whole picture: a non-incremental request for the screen, then updates until none is pending. */
    int[] fullFrame() throws IOException {
        request(false, 0, 0, width, height);
        readUpdate();
        return fb.clone();
    }

    /** True when the server sends nothing within ms (it waits for a change). */
    boolean silentFor(int ms) throws IOException {
        long end = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < end) {
            if (in.available() > 0) return false;
            try { Thread.sleep(10); } catch (InterruptedException e) { throw new IOException(e); }
        }
        return in.available() == 0;
    }

    private int applyUpdate() throws IOException {
        in.readUnsignedByte();
        int n = in.readUnsignedShort();
        lastRects.clear();
        for (int r = 0; r < n; r++) {
            int x = in.readUnsignedShort(), y = in.readUnsignedShort(), w = in.readUnsignedShort(), h = in.readUnsignedShort();
            int enc = in.readInt();
            lastRects.add(new int[] {x, y, w, h, enc});
            switch (enc) {
                case 0 -> {
                    byte[] px = in.readNBytes(w * h * bpp);
                    if (px.length != w * h * bpp) throw new EOFException();
                    for (int j = 0; j < h; j++) for (int i = 0; i < w; i++) fb[(y + j) * width + x + i] = rgb(pixel(px, (j * w + i) * bpp, bpp));
                }
                case 16 -> zrle(x, y, w, h);
                case 1 -> { // CopyRect: from the framebuffer as it is now (earlier rectangles applied)
                    int sx = in.readUnsignedShort(), sy = in.readUnsignedShort();
                    int[] copy = fb.clone();
                    for (int j = 0; j < h; j++) System.arraycopy(copy, (sy + j) * width + sx, fb, (y + j) * width + x, w);
                }
                case -261 -> { // LED state: one byte
                    pseudo.add(enc);
                    leds.add(in.readUnsignedByte());
                }
                case -223 -> {
                    pseudo.add(enc);
                    width = w;
                    height = h;
                    fb = new int[w * h];
                }
                default -> {
                    if (enc < 0) pseudo.add(enc);
                    else throw new IOException("encoding " + enc);
                }
            }
        }
        return n;
    }

    private void zrle(int x, int y, int w, int h) throws IOException {
        byte[] z = in.readNBytes(in.readInt());
        zrle.setInput(z);
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        try {
            int k;
            while ((k = zrle.inflate(buf)) > 0) data.write(buf, 0, k);
        } catch (java.util.zip.DataFormatException e) {
            throw new IOException(e);
        }
        byte[] d = data.toByteArray();
        boolean compact = bpp == 4 && depth <= 24;
        int cb = compact ? 3 : bpp;
        int p = 0;
        for (int ty = y; ty < y + h; ty += 64) {
            for (int tx = x; tx < x + w; tx += 64) {
                int tw = Math.min(64, x + w - tx), th = Math.min(64, y + h - ty);
                int sub = d[p++] & 0xff;
                if (sub == 1) {
                    int c = rgb(cpixel(d, p, cb));
                    p += cb;
                    for (int j = 0; j < th; j++) for (int i = 0; i < tw; i++) fb[(ty + j) * width + tx + i] = c;
                } else if (sub == 0) {
                    for (int j = 0; j < th; j++) for (int i = 0; i < tw; i++) { fb[(ty + j) * width + tx + i] = rgb(cpixel(d, p, cb)); p += cb; }
                } else {
                    throw new IOException("ZRLE subencoding " + sub + " not decoded by the test client");
                }
            }
        }
    }

    /**
     * A CPIXEL (RFC 6143 7.7.6): three bytes, the least significant three of the pixel when all
     * colour bits lie there, else the most significant three.
     */
    private int cpixel(byte[] d, int p, int cb) {
        if (cb != 3) return pixel(d, p, cb);
        long mask = (long) ((1 << rBits) - 1) << rShift | (long) ((1 << gBits) - 1) << gShift | (long) ((1 << bBits) - 1) << bShift;
        boolean low = (mask & 0xff000000L) == 0;
        int a = d[p] & 0xff, b = d[p + 1] & 0xff, c = d[p + 2] & 0xff;
        int v = bigEndian ? a << 16 | b << 8 | c : c << 16 | b << 8 | a;
        return low ? v : v << 8;
    }

    private int pixel(byte[] d, int p, int n) {
        int v = 0;
        for (int k = 0; k < n; k++) v = bigEndian ? v << 8 | d[p + k] & 0xff : v | (d[p + k] & 0xff) << (8 * k);
        return v;
    }

    /** The pixel value back to 0xRRGGBB, each component's bits placed at the top of its byte. */
    private int rgb(int v) {
        int r = (v >>> rShift) & ((1 << rBits) - 1), g = (v >>> gShift) & ((1 << gBits) - 1), b = (v >>> bShift) & ((1 << bBits) - 1);
        return (r << (8 - rBits)) << 16 | (g << (8 - gBits)) << 8 | b << (8 - bBits);
    }

    /** What a 0xRRGGBB picture looks like after a trip through this client's format (bits cut to its depth). */
    int expected(int rgb) {
        int r = (rgb >>> 16) & 0xff, g = (rgb >>> 8) & 0xff, b = rgb & 0xff;
        return (r >> (8 - rBits) << (8 - rBits)) << 16 | (g >> (8 - gBits) << (8 - gBits)) << 8 | b >> (8 - bBits) << (8 - bBits);
    }

    /** True when the server closes the connection within ms (what it sent before is skipped); TCP only. */
    boolean closedByServer(int ms) throws IOException {
        socket.setSoTimeout(ms);
        try {
            byte[] b = new byte[65536];
            while (in.read(b) >= 0) { }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        zrle.end();
        try {
            connection.close();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
