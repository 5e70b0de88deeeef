package org.jvirt.vmm.vnc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.devices.display.Frame;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients (seeded: -Djvirt.vnc.fuzz.seed=N, -Djvirt.vnc.fuzz.rounds=N for longer runs):
 * garbage before and after the handshake, unknown message types, truncated messages, huge
 * SetEncodings counts and cut-text lengths, floods of requests from a client that never reads,
 * slowloris handshakes, 20 connections at once against a cap of 8. Afterwards the server
 * still serves a good client, every hostile connection is gone but the stalled reader's, and
 * nothing printed a stack trace (at most one line per connection).
 */
class VncHostileClientTest {
    static final long SEED = Long.getLong("jvirt.vnc.fuzz.seed", 14);
    static final int ROUNDS = Integer.getInteger("jvirt.vnc.fuzz.rounds", 1);

    @Test
    void hostileClientsLeaveTheServerServing() throws Exception {
        Frame screen = VncServerTest.picture(197, 100, 3);
        RecordingSink sink = new RecordingSink();
        PrintStream realErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try (VncServer server = VncServer.start(VncServerTest.vnc("tcp:127.0.0.1:0"), "fuzz", () -> screen, sink, new VncServer.Limits(8, 500))) {
            Socket stalled = stalledReader(server.port());
            for (int round = 0; round < ROUNDS; round++) {
                Random seeds = new Random(SEED + round);
                List<Future<?>> jobs = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    long seed = seeds.nextLong();
                    int kind = i % 7;
                    jobs.add(pool.submit(() -> { hostile(server.port(), kind, new Random(seed)); return null; }));
                }
                for (Future<?> f : jobs) f.get(30, TimeUnit.SECONDS);
            }
            long end = System.currentTimeMillis() + 5000;
            while (server.clientCount() > 1 && System.currentTimeMillis() < end) Thread.sleep(20);
            assertEquals(1, server.clientCount(), "only the stalled reader is left");

            try (RfbTestClient good = RfbTestClient.tcp(server.port())) {
                good.handshake("RFB 003.008\n", true);
                good.setEncodings(16, 0);
                assertArrayEquals(screen.rgb(), good.fullFrame());
                sink.clear();
                good.key(true, 'q');
                assertEquals(List.of("key 0x10 down"), sink.await(1).stream().filter(e -> e.equals("key 0x10 down")).toList());
            }
            stalled.close();
        } finally {
            pool.shutdownNow();
            System.setErr(realErr);
        }
        String err = log.toString(StandardCharsets.UTF_8);
        realErr.print(err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        for (String line : err.split("\n")) if (!line.isEmpty()) assertTrue(line.startsWith("jvirt-vmm: vnc: "), line);
    }

    /** A client past the handshake that asks for whole pictures and never reads them. */
    static Socket stalledReader(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setReceiveBufferSize(4096);
        OutputStream o = s.getOutputStream();
        byte[] v = s.getInputStream().readNBytes(12);
        assertEquals("RFB 003.008\n", new String(v, StandardCharsets.US_ASCII));
        o.write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        s.getInputStream().readNBytes(2);
        o.write(new byte[] {1, 1}); // None, then ClientInit shared
        for (int i = 0; i < 100; i++) o.write(new byte[] {3, 0, 0, 0, 0, 0, 0, (byte) 197, 0, 100});
        o.flush();
        return s;
    }

