package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.Frames;
import org.jvirt.rpc.MessageHeader;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.Programs;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.XdrWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many clients, several calls in flight on one connection, keepalive, max_clients. */
class ConnectionsTest {
    @TempDir Path tmp;

    @Test
    void severalOutstandingCallsAreAnsweredBySerial() throws Exception {
        try (TestDaemon d = new TestDaemon(tmp); RawClient c = RawClient.tcp(d.tcpPort())) {
            c.open("test:///default", 0);
            int[] procs = {RemoteProcedure.CONNECT_GET_TYPE, RemoteProcedure.CONNECT_GET_HOSTNAME, RemoteProcedure.CONNECT_GET_CAPABILITIES,
                    RemoteProcedure.NODE_GET_INFO, RemoteProcedure.CONNECT_GET_LIB_VERSION, RemoteProcedure.CONNECT_GET_VERSION,
                    RemoteProcedure.CONNECT_NUM_OF_DOMAINS, RemoteProcedure.CONNECT_GET_TYPE};
            for (int i = 0; i < procs.length; i++) {
                c.sendRaw(Frames.encode(new MessageHeader(Programs.REMOTE, 1, procs[i], MessageType.CALL, 100 + i, 0), new XdrWriter()));
            }
            Set<Integer> serials = new HashSet<>();
            for (int i = 0; i < procs.length; i++) {
                Frame f = c.nextReply();
                assertEquals(MessageType.STATUS_OK, f.header().status());
                int k = f.header().serial() - 100;
                assertEquals(procs[k], f.header().procedure(), "a reply carries its call's procedure and serial");
                serials.add(f.header().serial());
            }
            assertEquals(procs.length, serials.size());
        }
    }

    @Test
    void aHundredClientsAtOnce() throws Exception {
        try (TestDaemon d = new TestDaemon(tmp)) {
            ExecutorService pool = Executors.newFixedThreadPool(100);
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                done.add(pool.submit(() -> {
                    try (RawClient c = RawClient.tcp(d.tcpPort())) {
                        c.open("test:///default", 0);
                        int ok = 0;
                        for (int k = 0; k < 20; k++) {
                            XdrWriter a = new XdrWriter().writeString("test");
                            if (c.call(RemoteProcedure.DOMAIN_LOOKUP_BY_NAME, a).header().status() == MessageType.STATUS_OK) ok++;
                        }
                        return ok;
                    }
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) total += f.get();
            pool.shutdown();
            assertEquals(2000, total);
        }
    }

    @Test
    void aSilentClientIsDroppedAfterKeepaliveAndAnAnsweringOneIsNot() throws Exception {
        try (TestDaemon d = new TestDaemon(tmp, 5000, 1, 2);
             RawClient silent = RawClient.tcp(d.tcpPort());
             RawClient alive = RawClient.tcp(d.tcpPort())) {
            silent.open("test:///default", 0); // asks feature 10: the daemon pings it when idle
            alive.open("test:///default", 0);
            long end = System.nanoTime() + 6_000_000_000L;
            int pings = 0;
            while (System.nanoTime() < end) {
                Frame f = Frames.read(alive.in);
                if (f.header().program() == Programs.KEEPALIVE && f.header().procedure() == Programs.KEEPALIVE_PING) {
                    pings++;
                    alive.sendRaw(Frames.encode(new MessageHeader(Programs.KEEPALIVE, 1, Programs.KEEPALIVE_PONG, MessageType.MESSAGE, 0, 0)));
                }
            }
            assertTrue(pings >= 2, "the daemon pings an idle client: " + pings);
            assertEquals(MessageType.STATUS_OK, alive.call(RemoteProcedure.CONNECT_GET_TYPE, null).header().status());
            // the silent one never answered: dropped after interval * count seconds
            int framesBeforeClose = 0;
            while (Frames.read(silent.in) != null) framesBeforeClose++;
            assertTrue(framesBeforeClose >= 2, "pinged before being dropped");
        }
    }

    @Test
    void maxClientsRefusesTheOneTooMany() throws Exception {
        try (TestDaemon d = new TestDaemon(tmp, 2, 5, 5); RawClient a = RawClient.tcp(d.tcpPort()); RawClient b = RawClient.tcp(d.tcpPort())) {
            a.open("test:///default", 0);
            b.open("test:///default", 0);
            try (RawClient c = RawClient.tcp(d.tcpPort())) {
                assertThrows(Exception.class, () -> c.open("test:///default", 0));
            }
        }
    }
}
