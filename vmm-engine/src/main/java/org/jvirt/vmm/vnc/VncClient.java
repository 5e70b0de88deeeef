package org.jvirt.vmm.vnc;

import org.jvirt.vmm.devices.display.Frame;
import org.jvirt.vmm.protocol.VncInfo;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One VNC connection on a thread of its own: the RFB handshake as QEMU's ui/vnc.c does it
 * (3.3, 3.7, 3.8; security None or VNC Authentication), then client messages and framebuffer
 * updates. The socket is non-blocking under a selector, so the thread reads input while an
 * incremental request waits for the picture to change; it polls render() at QEMU's refresh
 * interval (30 ms, growing by 50 ms while nothing changes, up to 3 s; back to 30 ms on input).
 * A client that stops reading stalls only this thread.
 */
final class VncClient implements Runnable {
    static final int ENC_RAW = 0, ENC_COPYRECT = 1, ENC_ZRLE = 16, ENC_DESKTOP_SIZE = -223, ENC_EXT_KEY_EVENT = -258, ENC_LED_STATE = -261;
    private static final int REFRESH_BASE_MS = 30, REFRESH_INC_MS = 50, REFRESH_MAX_MS = 3000;
    private static final int CUT_TEXT_LIMIT = 1 << 20;
    private static final Pattern VERSION = Pattern.compile("RFB (\\d{3})\\.(\\d{3})\n");
    private static final int[] MODIFIERS = {0x2a, 0x36, 0x1d, 0x9d, 0x38, 0xb8};

    private final VncServer server;
    private final SocketChannel ch;
    private final int number;
    private final VncInfo.Client info;
    private final ByteBuffer in = ByteBuffer.allocate(4 + 65535 * 4 + 64); // the longest message QEMU buffers: SetEncodings
    private Selector selector;
    private SelectionKey key;
    private volatile boolean closed;
    private volatile boolean initialized, exclusive;

    private int minor;
    private PixelFormat pf = PixelFormat.DEFAULT;
    private int encoding = ENC_RAW;
    private boolean desktopSize, copyRect;
    private int clientW, clientH;
    private int[] lastSent;
    private int lastW, lastH;
    private boolean updateWanted;
    private int[] forced; // x, y, w, h of a non-incremental request, or null
    private long nextPollNanos;
    private int refreshMs = REFRESH_BASE_MS;
    private long cutTextToSkip;
    private final boolean[] modifierDown = new boolean[256];
    private boolean capsLock, numLock, ledState;
    /** The LED state last sent to a client that takes it, -1 before any. */
    private int ledsSent = -1;
    private ZrleEncoder zrle;
    private final Output out = new Output();

    VncClient(VncServer server, SocketChannel ch, int number) {
        this.server = server;
        this.ch = ch;
        this.number = number;
        VncInfo.Client i;
        try {
            i = ch.getRemoteAddress() instanceof InetSocketAddress a
                    ? new VncInfo.Client(a.getAddress().getHostAddress(), VncServer.family(a.getAddress()), Integer.toString(a.getPort()))
                    : new VncInfo.Client("", "unix", "");
        } catch (IOException e) {
            i = new VncInfo.Client("", "unix", "");
        }
        this.info = i;
    }

    int number() { return number; }

    VncInfo.Client info() { return info; }

    /** Past ClientInit (QEMU's share mode set). */
    boolean initialized() { return initialized; }

    boolean exclusive() { return exclusive; }

    void admitted(boolean exclusive) {
        this.exclusive = exclusive;
        this.initialized = true;
    }

    /** Closes the connection from any thread; the client's thread ends. */
    void disconnect() {
        closed = true;
        try { ch.close(); } catch (IOException ignored) { /* closing */ }
        Selector s = selector;
        if (s != null) s.wakeup();
    }

    /** Makes the client's thread look at the server's state again (an LED change). */
    void wakeup() {
        Selector s = selector;
        if (s != null) s.wakeup();
    }

    @Override
    public void run() {
        try (Selector sel = Selector.open()) {
            selector = sel;
            ch.configureBlocking(false);
            key = ch.register(sel, SelectionKey.OP_READ);
            if (closed) return;
            handshake();
            serve();
        } catch (ClientError e) {
            if (!closed) VncServer.log("client " + where() + ": " + e.getMessage());
        } catch (IOException | java.nio.channels.CancelledKeyException e) {
            // the client went away (EOF, reset) or was disconnected (its key cancelled): nothing to report
        } catch (RuntimeException e) {
            if (!closed) VncServer.log("client " + where() + ": closed after an internal error: " + e);
        } finally {
            releaseModifiers();
            if (zrle != null) zrle.close();
            server.remove(this);
            try { ch.close(); } catch (IOException ignored) { /* closing */ }
        }
    }

