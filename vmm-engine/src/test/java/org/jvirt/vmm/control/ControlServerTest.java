package org.jvirt.vmm.control;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class ControlServerTest {

    /** A target that records what it was asked. */
    static final class FakeVm implements ControlTarget {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile String status = "running";
        public String status() { return status; }
        public void pause() { calls.add("pause"); status = "paused"; }
        public void resume() { calls.add("resume"); status = "running"; }
        public void powerdown() { calls.add("powerdown"); }
        public void reset() throws Exception { calls.add("reset"); throw new IllegalStateException("reset refused"); }
        public void quit() { calls.add("quit"); status = "shutdown"; }
        @Override public void snapshot(Path file, String domainXml, String name) { calls.add("snapshot " + file + " " + name + " " + domainXml); }
        @Override public void deleteSnapshot(String name) { calls.add("delete " + name); }
    }

    @Test
    void jvirtSnapshotPassesItsArgumentsAndRefusesARelativeFileOrNoName(@TempDir Path dir) throws Exception {
        FakeVm vm = new FakeVm();
        try (ControlServer server = ControlServer.start(dir.resolve("vm.sock"), vm);
             ControlClient client = ControlClient.connect(server.socketPath(), Duration.ofSeconds(5))) {
            client.execute("jvirt-snapshot", Map.of("file", "/x/s1.save", "name", "s1", "domain-xml", "<domain/>"));
            ControlClient.CommandFailed rel = assertThrows(ControlClient.CommandFailed.class,
                    () -> client.execute("jvirt-snapshot", Map.of("file", "s1.save", "name", "s1")));
            assertEquals("jvirt-snapshot needs an absolute 'file'", rel.getMessage());
            ControlClient.CommandFailed noName = assertThrows(ControlClient.CommandFailed.class,
                    () -> client.execute("jvirt-snapshot", Map.of("file", "/x/s1.save")));
            assertEquals("jvirt-snapshot needs a 'name'", noName.getMessage());
            client.execute("jvirt-snapshot-delete", Map.of("name", "s1"));
            assertThrows(ControlClient.CommandFailed.class, () -> client.execute("jvirt-snapshot-delete", Map.of()));
            assertEquals(List.of("snapshot /x/s1.save s1 <domain/>", "delete s1"), vm.calls);
            assertEquals("running", ((Map<?, ?>) client.execute("query-status")).get("status"), "the VM is not stopped by it");
        }
    }

    @Test
    void commandsReachTheTargetAndAnswersFollowTheProtocol(@TempDir Path dir) throws Exception {
        FakeVm vm = new FakeVm();
        try (ControlServer server = ControlServer.start(dir.resolve("vm.sock"), vm);
             ControlClient client = ControlClient.connect(server.socketPath(), Duration.ofSeconds(5))) {
            List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
            client.onEvent(events::add);
            assertEquals("running", ((Map<?, ?>) client.execute("query-status")).get("status"));
            client.execute("stop");
            assertEquals(Boolean.FALSE, ((Map<?, ?>) client.execute("query-status")).get("running"));
            client.execute("cont");
            client.execute("system_powerdown");
            ControlClient.CommandFailed f = assertThrows(ControlClient.CommandFailed.class, () -> client.execute("system_reset"));
            assertEquals("reset refused", f.getMessage());
            ControlClient.CommandFailed nf = assertThrows(ControlClient.CommandFailed.class, () -> client.execute("frobnicate"));
            assertEquals("CommandNotFound", nf.errorClass());
            assertEquals(List.of("pause", "resume", "powerdown", "reset"), vm.calls);
            server.emit("STOP", null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (events.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals("STOP", events.get(0).get("event"));
        }
    }

    @Test
    void commandsBeforeNegotiationAndGarbageAreRefused(@TempDir Path dir) throws Exception {
        try (ControlServer server = ControlServer.start(dir.resolve("vm.sock"), new FakeVm());
             SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(server.socketPath()));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(ch);
            assertTrue(in.readLine().startsWith("{\"QMP\""));
            out.write("{\"execute\": \"stop\"}\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(in.readLine().contains("CommandNotFound"));
            out.write("{not json\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(in.readLine().contains("invalid JSON"));
        }
    }

    @Test
    void jsonRoundTrip() {
        Object v = Json.parse("{\"a\": [1, 2.5, \"x\\n\\u0041\", true, null], \"b\": {}}");
        assertEquals("{\"a\": [1, 2.5, \"x\\nA\", true, null], \"b\": {}}", Json.write(v));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
    }
}
