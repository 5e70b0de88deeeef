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
import org.jvirt.vmm.protocol.Ack;
import org.jvirt.vmm.protocol.Chardev;
import org.jvirt.vmm.protocol.Chardevs;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.Event;
import org.jvirt.vmm.protocol.ExitReason;
import org.jvirt.vmm.protocol.RunState;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class ControlServerTest {

    /** A target that records what it was asked. */
    static final class FakeVm implements ControlTarget {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile RunState status = RunState.RUNNING;
        public RunState status() { return status; }
        public void pause() { calls.add("pause"); status = RunState.PAUSED; }
        public void resume() { calls.add("resume"); status = RunState.RUNNING; }
        public void powerdown() { calls.add("powerdown"); }
        public void reset() throws Exception { calls.add("reset"); throw new IllegalStateException("reset refused"); }
        public void quit() { calls.add("quit"); status = RunState.SHUTDOWN; }
        @Override public List<Chardev> chardevs() { return List.of(Chardev.pty("serial0", "/dev/pts/9")); }
        @Override public void snapshot(Path file, String domainXml, String name) { calls.add("snapshot " + file + " " + name + " " + domainXml); }
        @Override public void deleteSnapshot(String name) { calls.add("delete " + name); }
    }

    @Test
    void jvirtSnapshotPassesItsArgumentsAndRefusesARelativeFileOrNoName(@TempDir Path dir) throws Exception {
        FakeVm vm = new FakeVm();
        try (ControlServer server = ControlServer.start(dir.resolve("vm.sock"), vm);
             ControlClient client = ControlClient.connect(server.socketPath(), Duration.ofSeconds(5))) {
            assertEquals(new Ack(), client.call(new Command.JvirtSnapshot("/x/s1.save", "<domain/>", "s1")));
            // the typed records refuse bad arguments before they are sent...
            assertThrows(IllegalArgumentException.class, () -> new Command.JvirtSnapshot("s1.save", null, "s1"));
            // ...and the server refuses them from a client that sends raw JSON
            assertTrue(raw(server, "{\"execute\": \"jvirt-snapshot\", \"arguments\": {\"file\": \"s1.save\", \"name\": \"s1\"}}")
                    .contains("jvirt-snapshot needs an absolute 'file'"));
            assertTrue(raw(server, "{\"execute\": \"jvirt-snapshot\", \"arguments\": {\"file\": \"/x/s1.save\"}}")
                    .contains("jvirt-snapshot needs a 'name'"));
            client.call(new Command.JvirtSnapshotDelete("s1"));
            assertTrue(raw(server, "{\"execute\": \"jvirt-snapshot-delete\", \"arguments\": {}}").contains("GenericError"));
            assertEquals(List.of("snapshot /x/s1.save s1 <domain/>", "delete s1"), vm.calls);
            assertEquals(RunState.RUNNING, client.call(new Command.QueryStatus()).status(), "the VM is not stopped by it");
        }
    }

    @Test
    void commandsReachTheTargetAndAnswersFollowTheProtocol(@TempDir Path dir) throws Exception {
        FakeVm vm = new FakeVm();
        try (ControlServer server = ControlServer.start(dir.resolve("vm.sock"), vm);
             ControlClient client = ControlClient.connect(server.socketPath(), Duration.ofSeconds(5))) {
            List<Event> events = new CopyOnWriteArrayList<>();
            client.onEvent(events::add);
            assertEquals(RunState.RUNNING, client.call(new Command.QueryStatus()).status());
            client.call(new Command.Stop());
            assertFalse(client.call(new Command.QueryStatus()).running());
            client.call(new Command.Cont());
            client.call(new Command.SystemPowerdown());
            ControlClient.CommandFailed f = assertThrows(ControlClient.CommandFailed.class, () -> client.call(new Command.SystemReset()));
            assertEquals("reset refused", f.getMessage());
            assertEquals("GenericError", f.errorClass());
            assertTrue(raw(server, "{\"execute\": \"frobnicate\"}").contains("CommandNotFound"));
            assertEquals(List.of("pause", "resume", "powerdown", "reset"), vm.calls);
            Chardevs devs = client.call(new Command.QueryChardev());
            assertEquals("/dev/pts/9", devs.ptyPath());
            server.emit(new Event.Stop());
            server.emit(new Event.Shutdown(true, ExitReason.SHUTDOWN));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (events.size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(List.of(new Event.Stop(), new Event.Shutdown(true, ExitReason.SHUTDOWN)), events);
            client.call(new Command.Quit()); // answered first; the VM ends right after
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (vm.status != RunState.SHUTDOWN && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(RunState.SHUTDOWN, vm.status);
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
    void theClientHearsTheSocketClose(@TempDir Path dir) throws Exception {
        ControlServer server = ControlServer.start(dir.resolve("vm.sock"), new FakeVm());
        try (ControlClient client = ControlClient.connect(server.socketPath(), Duration.ofSeconds(5))) {
            java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
            client.onClose(closed::countDown);
            server.close();
            assertTrue(closed.await(5, TimeUnit.SECONDS), "the end of the VMM is an event too");
            assertThrows(java.io.IOException.class, () -> client.call(new Command.QueryStatus()));
        }
    }

    /** One raw line after negotiating (what a client not using the typed records could send); the answer line. */
    private static String raw(ControlServer server, String line) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(server.socketPath()));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(ch);
            in.readLine();
            out.write("{\"execute\": \"qmp_capabilities\"}\n".getBytes(StandardCharsets.UTF_8));
            in.readLine();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return in.readLine();
        }
    }
}