    private String where() {
        return info.family().equals("unix") ? "#" + number : info.host() + ":" + info.service();
    }

    // ---- handshake

    private void handshake() throws IOException, ClientError {
        long deadline = System.nanoTime() + server.handshakeTimeoutMs() * 1_000_000L;
        send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        String version = new String(readExactly(12, deadline), StandardCharsets.ISO_8859_1);
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) throw new ClientError("malformed protocol version");
        int major = Integer.parseInt(m.group(1));
        minor = Integer.parseInt(m.group(2));
        if (major != 3 || (minor != 3 && minor != 4 && minor != 5 && minor != 7 && minor != 8)) {
            send(u32(0)); // QEMU's VNC_AUTH_INVALID
            throw new ClientError("unsupported protocol version " + major + "." + minor);
        }
        if (minor == 4 || minor == 5) minor = 3; // as the RFB spec asks
        int auth = server.passwordAuth() ? 2 : 1;
        if (minor == 3) {
            send(u32(auth));
        } else {
            send(new byte[] {1, (byte) auth});
            int chosen = readExactly(1, deadline)[0] & 0xff;
            if (chosen != auth) {
                authFailed();
                throw new ClientError("asked for security type " + chosen + ", not the offered " + auth);
            }
            if (auth == 1 && minor >= 8) send(u32(0));
        }
        if (auth == 2) {
            byte[] challenge = VncAuth.challenge();
            send(challenge);
            byte[] answer = readExactly(16, deadline);
            String pw = server.password.current();
            if (pw == null || !VncAuth.check(pw, challenge, answer)) {
                authFailed();
                throw new ClientError(pw == null ? "authentication failed (no password set, or it expired)" : "authentication failed");
            }
            send(u32(0));
        }
        boolean shared = readExactly(1, deadline)[0] != 0;
        if (!server.admit(this, shared)) throw new ClientError(shared ? "refused: an exclusive client is connected" : "refused: the share policy is force-shared");
        Frame f = server.frame();
        clientW = f.width();
        clientH = f.height();
        byte[] name = server.desktopName().getBytes(StandardCharsets.UTF_8);
        out.reset();
        out.u16(clientW).u16(clientH).bytes(PixelFormat.DEFAULT.encode()).u32(name.length).bytes(name);
        flushOut();
    }

    private void authFailed() throws IOException {
        out.reset();
        out.u32(1);
        if (minor >= 8) {
            byte[] err = "Authentication failed\0".getBytes(StandardCharsets.US_ASCII); // QEMU sends sizeof(err), the NUL too
            out.u32(err.length).bytes(err);
        }
        flushOut();
    }

    // ---- messages

    private void serve() throws IOException, ClientError {
        while (!closed) {
            long now = System.nanoTime();
            long waitMs = updateWanted ? Math.max(0, (nextPollNanos - now) / 1_000_000L) : 1000;
            if (waitMs == 0) selector.selectNow();
            else selector.select(waitMs);
            if (closed) return;
            if (key.isValid() && key.isReadable()) readAvailable();
            selector.selectedKeys().clear();
            handleMessages();
            if (ledState && server.leds() != ledsSent) sendLeds();
            if (updateWanted && System.nanoTime() - nextPollNanos >= 0) {
                boolean sent = sendUpdate();
                refreshMs = sent ? Math.max(REFRESH_BASE_MS, refreshMs / 2) : Math.min(REFRESH_MAX_MS, refreshMs + REFRESH_INC_MS);
                nextPollNanos = System.nanoTime() + refreshMs * 1_000_000L;
            }
        }
    }

    private void readAvailable() throws IOException {
        if (!in.hasRemaining()) return; // full: the buffered messages are handled first
        if (ch.read(in) < 0) throw new EOFException();
    }

    /** Handles every complete message in the buffer; the rest waits for more bytes. */
    private void handleMessages() throws IOException, ClientError {
        in.flip();
        try {
            while (true) {
                if (cutTextToSkip > 0) {
                    int k = (int) Math.min(cutTextToSkip, in.remaining());
                    in.position(in.position() + k);
                    cutTextToSkip -= k;
                    if (cutTextToSkip > 0) return;
                }
                if (!in.hasRemaining()) return;
                int p = in.position(), avail = in.remaining();
                int type = in.get(p) & 0xff;
                int need = switch (type) {
                    case 0 -> 20;
                    case 2 -> avail < 4 ? 4 : 4 + 4 * u16(p + 2);
                    case 3 -> 10;
                    case 4 -> 8;
                    case 5 -> 6;
                    case 6 -> 8;
                    case 255 -> qemuMessageLength(p, avail);
                    default -> throw new ClientError("unknown message type " + type);
                };
                if (avail < need) return;
                handle(type, p);
                in.position(p + need);
            }
        } finally {
            in.compact();
        }
    }

    /** QEMU's client message 255: 0 extended key event (12 bytes), 1 audio (4, or 10 to set the format). */
    private int qemuMessageLength(int p, int avail) throws ClientError {
        if (avail < 2) return 2;
        int sub = in.get(p + 1) & 0xff;
        if (sub == 0) return 12;
        if (sub != 1) throw new ClientError("unknown QEMU message " + sub);
        if (avail < 4) return 4;
        int op = u16(p + 2);
        if (op == 0 || op == 1) return 4;
        if (op == 2) return 10;
        throw new ClientError("unknown QEMU audio message " + op);
    }

    private void handle(int type, int p) throws IOException, ClientError {
        if (type > 3) refreshMs = REFRESH_BASE_MS; // input: look again soon, as QEMU's refresh does
        switch (type) {
            case 0 -> {
                byte[] b = new byte[16];
                in.get(p + 4, b);
                PixelFormat f = PixelFormat.decode(b, 0);
                if (f == null) throw new ClientError("unsupported pixel format (colour map or " + (b[0] & 0xff) + " bits per pixel)");
                pf = f;
                lastSent = null; // everything again in the new format
            }
            case 2 -> setEncodings(p);
            case 3 -> {
                int x = u16(p + 2), y = u16(p + 4), w = u16(p + 6), h = u16(p + 8);
                if ((in.get(p + 1) & 0xff) == 0) forced = forced == null ? new int[] {x, y, w, h} : union(forced, x, y, w, h);
                if (!updateWanted) nextPollNanos = System.nanoTime(); // answer at once when there is something
                updateWanted = true;
            }
            case 4 -> key(in.get(p + 1) != 0, Keysyms.qnum(in.getInt(p + 4)), in.getInt(p + 4));
            case 5 -> server.input().pointer(u16(p + 2), u16(p + 4), in.get(p + 1) & 0xff, clientW, clientH);
            case 6 -> {
                long len = in.getInt(p + 4) & 0xffffffffL;
                if (len > CUT_TEXT_LIMIT) throw new ClientError("client_cut_text msg payload has " + len + " bytes which exceeds our limit of 1MB.");
                cutTextToSkip = len; // no clipboard in the guest: read and dropped
            }
            case 255 -> {
                if ((in.get(p + 1) & 0xff) == 0) key(u16(p + 2) != 0, in.getInt(p + 8), in.getInt(p + 4)); // the XT key number as it is
            }
            default -> { }
        }
    }

    /**
     * A key event as QEMU's do_key_event handles it: modifiers and the lock keys tracked, and
     * (QEMU's default lock-key-sync, for clients without the LED state extension) a Num Lock
     * press added before a keypad key whose keysym needs the other numlock state, a Caps Lock
     * press before a letter whose case disagrees with shift and caps lock.
     */
    private void key(boolean down, int qnum, int keysym) {
        if (qnum <= 0 || qnum > 0xff) return; // no key for that keysym
        switch (qnum) {
            case 0x2a, 0x36, 0x1d, 0x9d, 0x38, 0xb8 -> modifierDown[qnum] = down;
            case 0x3a -> { if (down) capsLock = !capsLock; }
            case 0x45 -> { if (down) numLock = !numLock; }
            default -> { }
        }
        if (down && !ledState && qnum >= 0x47 && qnum <= 0x53) {
            boolean numSym = (keysym >= 0xffb0 && keysym <= 0xffb9) || keysym == 0xffac || keysym == 0xffae;
            if (numSym != numLock) {
                numLock = numSym;
                press(0x45);
            }
        }
        boolean upper = keysym >= 'A' && keysym <= 'Z';
        if (down && !ledState && (upper || (keysym >= 'a' && keysym <= 'z'))) {
            boolean shift = modifierDown[0x2a] || modifierDown[0x36];
            if (capsLock ? upper == shift : upper != shift) {
                capsLock = !capsLock;
                press(0x3a);
            }
        }
        server.input().key(qnum, down);
    }

    private void press(int qnum) {
        server.input().key(qnum, true);
        server.input().key(qnum, false);
    }

    /** Modifiers still held when the client goes are released, as QEMU's vnc_release_modifiers. */
    private void releaseModifiers() {
        for (int q : MODIFIERS) {
            if (modifierDown[q]) {
                modifierDown[q] = false;
                server.input().key(q, false);
            }
        }
    }

    private void setEncodings(int p) throws IOException {
        int n = u16(p + 2);
        int preferred = ENC_RAW;
        desktopSize = false;
        copyRect = false;
        ledState = false;
        boolean extKey = false;
        for (int i = n - 1; i >= 0; i--) { // the first listed is preferred: the last one set wins
            int e = in.getInt(p + 4 + 4 * i);
            if (e == ENC_RAW || e == ENC_ZRLE) preferred = e;
            else if (e == ENC_DESKTOP_SIZE) desktopSize = true;
            else if (e == ENC_COPYRECT) copyRect = true;
            else if (e == ENC_EXT_KEY_EVENT) extKey = true;
            else if (e == ENC_LED_STATE) ledState = true; // the client keeps its locks in step itself, from the LED state sent to it
        }
        if (preferred != encoding) lastSent = null;
        encoding = preferred;
        if (encoding == ENC_ZRLE && zrle == null) zrle = new ZrleEncoder();
        if (extKey) { // QEMU acknowledges at once with a pseudo-rectangle the size of the screen
            Frame f = server.frame();
            out.reset();
            out.u8(0).u8(0).u16(1).u16(0).u16(0).u16(f.width()).u16(f.height()).u32(ENC_EXT_KEY_EVENT);
            flushOut();
        }
        if (ledState) sendLeds(); // QEMU's set_encodings ends with vnc_led_state_change
    }

    /** QEMU's vnc_led_state_change: an update of one 1x1 pseudo-rectangle at 0,0 and the LED byte (1 Scroll, 2 Num, 4 Caps Lock). */
    private void sendLeds() throws IOException {
        int leds = server.leds();
        out.reset();
        out.u8(0).u8(0).u16(1).u16(0).u16(0).u16(1).u16(1).u32(ENC_LED_STATE).u8(leds);
        flushOut();
        ledsSent = leds;
    }

    private static int[] union(int[] r, int x, int y, int w, int h) {
        int x0 = Math.min(r[0], x), y0 = Math.min(r[1], y);
        int x1 = Math.max(r[0] + r[2], x + w), y1 = Math.max(r[1] + r[3], y + h);
        return new int[] {x0, y0, x1 - x0, y1 - y0};
    }

    // ---- updates

    /**
     * Sends what changed since this client's last update (64x64 tiles, runs of changed tiles in
     * a row merged), plus the area of a non-incremental request; a new screen size first as a
     * DesktopSize rectangle when the client takes it; to a client that takes CopyRect, a band that
     * is the last picture scrolled as one CopyRect first, the tiles then compared with the last
     * picture so moved. Returns false when there was nothing.
     */
    private boolean sendUpdate() throws IOException {
        Frame f = server.frame();
        int fw = f.width(), fh = f.height();
        int[] rgb = f.rgb();
        boolean resize = (fw != clientW || fh != clientH) && desktopSize;
        if (resize) {
            clientW = fw;
            clientH = fh;
            lastSent = null;
        }
        int w = Math.min(fw, clientW), h = Math.min(fh, clientH);
        boolean all = lastSent == null || lastW != fw || lastH != fh;
        int[] before = lastSent;
        ScrollDetector.Move move = null;
        if (copyRect && !all && w == fw && h == fh) {
            move = ScrollDetector.find(rgb, lastSent, fw, fh);
            if (move != null) before = ScrollDetector.apply(lastSent, fw, move);
        }
        int[] force = forced;
        java.util.List<int[]> rects = new java.util.ArrayList<>();
        for (int ty = 0; ty < h; ty += 64) {
            int th = Math.min(64, h - ty);
            int runStart = -1;
            for (int tx = 0; ; tx += 64) {
                boolean dirty = tx < w && (all || changed(rgb, before, fw, tx, ty, Math.min(64, w - tx), th) || overlaps(force, tx, ty, 64, th));
                if (dirty && runStart < 0) runStart = tx;
                if (!dirty && runStart >= 0) {
                    rects.add(new int[] {runStart, ty, Math.min(tx, w) - runStart, th});
                    runStart = -1;
                }
                if (tx >= w) break;
            }
        }
        if (rects.size() > 60000) rects = java.util.List.of(new int[] {0, 0, w, h});
        if (rects.isEmpty() && !resize && move == null) return false;
        out.reset();
        out.u8(0).u8(0).u16(rects.size() + (resize ? 1 : 0) + (move != null ? 1 : 0));
        if (resize) out.u16(0).u16(0).u16(fw).u16(fh).u32(ENC_DESKTOP_SIZE);
        if (move != null) out.u16(0).u16(move.dstY()).u16(fw).u16(move.height()).u32(ENC_COPYRECT).u16(0).u16(move.srcY());
        for (int[] r : rects) {
            out.u16(r[0]).u16(r[1]).u16(r[2]).u16(r[3]).u32(encoding);
            if (encoding == ENC_ZRLE) {
                out.bytes(zrle.encode(rgb, fw, r[0], r[1], r[2], r[3], pf));
            } else {
                int bpp = pf.bytesPerPixel();
                out.ensure(r[2] * r[3] * bpp);
                byte[] b = out.buf;
                int o = out.len;
                for (int y = r[1]; y < r[1] + r[3]; y++) {
                    for (int i = y * fw + r[0], end = i + r[2]; i < end; i++) o = pf.write(rgb[i], b, o);
                }
                out.len = o;
            }
        }
        flushOut();
        lastSent = rgb;
        lastW = fw;
        lastH = fh;
        updateWanted = false;
        forced = null;
        return true;
    }

    private static boolean changed(int[] rgb, int[] before, int stride, int x, int y, int w, int h) {
        for (int row = y; row < y + h; row++) {
            int i = row * stride + x;
            if (!java.util.Arrays.equals(rgb, i, i + w, before, i, i + w)) return true;
        }
        return false;
    }

    private static boolean overlaps(int[] r, int x, int y, int w, int h) {
        return r != null && x < r[0] + r[2] && r[0] < x + w && y < r[1] + r[3] && r[1] < y + h;
    }

    // ---- I/O

    private int u16(int p) { return in.getShort(p) & 0xffff; }

    private static byte[] u32(int v) { return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}; }

    /** n bytes of the handshake, or a ClientError when the deadline passes first. */
    private byte[] readExactly(int n, long deadline) throws IOException, ClientError {
        while (in.position() < n) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) throw new ClientError("handshake not finished in " + server.handshakeTimeoutMs() + " ms");
            selector.select(left);
            selector.selectedKeys().clear();
            if (closed) throw new EOFException();
            if (ch.read(in) < 0) throw new EOFException();
        }
        in.flip();
        byte[] b = new byte[n];
        in.get(b);
        in.compact();
        return b;
    }

    private void send(byte[] b) throws IOException {
        out.reset();
        out.bytes(b);
        flushOut();
    }

    /** Writes all of out; a client that does not read holds this thread here (and only it). */
    private void flushOut() throws IOException {
        ByteBuffer b = ByteBuffer.wrap(out.buf, 0, out.len);
        while (b.hasRemaining()) {
            if (ch.write(b) == 0) {
                key.interestOps(SelectionKey.OP_WRITE);
                selector.select(1000);
                selector.selectedKeys().clear();
                if (closed) throw new EOFException();
            }
        }
        if (key.interestOps() != SelectionKey.OP_READ) key.interestOps(SelectionKey.OP_READ);
    }

    /** A growable big-endian byte buffer for one message. */
    private static final class Output {
        byte[] buf = new byte[4096];
        int len;

        void reset() { len = 0; }

        void ensure(int n) {
            if (len + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }

        Output u8(int v) { ensure(1); buf[len++] = (byte) v; return this; }

        Output u16(int v) { ensure(2); buf[len++] = (byte) (v >>> 8); buf[len++] = (byte) v; return this; }

        Output u32(int v) { ensure(4); buf[len++] = (byte) (v >>> 24); buf[len++] = (byte) (v >>> 16); buf[len++] = (byte) (v >>> 8); buf[len++] = (byte) v; return this; }

        Output bytes(byte[] b) { ensure(b.length); System.arraycopy(b, 0, buf, len, b.length); len += b.length; return this; }
    }
}
