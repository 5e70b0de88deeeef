package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProtocolCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<Command<?>> EVERY_COMMAND = List.of(new Command.QmpCapabilities(), new Command.QueryStatus(),
            new Command.QueryChardev(), new Command.QueryBlockstats(), new Command.Stop(), new Command.Cont(),
            new Command.SystemPowerdown(), new Command.SystemReset(), new Command.Quit(),
            new Command.JvirtSave("/var/lib/s.save", "<domain/>", true), new Command.JvirtSave("/s", null, null),
            new Command.JvirtSave("/s", null, false, true),
            new Command.JvirtSnapshot("/x/s1.save", "<domain/>", "s1"), new Command.JvirtSnapshotDelete("s1"),
            new Command.QueryJvirtJob(),
            new Command.JvirtSnapshotExternal(List.of(new Command.DiskOverlay(0, "/d/a.ext", "qcow2")), null, null),
            new Command.JvirtSnapshotExternal(List.of(), "/m.save", "<domain/>"),
            new Command.JvirtLoadSnapshot("/x/s1.save", "s1", true),
            new Command.JvirtMigrate("tcp:10.0.0.2:49152", 300L, 0L), new Command.JvirtMigrate("tcp:[::1]:49152", null, null),
            new Command.JvirtMigrate("tcp:10.0.0.2:49152", 300L, 0L, true, 40, 15, true, 1L << 26, "inc"),
            new Command.JvirtMigrateCancel(), new Command.Eject("ide0-1-0", false),
            new Command.BlockdevChangeMedium("ide0-1-0", "/i/boot.iso", "raw", true), new Command.SetLink("net0", false),
            new Command.Screendump("/tmp/screen.ppm"), new Command.SetPassword("vnc", "s3cret", "keep"),
            new Command.ExpirePassword("vnc", "+60"),
            new Command.Balloon(512L << 20), new Command.QueryBalloon(),
            new Command.QomGet("/machine/peripheral/balloon0", "guest-stats"),
            new Command.QomSet("/machine/peripheral/balloon0", "guest-stats-polling-interval", com.fasterxml.jackson.databind.node.IntNode.valueOf(10)),
            new Command.SendKey(List.of(Command.SendKey.KeyValue.number(0x1d), Command.SendKey.KeyValue.number(0x9c)), 50),
            new Command.QueryVnc());

    @Test
    void everyCommandRoundTripsAndEveryServedCommandIsCovered() throws Exception {
        for (Command<?> c : EVERY_COMMAND) {
            ProtocolCodec.Request r = ProtocolCodec.decodeRequest(ProtocolCodec.request(c));
            assertEquals(c, r.command(), ProtocolCodec.request(c));
            assertNull(r.id());
        }
        assertEquals(Command.ALL.size(), EVERY_COMMAND.stream().map(Object::getClass).distinct().count());
    }

    @Test
    void requestsAreQmpsJson() throws Exception {
        assertJson("{\"execute\":\"query-status\"}", ProtocolCodec.request(new Command.QueryStatus()));
        assertJson("{\"execute\":\"qmp_capabilities\"}", ProtocolCodec.request(new Command.QmpCapabilities()));
        assertJson("{\"execute\":\"system_powerdown\"}", ProtocolCodec.request(new Command.SystemPowerdown()));
        assertJson("{\"execute\":\"jvirt-save\",\"arguments\":{\"file\":\"/s\",\"domain-xml\":\"<d/>\",\"running\":false}}",
                ProtocolCodec.request(new Command.JvirtSave("/s", "<d/>", false)));
        assertJson("{\"execute\":\"jvirt-save\",\"arguments\":{\"file\":\"/s\"}}", ProtocolCodec.request(new Command.JvirtSave("/s", null, null)));
        assertJson("{\"execute\":\"jvirt-save\",\"arguments\":{\"file\":\"/s\",\"bypass-cache\":true}}",
                ProtocolCodec.request(new Command.JvirtSave("/s", null, null, true)));
        assertJson("{\"execute\":\"jvirt-snapshot-external\",\"arguments\":{\"disks\":[{\"index\":1,\"file\":\"/o\",\"format\":\"qcow2\"}],"
                + "\"memory-file\":\"/m\"}}", ProtocolCodec.request(new Command.JvirtSnapshotExternal(
                        List.of(new Command.DiskOverlay(1, "/o", "qcow2")), "/m", null)));
        // QEMU's send-key as libvirt's qemuMonitorJSONSendKey writes it
        assertJson("{\"execute\":\"send-key\",\"arguments\":{\"keys\":[{\"type\":\"number\",\"data\":29},"
                + "{\"type\":\"number\",\"data\":156}],\"hold-time\":50}}", ProtocolCodec.request(new Command.SendKey(
                        List.of(Command.SendKey.KeyValue.number(29), Command.SendKey.KeyValue.number(156)), 50)));
        assertJson("{\"execute\":\"set_password\",\"arguments\":{\"protocol\":\"vnc\",\"password\":\"p\",\"connected\":\"keep\"}}",
                ProtocolCodec.request(new Command.SetPassword("vnc", "p", "keep")));
        // QMP's balloon and libvirt's qom-set of the polling interval (qemuMonitorJSONSetMemoryStatsPeriod)
        assertJson("{\"execute\":\"balloon\",\"arguments\":{\"value\":536870912}}", ProtocolCodec.request(new Command.Balloon(512L << 20)));
        assertJson("{\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/balloon0\",\"property\":\"guest-stats-polling-interval\",\"value\":10}}",
                ProtocolCodec.request(new Command.QomSet("/machine/peripheral/balloon0", "guest-stats-polling-interval", com.fasterxml.jackson.databind.node.IntNode.valueOf(10))));
        assertJson("{\"execute\":\"jvirt-migrate\",\"arguments\":{\"uri\":\"tcp:h:1\",\"max-downtime-ms\":20,\"bandwidth\":1000}}",
                ProtocolCodec.request(new Command.JvirtMigrate("tcp:h:1", 20L, 1000L)));
    }

    @Test
    void repliesAreQmpsJsonAndDecodeToTheirTypes() throws Exception {
        // as QEMU answers query-status (QEMU before 8.1 also sends "singlestep": false)
        String status = ProtocolCodec.returnLine(StatusInfo.of(RunState.RUNNING), null);
        assertJson("{\"return\":{\"status\":\"running\",\"singlestep\":false,\"running\":true}}", status);
        assertEquals(StatusInfo.of(RunState.RUNNING), decodeReturn(new Command.QueryStatus(), status));
        assertEquals(new StatusInfo(RunState.PAUSED, false, false),
                decodeReturn(new Command.QueryStatus(), "{\"return\": {\"status\": \"paused\", \"running\": false}}"));
        for (RunState s : RunState.values()) assertEquals(StatusInfo.of(s), decodeReturn(new Command.QueryStatus(), ProtocolCodec.returnLine(StatusInfo.of(s), null)));

        // QEMU: [{"frontend-open": false, "filename": "pty:/dev/pts/3", "label": "serial0"}]
        Chardevs devs = new Chardevs(List.of(Chardev.pty("serial0", "/dev/pts/3"), Chardev.unixServer("serial1", "/run/c.sock")));
        String line = ProtocolCodec.returnLine(devs, null);
        assertJson("{\"return\":[{\"label\":\"serial0\",\"filename\":\"pty:/dev/pts/3\"},"
                + "{\"label\":\"serial1\",\"filename\":\"unix:/run/c.sock,server=on\"}]}", line);
        Chardevs back = decodeReturn(new Command.QueryChardev(), line);
        assertEquals(devs, back);
        assertEquals("/dev/pts/3", back.ptyPath());
        assertNull(new Chardevs(List.of(Chardev.unixServer("serial0", "/s"))).ptyPath());
        Chardevs qemu = decodeReturn(new Command.QueryChardev(),
                "{\"return\": [{\"frontend-open\": false, \"filename\": \"pty:/dev/pts/7\", \"label\": \"serial0\"}]}");
        assertEquals("/dev/pts/7", qemu.ptyPath());

        BlockStatsList stats = new BlockStatsList(List.of(new BlockStats("jvirt-disk0", new BlockStats.Counters(1, 2, 3, 4, 5, 6, 7, 8))));
        String s = ProtocolCodec.returnLine(stats, null);
        assertJson("{\"return\":[{\"device\":\"jvirt-disk0\",\"stats\":{\"rd_bytes\":1,\"wr_bytes\":2,\"rd_operations\":3,"
                + "\"wr_operations\":4,\"flush_operations\":5,\"failed_rd_operations\":6,\"failed_wr_operations\":7,"
                + "\"failed_flush_operations\":8}}]}", s);
        assertEquals(stats, decodeReturn(new Command.QueryBlockstats(), s));

        JobInfo job = new JobInfo(JobInfo.ACTIVE, "save", 12, 1024, 256, 768, null);
        String j = ProtocolCodec.returnLine(job, null);
        assertJson("{\"return\":{\"status\":\"active\",\"operation\":\"save\",\"total-time\":12,\"total\":1024,"
                + "\"processed\":256,\"remaining\":768}}", j);
        assertEquals(job, decodeReturn(new Command.QueryJvirtJob(), j));

        JobInfo migration = new JobInfo(JobInfo.ACTIVE, "migration-out", 40, 4096, 8192, 1024, null,
                new JobInfo.MigrationRam(1 << 20, 2, 10, 2, 4096, 0));
        String m = ProtocolCodec.returnLine(migration, null);
        assertJson("{\"return\":{\"status\":\"active\",\"operation\":\"migration-out\",\"total-time\":40,\"total\":4096,"
                + "\"processed\":8192,\"remaining\":1024,\"ram\":{\"bps\":1048576,\"iteration\":2,\"constant\":10,\"normal\":2,"
                + "\"page-size\":4096}}}", m);
        assertEquals(migration, decodeReturn(new Command.QueryJvirtJob(), m));
        // auto-converge's throttle, once it is on (QMP's cpu-throttle-percentage)
        JobInfo throttled = new JobInfo(JobInfo.ACTIVE, "migration-out", 40, 4096, 8192, 1024, null,
                new JobInfo.MigrationRam(1 << 20, 5, 10, 2, 4096, 30));
        String t = ProtocolCodec.returnLine(throttled, null);
        assertJson("{\"return\":{\"status\":\"active\",\"operation\":\"migration-out\",\"total-time\":40,\"total\":4096,"
                + "\"processed\":8192,\"remaining\":1024,\"ram\":{\"bps\":1048576,\"iteration\":5,\"constant\":10,\"normal\":2,"
                + "\"page-size\":4096,\"cpu-throttle-percentage\":30}}}", t);
        assertEquals(throttled, decodeReturn(new Command.QueryJvirtJob(), t));

        assertJson("{\"return\":{}}", ProtocolCodec.returnLine(new Ack(), null));
        assertEquals(new Ack(), decodeReturn(new Command.Stop(), "{\"return\": {}}"));
        assertJson("{\"return\":{},\"id\":\"a1\"}", ProtocolCodec.returnLine(new Ack(), JSON.readTree("\"a1\"")));
    }

    @Test
    void errorsCarryQmpsClassAndDesc() throws Exception {
        String e = ProtocolCodec.errorLine(new ErrorInfo("CommandNotFound", "The command x has not been found"), null);
        assertJson("{\"error\":{\"class\":\"CommandNotFound\",\"desc\":\"The command x has not been found\"}}", e);
        ProtocolCodec.Incoming in = ProtocolCodec.incoming(e);
        assertEquals(new ProtocolCodec.Incoming.Failure(new ErrorInfo("CommandNotFound", "The command x has not been found")), in);
    }

    @Test
    void eventsRoundTripWithTheirData() throws Exception {
        List<Event> all = List.of(new Event.Stop(), new Event.Resume(), new Event.Powerdown(), new Event.Reset(),
                new Event.Shutdown(true, ExitReason.SHUTDOWN), new Event.Shutdown(false, ExitReason.SAVED),
                new Event.DeviceTrayMoved("ide0-1-0", true), new Event.BalloonChange(260046848L));
        for (Event ev : all) {
            ProtocolCodec.Incoming in = ProtocolCodec.incoming(ProtocolCodec.eventLine(ev, 1_700_000_000_123L));
            assertEquals(new ProtocolCodec.Incoming.Notification(ev, 1_700_000_000L, 123_000L), in);
        }
        assertEquals(Event.ALL.size() + 1, all.size()); // Shutdown twice
        assertJson("{\"event\":\"DEVICE_TRAY_MOVED\",\"data\":{\"device\":\"ide0-1-0\",\"tray-open\":false},\"timestamp\":{\"seconds\":1,\"microseconds\":0}}",
                ProtocolCodec.eventLine(new Event.DeviceTrayMoved("ide0-1-0", false), 1000));
        // as QEMU 7.2 sent it after the guest inflated 8 MiB of a 256 MiB VM
        assertJson("{\"event\":\"BALLOON_CHANGE\",\"data\":{\"actual\":260046848},\"timestamp\":{\"seconds\":1,\"microseconds\":0}}",
                ProtocolCodec.eventLine(new Event.BalloonChange(260046848L), 1000));
        assertJson("{\"event\":\"STOP\",\"timestamp\":{\"seconds\":1,\"microseconds\":5000}}", ProtocolCodec.eventLine(new Event.Stop(), 1005));
        assertJson("{\"event\":\"SHUTDOWN\",\"data\":{\"guest\":false,\"reason\":\"destroyed\"},\"timestamp\":{\"seconds\":1,\"microseconds\":0}}",
                ProtocolCodec.eventLine(new Event.Shutdown(false, ExitReason.DESTROYED), 1000));
        // an event this build does not know keeps its name (QEMU's BLOCK_JOB_COMPLETED, say)
        ProtocolCodec.Incoming other = ProtocolCodec.incoming("{\"event\": \"BLOCK_JOB_COMPLETED\", \"data\": {\"x\": 1}, \"timestamp\": {}}");
        assertEquals("BLOCK_JOB_COMPLETED", ((ProtocolCodec.Incoming.Notification) other).event().event());
    }

    @Test
    void badRequestsAreRefusedWithQmpsClasses() throws Exception {
        assertEquals("CommandNotFound", refusal("{\"execute\": \"frobnicate\"}").errorClass());
        assertEquals("The command frobnicate has not been found", refusal("{\"execute\": \"frobnicate\"}").getMessage());
        assertEquals("missing 'execute'", refusal("{\"arguments\": {}}").getMessage());
        assertTrue(refusal("{not json").getMessage().startsWith("invalid JSON"));
        assertEquals("expected a JSON object", refusal("[1]").getMessage());
        assertTrue(refusal("[".repeat(100) + "]".repeat(100)).getMessage().startsWith("invalid JSON"), "nesting is bounded");
        assertEquals("jvirt-save needs an absolute 'file'", refusal("{\"execute\": \"jvirt-save\", \"arguments\": {\"file\": \"rel\"}}").getMessage());
        assertEquals("jvirt-snapshot needs a 'name'", refusal("{\"execute\": \"jvirt-snapshot\", \"arguments\": {\"file\": \"/a\"}}").getMessage());
        assertEquals("jvirt-snapshot-delete needs a 'name'", refusal("{\"execute\": \"jvirt-snapshot-delete\"}").getMessage());
        assertEquals("GenericError", refusal("{\"execute\": \"jvirt-save\", \"arguments\": {\"file\": 5, \"running\": \"x\"}}").errorClass());
        ProtocolCodec.Request r = ProtocolCodec.decodeRequest("{\"execute\": \"stop\", \"id\": 7}");
        assertEquals(7, r.id().asInt());
    }

    private static ProtocolCodec.ProtocolException refusal(String line) {
        return assertThrows(ProtocolCodec.ProtocolException.class, () -> ProtocolCodec.decodeRequest(line));
    }

    private static <R> R decodeReturn(Command<R> c, String line) throws Exception {
        return ProtocolCodec.returnValue(c, ((ProtocolCodec.Incoming.Return) ProtocolCodec.incoming(line)).value());
    }

    /** Same JSON value (member order aside, as JSON objects are unordered). */
    private static void assertJson(String expected, String actual) throws Exception {
        JsonNode e = JSON.readTree(expected), a = JSON.readTree(actual);
        assertEquals(e, a, actual);
    }
}
