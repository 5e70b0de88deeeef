package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.Frames;
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.Programs;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.XdrWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input: each bad message gets a clean error or a closed connection, and the daemon
 * keeps serving a well-behaved client afterwards. Seeded (jvirt.fuzz.seed, jvirt.fuzz.rounds
 * for longer runs); CI runs a fixed seed.
 */
class ProtocolFuzzTest {
    @TempDir Path tmp;

    private static final long SEED = Long.getLong("jvirt.fuzz.seed", 20261203L);
    private static final int ROUNDS = Integer.getInteger("jvirt.fuzz.rounds", 300);

    private static void stillServes(TestDaemon d) throws Exception {
        try (RawClient c = RawClient.tcp(d.tcpPort())) {
            c.open("test:///default", 0);
            Frame f = c.call(RemoteProcedure.CONNECT_GET_TYPE, null);
            assertEquals(MessageType.STATUS_OK, f.header().status());
            assertEquals("TEST", f.reader().readString("type"));
        }
    }

    /** What came back: a reply frame, or null when the daemon closed the connection. */
    private static Frame answer(RawClient c) {
        try {
            return c.nextReply();
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void malformedFramesCloseOrFailCleanly() throws Exception {
        try (TestDaemon d = new TestDaemon(tmp)) {
            byte[][] cases = {
                hex("0000001b 20008086"),                                     // shorter than a header
                hex("02000005 20008086 00000001 00000001 00000000 00000000 00000000"), // past 32 MiB
                hex("ffffffff"),                                              // 4 GiB
                hex("0000001c 20008086 00000001 00000001 00000009 00000000 00000000"), // unknown type
            };
            for (byte[] bad : cases) {
                try (RawClient c = RawClient.tcp(d.tcpPort())) {
                    c.sendRaw(bad);
                    assertNull(answer(c), "the daemon closes a connection that sent " + java.util.HexFormat.of().formatHex(bad));
                }
            }
            stillServes(d);
        }
    }

    @Test
    void badCallsGetLibvirtdsErrors() throws Exception {
        try (TestDaemon d = new TestDaemon(tmp); RawClient c = RawClient.tcp(d.tcpPort())) {
            // before open
            Frame f = c.call(RemoteProcedure.CONNECT_GET_TYPE, null);
            assertEquals("internal error: hypervisor connection not open", RawClient.error(f).message());
            c.open("test:///default", 0);
            f = c.call(999, null);
            assertEquals("unknown procedure: 999", RawClient.error(f).message());
            // unknown program
            c.send(0x12345, 1, MessageType.CALL, 0, null);
            assertEquals("Cannot find program 74565 version 1", RawClient.error(c.nextReply()).message());
            // truncated XDR, huge string length, huge array count
            f = c.call(RemoteProcedure.DOMAIN_LOOKUP_BY_NAME, new XdrWriter().writeInt(100));
            assertEquals("Unable to decode message payload", RawClient.error(f).message());
            f = c.call(RemoteProcedure.DOMAIN_LOOKUP_BY_NAME, new XdrWriter().writeInt(0x7fffffff));
            assertEquals("Unable to decode message payload", RawClient.error(f).message());
            f = c.call(RemoteProcedure.CONNECT_LIST_DOMAINS, new XdrWriter().writeInt(1 << 30));
            assertEquals("maxids > REMOTE_DOMAIN_LIST_MAX", RawClient.error(f).message());
            // a second open
            f = c.call(RemoteProcedure.CONNECT_OPEN, new XdrWriter().writeOptionalString("test:///default").writeInt(0));
            assertEquals("internal error: connection already open", RawClient.error(f).message());
            // stream data for no stream, and a CALL with a status: dropped / refused, the connection goes on
            c.send(Programs.REMOTE, RemoteProcedure.DOMAIN_OPEN_CONSOLE, MessageType.STREAM, MessageType.STATUS_CONTINUE, new XdrWriter().writeInt(7));
            c.send(Programs.REMOTE, RemoteProcedure.CONNECT_GET_TYPE, MessageType.CALL, MessageType.STATUS_ERROR, null);
            assertEquals("Unexpected message status 1", RawClient.error(c.nextReply()).message());
            f = c.call(RemoteProcedure.CONNECT_GET_TYPE, null);
            assertEquals(MessageType.STATUS_OK, f.header().status());
        }
    }

    @Test
    void randomMutationsOfValidCalls() throws Exception {
        Random rnd = new Random(SEED);
        int[] procs = {RemoteProcedure.DOMAIN_LOOKUP_BY_NAME, RemoteProcedure.DOMAIN_GET_INFO, RemoteProcedure.CONNECT_LIST_ALL_DOMAINS,
                RemoteProcedure.DOMAIN_DEFINE_XML, RemoteProcedure.DOMAIN_SNAPSHOT_CREATE_XML, RemoteProcedure.DOMAIN_GET_XML_DESC,
                RemoteProcedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, RemoteProcedure.DOMAIN_OPEN_CONSOLE, RemoteProcedure.DOMAIN_GET_VCPUS};
        try (TestDaemon d = new TestDaemon(tmp)) {
            RawClient c = RawClient.tcp(d.tcpPort());
            c.open("test:///default", 1); // read-only: random calls cannot change the shared state
            int closed = 0, errors = 0, ok = 0;
            for (int i = 0; i < ROUNDS; i++) {
                XdrWriter w = new XdrWriter();
                new org.jvirt.rpc.RemoteDomain("test", org.jvirt.rpc.Uuids.parse("6695eb01f6a4830479aa97f2502e193f"), 1).encode(w);
                w.writeInt(0).writeInt(0).writeInt(0);
                byte[] frame = Frames.encode(new MessageHeader(Programs.REMOTE, 1, procs[rnd.nextInt(procs.length)], MessageType.CALL, i, 0), w);
                int flips = 1 + rnd.nextInt(4);
                for (int k = 0; k < flips; k++) {
                    int at = 4 + rnd.nextInt(frame.length - 4); // keep the length word honest: the rest is fair game
                    frame[at] = (byte) rnd.nextInt(256);
                }
                if (rnd.nextInt(10) == 0) frame = java.util.Arrays.copyOf(frame, 4 + rnd.nextInt(frame.length - 4)); // truncated
                c.sendRaw(frame);
                Frame f = frame.length == w.size() + 28 ? answer(c) : null;
                if (frame.length != w.size() + 28 || f == null) {
                    closed++;
                    c.close();
                    c = RawClient.tcp(d.tcpPort());
                    c.open("test:///default", 1);
                } else if (f.header().status() == MessageType.STATUS_OK) {
                    ok++;
                } else {
                    errors++;
                }
            }
            c.close();
            System.out.println("fuzz seed " + SEED + ": " + ROUNDS + " calls, " + ok + " answered, " + errors + " errors, " + closed + " connections closed or cut");
            stillServes(d);
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedNotBuffered() throws Exception {
        try (TestDaemon d = new TestDaemon(tmp); RawClient c = RawClient.tcp(d.tcpPort())) {
            c.open("test:///default", 0);
            // capabilities replies are a few KiB: keep asking without ever reading
            byte[] call = Frames.encode(new MessageHeader(Programs.REMOTE, 1, RemoteProcedure.CONNECT_GET_CAPABILITIES, MessageType.CALL, 1, 0), new XdrWriter());
            boolean cut = false;
            for (int i = 0; i < 200_000 && !cut; i++) {
                try {
                    c.out.write(call);
                } catch (IOException e) {
                    cut = true;
                }
            }
            // either the daemon closed us, or it stopped reading (back-pressure): it is not buffering without bound
            assertTrue(cut || d.server.clientCount() <= 1);
            stillServes(d);
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replace(" ", ""));
    }
}
