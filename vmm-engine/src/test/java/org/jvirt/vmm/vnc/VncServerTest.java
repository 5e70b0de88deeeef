package org.jvirt.vmm.vnc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.jvirt.vmm.devices.display.Frame;
import org.jvirt.vmm.protocol.VncInfo;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RFB state machine against a scripted client over a socket: handshakes 3.3/3.5/3.7/3.8 as
 * QEMU answers them, VNC authentication (right, wrong, none set, expired), pixel formats,
 * Raw and ZRLE, incremental updates that wait for a change and carry only the changed tiles,
 * DesktopSize on a mode change, keys and pointer to the InputSink, share policies, query-vnc.
 */
class VncServerTest {
    static final byte[] QEMU_FORMAT = {32, 24, 0, 1, 0, (byte) 255, 0, (byte) 255, 0, (byte) 255, 16, 8, 0, 0, 0, 0};

    final AtomicReference<Frame> screen = new AtomicReference<>(picture(197, 100, 1)); // not a multiple of the tile size
    final RecordingSink sink = new RecordingSink();
    VncServer server;

    @TempDir
    Path dir;

    static Frame picture(int w, int h, long seed) {
        Random r = new Random(seed);
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) rgb[i] = r.nextInt() & 0xffffff;
        return new Frame(w, h, rgb);
    }

    VncServer start(String options) throws IOException {
        server = VncServer.start(vnc("tcp:127.0.0.1:0" + options), "demo", screen::get, sink, new VncServer.Limits(8, 2000));
        return server;
    }

    static LaunchSpec.Vnc vnc(String arg) {
        try {
            return LaunchSpec.Vnc.fromArg(arg);
        } catch (LaunchSpec.UsageException e) {
            throw new IllegalArgumentException(e);
        }
    }

    RfbTestClient connect() throws IOException {
        return RfbTestClient.tcp(server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RFB 003.003\n", "RFB 003.005\n", "RFB 003.007\n", "RFB 003.008\n"})
    void handshakeAsQemu(String version) throws Exception {
        start("");
        try (RfbTestClient c = connect()) {
            assertEquals("RFB 003.008\n", c.readVersion());
            c.out.write(version.getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            if (version.equals("RFB 003.003\n") || version.equals("RFB 003.005\n")) {
                assertEquals(1, c.in.readInt(), "3.3 (and 3.5, read as 3.3): the server names None");
            } else {
                assertArrayEquals(new byte[] {1, 1}, c.in.readNBytes(2));
                c.out.write(1);
                c.out.flush();
                if (version.equals("RFB 003.008\n")) assertEquals(0, c.in.readInt(), "3.8: SecurityResult OK after None");
            }
            c.init(true);
            assertEquals(197, c.width);
            assertEquals(100, c.height);
            assertArrayEquals(QEMU_FORMAT, c.serverFormat);
            assertEquals("QEMU (demo)", c.name);
            assertArrayEquals(screen.get().rgb(), c.fullFrame());
        }
    }

    @Test
    void unsupportedOrMalformedVersionsAreClosed() throws Exception {
        start("");
        try (RfbTestClient c = connect()) {
            c.readVersion();
            c.out.write("RFB 004.001\n".getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            assertEquals(0, c.in.readInt(), "QEMU's VNC_AUTH_INVALID");
            assertTrue(c.closedByServer(2000));
        }
        try (RfbTestClient c = connect()) {
            c.readVersion();
            c.out.write("HELLO WORLD!".getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            assertTrue(c.closedByServer(2000));
        }
    }

    /** 3.8 VNC authentication with answer(challenge) as the response; returns the SecurityResult. */
    static int vncAuth(RfbTestClient c, java.util.function.Function<byte[], byte[]> answer) throws IOException {
        c.readVersion();
        c.out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        c.out.flush();
        assertArrayEquals(new byte[] {1, 2}, c.in.readNBytes(2));
        c.out.write(2);
        c.out.flush();
        byte[] challenge = c.in.readNBytes(16);
        c.out.write(answer.apply(challenge));
        c.out.flush();
        return c.in.readInt();
    }

    static void expectFailureReason(RfbTestClient c) throws IOException {
        int len = c.in.readInt();
        assertEquals("Authentication failed\0", new String(c.in.readNBytes(len), StandardCharsets.US_ASCII), "QEMU's reason, its NUL included");
        assertTrue(c.closedByServer(2000));
    }

    @Test
    void vncAuthenticationAsQemu() throws Exception {
        start(",password=on");
        try (RfbTestClient c = connect()) { // no password set yet: every answer fails
            assertEquals(1, vncAuth(c, ch -> VncAuth.response("", ch)));
            expectFailureReason(c);
        }
        server.setPassword("secret-longer-than-8");
        try (RfbTestClient c = connect()) {
            assertEquals(0, vncAuth(c, ch -> VncAuth.response("secret-l", ch)), "only the first 8 characters count");
            c.init(true);
            assertEquals("QEMU (demo)", c.name);
        }
        try (RfbTestClient c = connect()) {
            assertEquals(1, vncAuth(c, ch -> VncAuth.response("secret-x", ch)));
            expectFailureReason(c);
        }
        server.expirePassword("now");
        try (RfbTestClient c = connect()) {
            assertEquals(1, vncAuth(c, ch -> VncAuth.response("secret-l", ch)), "expired");
            expectFailureReason(c);
        }
        server.expirePassword("+3600");
        try (RfbTestClient c = connect()) {
            assertEquals(0, vncAuth(c, ch -> VncAuth.response("secret-l", ch)));
        }
        try (RfbTestClient c = connect()) { // 3.3: the server names VNC auth; a failure has no reason string
            c.readVersion();
            c.out.write("RFB 003.003\n".getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            assertEquals(2, c.in.readInt());
            c.in.readNBytes(16);
            c.out.write(new byte[16]);
            c.out.flush();
            assertEquals(1, c.in.readInt());
            assertTrue(c.closedByServer(2000));
        }
        try (RfbTestClient c = connect()) { // choosing None when VNC auth is offered
            c.readVersion();
            c.out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            c.in.readNBytes(2);
            c.out.write(1);
            c.out.flush();
            assertEquals(1, c.in.readInt());
            expectFailureReason(c);
        }
    }

    @Test
    void passwordCommandsWithoutPasswordAuthFailAsQemu() throws Exception {
        start("");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> server.setPassword("x"));
        assertEquals("Could not set password", e.getMessage());
        server.expirePassword("now"); // QEMU 7.2 takes it without complaint
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"32 24 le 255 255 255 16 8 0", "32 24 be 255 255 255 0 8 16", "32 24 le 255 255 255 24 16 8",
        "16 16 be 31 63 31 11 5 0", "16 15 le 31 31 31 10 5 0", "8 8 le 7 7 3 0 3 6", "8 6 be 3 3 3 4 2 0"})
    void pixelFormats(String f) throws Exception {
        String[] p = f.split(" ");
        int[] v = java.util.Arrays.stream(p).filter(s -> !s.equals("le") && !s.equals("be")).mapToInt(Integer::parseInt).toArray();
        for (int encoding : new int[] {0, 16}) {
            start("");
            try (RfbTestClient c = connect()) {
                c.handshake("RFB 003.008\n", true);
                c.setPixelFormat(v[0], v[1], p[2].equals("be"), v[2], v[3], v[4], v[5], v[6], v[7]);
                c.setEncodings(encoding);
                int[] got = c.fullFrame();
                int[] want = java.util.Arrays.stream(screen.get().rgb()).map(c::expected).toArray();
                assertArrayEquals(want, got, f + " encoding " + encoding);
            }
            server.close();
        }
    }

    @Test
    void colourMapAndOddDepthsCloseTheConnectionAsQemu() throws Exception {
        start("");
        try (RfbTestClient c = connect()) {
            c.handshake("RFB 003.008\n", true);
            c.out.write(new byte[] {0, 0, 0, 0, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // true-colour flag 0
            c.out.flush();
            assertTrue(c.closedByServer(2000));
        }
        try (RfbTestClient c = connect()) {
            c.handshake("RFB 003.008\n", true);
            c.setPixelFormat(24, 24, false, 255, 255, 255, 16, 8, 0);
            assertTrue(c.closedByServer(2000));
        }
    }

    /**
     * A screen that scrolls up by a text line (16 rows) and writes a new bottom line: a client that
     * takes CopyRect gets the moved band as one CopyRect and only the new line's tiles; its
     * framebuffer equals the screen. A client without CopyRect gets every changed tile.
     */
    @Test
    void aScrolledScreenGoesAsOneCopyRectToAClientThatTakesIt() throws Exception {
        start("");
        for (boolean copyRect : new boolean[] {true, false}) {
            screen.set(picture(320, 240, 7));
            try (RfbTestClient c = connect()) {
                c.handshake("RFB 003.008\n", true);
                if (copyRect) c.setEncodings(16, 1); else c.setEncodings(16);
                c.fullFrame();
                c.request(true, 0, 0, c.width, c.height);
                int[] before = screen.get().rgb();
                int[] rgb = new int[before.length];
                System.arraycopy(before, 16 * 320, rgb, 0, (240 - 16) * 320); // everything up by 16 rows
                for (int i = (240 - 16) * 320; i < rgb.length; i++) rgb[i] = (0x123456 + 77 * i) & 0xffffff; // a new bottom line
                screen.set(new Frame(320, 240, rgb));
                c.readUpdate();
                assertArrayEquals(rgb, c.fb, "the client's picture after the update");
                if (copyRect) {
                    assertArrayEquals(new int[] {0, 0, 320, 224, 1}, c.lastRects.get(0), "the moved band as one CopyRect");
                    long pixels = c.lastRects.stream().filter(r -> r[4] != 1).mapToLong(r -> (long) r[2] * r[3]).sum();
                    assertEquals(320 * 48, pixels, "then the last row of tiles alone (rows 192-239, holding the new line)");
                } else {
                    assertTrue(c.lastRects.stream().noneMatch(r -> r[4] == 1), "no CopyRect for a client that did not ask");
                }
            }
        }
    }

    @Test
    void incrementalUpdatesWaitForAChangeAndCarryOnlyTheChangedTiles() throws Exception {
        start("");
        for (int encoding : new int[] {0, 16}) {
            screen.set(picture(197, 100, 1));
            try (RfbTestClient c = connect()) {
                c.handshake("RFB 003.008\n", true);
                c.setEncodings(encoding);
                c.fullFrame();
                c.request(true, 0, 0, c.width, c.height);
                assertTrue(c.silentFor(300), "nothing changed: the server waits");
                int[] rgb = screen.get().rgb().clone();
                rgb[70 * 197 + 150] ^= 0xffffff;
                screen.set(new Frame(197, 100, rgb));
                long t0 = System.nanoTime();
                assertEquals(1, c.readUpdate());
                assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
                assertArrayEquals(new int[] {128, 64, 64, 36, encoding}, c.lastRects.get(0), "the one 64x64 tile (clipped) holding the change");
                assertArrayEquals(rgb, c.fb);
            }
        }
    }

    @Test
    void aModeChangeResizesTheClientWithDesktopSize() throws Exception {
        start("");
        try (RfbTestClient c = connect(); RfbTestClient old = connect()) {
            c.handshake("RFB 003.008\n", true);
            old.handshake("RFB 003.008\n", true);
            c.setEncodings(16, -223);
            c.fullFrame();
            old.fullFrame();
            Frame next = picture(320, 200, 2);
            screen.set(next);
            c.request(true, 0, 0, c.width, c.height);
            c.readUpdate();
            assertEquals(List.of(-223), c.pseudo);
            assertEquals(320, c.width);
            assertEquals(200, c.height);
            assertArrayEquals(next.rgb(), c.fb);
            // a client without DesktopSize keeps its size and sees the part of the new picture that fits
            old.request(true, 0, 0, old.width, old.height);
            old.readUpdate();
            assertEquals(197, old.width);
            for (int y = 0; y < 100; y++) {
                for (int x = 0; x < 197; x++) assertEquals(next.pixel(x, y), old.fb[y * 197 + x]);
            }
        }
    }

    @Test
    void keysAndPointerReachTheInputSink() throws Exception {
        start("");
        try (RfbTestClient c = connect()) {
            c.handshake("RFB 003.008\n", true);
            c.setEncodings(0, -258);
            c.readUpdate();
            assertEquals(List.of(-258), c.pseudo, "QEMU acknowledges the extended key event at once");
            assertArrayEquals(new int[] {0, 0, 197, 100, -258}, c.lastRects.get(0));
            c.key(true, 'a');
            c.key(false, 'a');
            c.key(true, 0xff52); // Up: an E0 key
            c.key(false, 0xff52);
            c.extKey(true, 0xff8d, 0x9c); // keypad Enter by its XT number, passed as it is
            c.extKey(false, 0xff8d, 0x9c);
            c.key(true, 0xfe50); // dead_grave: no key in the US layout, nothing
            c.pointer(5, 10, 20);
            assertEquals(List.of("key 0x1e down", "key 0x1e up", "key 0xc8 down", "key 0xc8 up", "key 0x9c down", "key 0x9c up",
                    "pointer 10,20 mask 5 of 197x100"), sink.await(7));
        }
    }

    @Test
    void modifiersHeldByAClientThatGoesAreReleased() throws Exception {
        start("");
        try (RfbTestClient c = connect()) {
            c.handshake("RFB 003.008\n", true);
            c.key(true, 0xffe3); // Control_L
            sink.await(1);
        }
        assertEquals(List.of("key 0x1d down", "key 0x1d up"), sink.await(2));
    }

    @Test
    void allowExclusiveDisconnectsTheOthers() throws Exception {
        start("");
        try (RfbTestClient shared = connect(); RfbTestClient exclusive = connect(); RfbTestClient late = connect()) {
            shared.handshake("RFB 003.008\n", true);
            exclusive.handshake("RFB 003.008\n", false);
            assertTrue(shared.closedByServer(2000));
            late.readVersion();
            late.out.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
            late.out.flush();
            late.in.readNBytes(2);
            late.out.write(1);
            late.out.flush();
            late.in.readInt();
            assertThrows(EOFException.class, () -> late.init(true), "a shared client while an exclusive one is in");
            assertArrayEquals(screen.get().rgb(), exclusive.fullFrame());
        }
    }

    @Test
    void forceSharedRefusesExclusiveAndIgnoreLetsAllIn() throws Exception {
        start(",share=force-shared");
        try (RfbTestClient a = connect(); RfbTestClient b = connect()) {
            a.handshake("RFB 003.008\n", true);
            assertThrows(EOFException.class, () -> b.handshake("RFB 003.008\n", false));
            assertArrayEquals(screen.get().rgb(), a.fullFrame());
        }
        server.close();
        start(",share=ignore");
        try (RfbTestClient a = connect(); RfbTestClient b = connect()) {
            a.handshake("RFB 003.008\n", false);
            b.handshake("RFB 003.008\n", false);
            assertArrayEquals(screen.get().rgb(), a.fullFrame());
            assertArrayEquals(screen.get().rgb(), b.fullFrame());
        }
    }

    @Test
    void queryVncListsTheListenerAndClients() throws Exception {
        start(",password=on");
        VncInfo none = server.info();
        assertEquals(new VncInfo(true, "127.0.0.1", "ipv4", Integer.toString(server.port()), "vnc", List.of()), none);
        try (RfbTestClient c = connect()) {
            c.readVersion();
            long end = System.currentTimeMillis() + 2000;
            while (server.info().clients().isEmpty() && System.currentTimeMillis() < end) Thread.sleep(10);
            VncInfo.Client client = server.info().clients().get(0);
            assertEquals("127.0.0.1", client.host());
            assertEquals("ipv4", client.family());
            assertEquals(Integer.toString(c.localPort()), client.service());
        }
    }

    @Test
    void unixSocketIsPrivate() throws Exception {
        Path sock = dir.resolve("vnc.sock");
        server = VncServer.start(vnc("unix:" + sock), null, screen::get, sink, VncServer.Limits.DEFAULT);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
        assertEquals(new VncInfo(true, sock.toString(), "unix", "", "none", List.of()), server.info());
        try (RfbTestClient c = RfbTestClient.unix(sock)) {
            c.handshake("RFB 003.008\n", true);
            assertEquals("QEMU", c.name, "no --name: QEMU's plain name");
            assertArrayEquals(screen.get().rgb(), c.fullFrame());
        }
        server.close();
        assertFalse(Files.exists(sock), "the socket goes with the server");
    }

    @Test
    void bindErrorsAreWordedAsQemu() throws Exception {
        start("");
        IOException e = assertThrows(IOException.class, () -> VncServer.start(vnc("tcp:127.0.0.1:" + server.port()), null, screen::get, sink));
        assertEquals("Failed to find an available port: Address already in use", e.getMessage());
        Path missing = dir.resolve("no/such/dir/vnc.sock");
        e = assertThrows(IOException.class, () -> VncServer.start(vnc("unix:" + missing), null, screen::get, sink));
        assertEquals("Failed to bind socket to " + missing + ": No such file or directory", e.getMessage());
    }

    @Test
    void clientCutTextIsBounded() throws Exception {
        start("");
        try (RfbTestClient c = connect()) {
            c.handshake("RFB 003.008\n", true);
            c.out.write(new byte[] {6, 0, 0, 0, 0, 0, 0, 5});
            c.out.write("hello".getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            assertArrayEquals(screen.get().rgb(), c.fullFrame(), "a small cut text is read and dropped");
            c.out.write(new byte[] {6, 0, 0, 0, 0, 0x10, 0, 1}); // 1 MiB + 1
            c.out.flush();
            assertTrue(c.closedByServer(2000));
        }
    }
}
