package org.jvirt.vmm.control;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.devices.balloon.VirtioBalloon;
import org.jvirt.vmm.protocol.Ack;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.ErrorInfo;

/** The balloon's control commands over the socket: QMP's shapes, QEMU's error classes and words. */
class BalloonControlTest {

    private static ControlTarget vm(VirtioBalloon b) {
        return new ControlTarget() {
            public org.jvirt.vmm.protocol.RunState status() { return org.jvirt.vmm.protocol.RunState.RUNNING; }
            public void pause() { }
            public void resume() { }
            public void powerdown() { }
            public void reset() { }
            public void quit() { }
            @Override public BalloonControl balloon() {
                if (b == null) return null;
                return new BalloonControl() {
                    public void setTarget(long bytes) { b.setTarget(bytes); }
                    public long actualBytes() { return b.actualBytes(); }
                    public long lastUpdate() { return b.guestStats().lastUpdate(); }
                    public long[] stats() { return b.guestStats().values(); }
                    public long pollInterval() { return b.pollInterval(); }
                    public void setPollInterval(long s) { b.setPollInterval(s); }
                };
            }
        };
    }

    @Test
    void withoutABalloonTheCommandsFailAsQemus(@TempDir Path dir) throws Exception {
        try (ControlServer server = ControlServer.start(dir.resolve("vm.sock"), vm(null));
             ControlClient client = ControlClient.connect(server.socketPath(), Duration.ofSeconds(5))) {
            ControlClient.CommandFailed f = assertThrows(ControlClient.CommandFailed.class, () -> client.call(new Command.Balloon(1L << 20)));
            assertEquals(ErrorInfo.DEVICE_NOT_ACTIVE, f.errorClass());
            assertEquals("No balloon device has been activated", f.getMessage());
            f = assertThrows(ControlClient.CommandFailed.class, () -> client.call(new Command.QueryBalloon()));
            assertEquals(ErrorInfo.DEVICE_NOT_ACTIVE, f.errorClass());
            f = assertThrows(ControlClient.CommandFailed.class, () -> client.call(new Command.QomGet(BalloonCommands.PATH, "guest-stats")));
            assertEquals(ErrorInfo.DEVICE_NOT_FOUND, f.errorClass());
        }
    }

    @Test
    void balloonQueryAndTheStatisticsProperties(@TempDir Path dir) throws Exception {
        VirtioBalloon b = new VirtioBalloon(256L << 20, false);
        try (ControlServer server = ControlServer.start(dir.resolve("vm.sock"), vm(b));
             ControlClient client = ControlClient.connect(server.socketPath(), Duration.ofSeconds(5))) {
            assertEquals(256L << 20, client.call(new Command.QueryBalloon()).actual(), "nothing given yet");
            assertEquals(new Ack(), client.call(new Command.Balloon(200L << 20)));
            assertEquals(56 << 8, b.numPages(), "56 MiB of pages asked for");
            ControlClient.CommandFailed f = assertThrows(ControlClient.CommandFailed.class, () -> client.call(new Command.Balloon(0L)));
            assertEquals("Parameter 'target' expects a size", f.getMessage());

            JsonNode stats = client.call(new Command.QomGet(BalloonCommands.PATH, "guest-stats"));
            assertEquals(0, stats.get("last-update").asLong());
            assertEquals("18446744073709551615", stats.get("stats").get("stat-free-memory").asText(), "QEMU's unset statistic");
            assertEquals(10, stats.get("stats").size());
            assertEquals(0, client.call(new Command.QomGet(BalloonCommands.PATH, "guest-stats-polling-interval")).asInt());
            client.call(new Command.QomSet(BalloonCommands.PATH, "guest-stats-polling-interval", IntNode.valueOf(5)));
            assertEquals(5, client.call(new Command.QomGet(BalloonCommands.PATH, "guest-stats-polling-interval")).asInt());
            f = assertThrows(ControlClient.CommandFailed.class,
                    () -> client.call(new Command.QomSet(BalloonCommands.PATH, "guest-stats-polling-interval", IntNode.valueOf(-1))));
            assertEquals("timer value must be greater than zero", f.getMessage());
            f = assertThrows(ControlClient.CommandFailed.class,
                    () -> client.call(new Command.QomSet(BalloonCommands.PATH, "guest-stats-polling-interval", TextNode.valueOf("x"))));
            assertEquals(ErrorInfo.GENERIC, f.errorClass());
            f = assertThrows(ControlClient.CommandFailed.class, () -> client.call(new Command.QomGet(BalloonCommands.PATH, "nope")));
            assertEquals("Property 'virtio-balloon-pci.nope' not found", f.getMessage());
        } finally {
            b.close();
        }
    }
}