    /** One hostile connection of the given kind, bounded in bytes and time. */
    static void hostile(int port, int kind, Random r) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3000);
            OutputStream o = s.getOutputStream();
            switch (kind) {
                case 0 -> { // garbage instead of a version
                    byte[] b = new byte[r.nextInt(64) + 1];
                    r.nextBytes(b);
                    o.write(b);
                }
                case 1 -> { // slowloris: the version a byte at a time, never finished in time
                    byte[] v = "RFB 003.00".getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < v.length; i++) {
                        o.write(v[i]);
                        o.flush();
                        Thread.sleep(80);
                    }
                    Thread.sleep(200);
                }
                case 2 -> { // good handshake, then random messages (any type byte)
                    handshake(s);
                    byte[] b = new byte[r.nextInt(4096) + 1];
                    r.nextBytes(b);
                    o.write(b);
                }
                case 3 -> { // a SetEncodings announcing 65535 entries, then closing halfway
                    handshake(s);
                    o.write(new byte[] {2, 0, (byte) 0xff, (byte) 0xff});
                    o.write(new byte[r.nextInt(1000) * 4]);
                }
                case 4 -> { // a huge cut-text length
                    handshake(s);
                    o.write(new byte[] {6, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) r.nextInt(256)});
                }
                case 5 -> { // well-formed messages with random fields: formats, requests far outside, keys, pointer, QEMU messages
                    handshake(s);
                    for (int i = 0; i < 200; i++) o.write(randomMessage(r));
                }
                default -> { // the handshake cut at a random point
                    byte[] all = "RFB 003.008\n\u0001\u0001".getBytes(StandardCharsets.ISO_8859_1);
                    s.getInputStream().readNBytes(12);
                    o.write(all, 0, r.nextInt(all.length));
                }
            }
            o.flush();
            s.shutdownOutput();
            byte[] sink = new byte[65536];
            long end = System.currentTimeMillis() + 2000;
            while (System.currentTimeMillis() < end && s.getInputStream().read(sink) >= 0) { } // until the server closes
        } catch (IOException | InterruptedException e) {
            // the server closing on us is what is expected
        }
    }

    static void handshake(Socket s) throws IOException {
        s.getInputStream().readNBytes(12);
        s.getOutputStream().write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        s.getInputStream().readNBytes(2);
        s.getOutputStream().write(new byte[] {1, 1});
        java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
        in.readInt(); // SecurityResult
        in.readFully(new byte[4 + 16]);
        in.readFully(new byte[in.readInt()]); // the name (the server may have dropped us: EOFException)
    }

    static byte[] randomMessage(Random r) {
        java.nio.ByteBuffer b;
        switch (r.nextInt(6)) {
            case 0 -> {
                b = java.nio.ByteBuffer.allocate(20).put((byte) 0).put(new byte[3]);
                b.put((byte) new int[] {8, 16, 32}[r.nextInt(3)]).put((byte) r.nextInt(33)).put((byte) r.nextInt(2)).put((byte) 1);
                b.putShort((short) r.nextInt(65536)).putShort((short) r.nextInt(65536)).putShort((short) r.nextInt(65536));
                b.put((byte) r.nextInt(256)).put((byte) r.nextInt(256)).put((byte) r.nextInt(256)).put(new byte[3]);
            }
            case 1 -> b = java.nio.ByteBuffer.allocate(10).put((byte) 3).put((byte) r.nextInt(2))
                    .putShort((short) r.nextInt(65536)).putShort((short) r.nextInt(65536)).putShort((short) r.nextInt(65536)).putShort((short) r.nextInt(65536));
            case 2 -> b = java.nio.ByteBuffer.allocate(8).put((byte) 4).put((byte) r.nextInt(2)).putShort((short) 0).putInt(r.nextInt());
            case 3 -> b = java.nio.ByteBuffer.allocate(6).put((byte) 5).put((byte) r.nextInt(256)).putShort((short) r.nextInt(65536)).putShort((short) r.nextInt(65536));
            case 4 -> b = java.nio.ByteBuffer.allocate(12).put((byte) 255).put((byte) 0).putShort((short) r.nextInt(2)).putInt(r.nextInt()).putInt(r.nextInt());
            default -> {
                int n = r.nextInt(20);
                b = java.nio.ByteBuffer.allocate(4 + 4 * n).put((byte) 2).put((byte) 0).putShort((short) n);
                for (int i = 0; i < n; i++) b.putInt(new int[] {0, 16, -223, -258, -261, r.nextInt()}[r.nextInt(6)]);
            }
        }
        return b.array();
    }
}
