package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jvirt.daemon.dispatch.ProcedureTable;
import org.jvirt.daemon.server.DriverOpener;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.RemoteDomain;
import org.jvirt.rpc.RemoteError;
import org.jvirt.rpc.RemoteInterface;
import org.jvirt.rpc.RemoteNetwork;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.RemoteStoragePool;
import org.jvirt.rpc.RemoteStorageVol;
import org.jvirt.rpc.Uuids;
import org.jvirt.rpc.XdrWriter;
import org.jvirt.rpc.testing.RealLibvirtd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only client cannot change anything, whatever its library lets through: raw calls of
 * every procedure the daemon marks as changing state, on the read-only socket and on a
 * connection opened with VIR_CONNECT_RO, are refused by the daemon itself with libvirtd's error.
 */
class ReadOnlyTest {
    @TempDir Path tmp;

    private static final RemoteStoragePool DEFAULT_POOL = new RemoteStoragePool("default-pool", Uuids.parse("dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566"));
    private static final RemoteDomain TEST = new RemoteDomain("test", Uuids.parse("6695eb01-f6a4-8304-79aa-97f2502e193f"), 1);

    /**
     * Arguments that decode for the procedure (libvirtd decodes before its API refuses): the
     * handle of one of the mock driver's objects (domain, snapshot, network, pool, volume,
     * interface, node device name) or an XML string, then zeros.
     */
    private static XdrWriter domainArgs(int proc) {
        XdrWriter w = new XdrWriter();
        String name = RemoteProcedure.name(proc);
        if (name.startsWith("DOMAIN_SNAPSHOT_") && !name.equals("DOMAIN_SNAPSHOT_CREATE_XML") || name.equals("DOMAIN_REVERT_TO_SNAPSHOT")) {
            new org.jvirt.rpc.RemoteSnapshot("s1", TEST).encode(w);
        } else if (name.equals("DOMAIN_DEFINE_XML") || name.equals("DOMAIN_RESTORE") || name.endsWith("_DEFINE_XML")
                || name.endsWith("_DEFINE_XML_FLAGS") && !name.startsWith("DOMAIN_") || name.endsWith("_CREATE_XML") && !name.startsWith("DOMAIN_")
                && !name.startsWith("STORAGE_VOL_") || name.equals("NETWORK_CREATE_XML_FLAGS")) {
            w.writeString("x");
        } else if (name.startsWith("NETWORK_")) {
            new RemoteNetwork("default", Uuids.parse("dd8fe884-6c02-601e-7551-cca97df1c5df")).encode(w);
        } else if (name.startsWith("STORAGE_POOL_") || name.startsWith("STORAGE_VOL_CREATE_XML")) {
            DEFAULT_POOL.encode(w);
        } else if (name.startsWith("STORAGE_VOL_")) {
            new RemoteStorageVol("default-pool", "nosuch", "/default-pool/nosuch").encode(w);
        } else if (name.startsWith("INTERFACE_CHANGE_")) {
            w.writeInt(0);
        } else if (name.startsWith("INTERFACE_")) {
            new RemoteInterface("eth1", "aa:bb:cc:dd:ee:ff").encode(w);
        } else if (name.startsWith("NODE_DEVICE_")) {
            w.writeString("computer");
        } else {
            TEST.encode(w);
        }
        for (int i = 0; i < 32; i++) w.writeInt(0);
        return w;
    }

    private static int state(RawClient c) throws Exception {
        XdrWriter a = new XdrWriter();
        TEST.encode(a);
        a.writeInt(0);
        Frame f = c.call(RemoteProcedure.DOMAIN_GET_STATE, a);
        assertEquals(MessageType.STATUS_OK, f.header().status());
        return f.reader().readInt();
    }

    /** The int a call answers (an IsActive, a count). */
    private static int answer(RawClient c, int proc, XdrWriter args) throws Exception {
        Frame f = c.call(proc, args);
        assertEquals(MessageType.STATUS_OK, f.header().status(), RemoteProcedure.name(proc));
        return f.reader().readInt();
    }

    /** The mock driver's default network, pool and interface are still there and active. */
    private static void objectsUnchanged(RawClient c) throws Exception {
        XdrWriter net = new XdrWriter();
        new RemoteNetwork("default", Uuids.parse("dd8fe884-6c02-601e-7551-cca97df1c5df")).encode(net);
        assertEquals(1, answer(c, RemoteProcedure.NETWORK_IS_ACTIVE, net), "the default network is still active");
        XdrWriter pool = new XdrWriter();
        DEFAULT_POOL.encode(pool);
        assertEquals(1, answer(c, RemoteProcedure.STORAGE_POOL_IS_ACTIVE, pool), "the default pool is still active");
        XdrWriter iface = new XdrWriter();
        new RemoteInterface("eth1", "aa:bb:cc:dd:ee:ff").encode(iface);
        assertEquals(1, answer(c, RemoteProcedure.INTERFACE_IS_ACTIVE, iface), "eth1 is still active");
        assertEquals(1, answer(c, RemoteProcedure.CONNECT_NUM_OF_NETWORKS, new XdrWriter()), "no network was added");
    }

    @Test
    void everyStateChangingProcedureIsRefused() throws Exception {
        Map<Integer, String> writes = new ProcedureTable(new DriverOpener(tmp)).writeProcedures();
        assertTrue(writes.size() > 30, "the table marks " + writes.size() + " procedures as changing state");
        try (TestDaemon d = new TestDaemon(tmp); RawClient holder = RawClient.unix(d.rwSocket())) {
            holder.open("test:///default", 0); // keeps the shared mock driver's state alive
            for (boolean viaSocket : new boolean[] {true, false}) {
                try (RawClient ro = viaSocket ? RawClient.unix(d.roSocket()) : RawClient.tcp(d.tcpPort())) {
                    ro.open("test:///default", viaSocket ? 0 : 1);
                    for (var e : writes.entrySet()) {
                        Frame f = ro.call(e.getKey(), domainArgs(e.getKey()));
                        assertEquals(MessageType.STATUS_ERROR, f.header().status(), e.getValue() + " was not refused");
                        RemoteError err = RawClient.error(f);
                        assertEquals(29, err.code(), e.getValue());
                        assertEquals("operation forbidden: read only access prevents " + e.getValue(), err.message());
                    }
                    assertEquals(1, state(ro), "the domain is still running");
                    objectsUnchanged(ro);
                }
            }
            assertEquals(1, state(holder));
        }
    }

    @Test
    void refusalsMatchTheRealLibvirtd() throws Exception {
        assumeTrue(RealLibvirtd.available(), "the real libvirtd (libvirt-daemon) is not installed");
        int[] procs = {RemoteProcedure.DOMAIN_SUSPEND, RemoteProcedure.DOMAIN_REVERT_TO_SNAPSHOT, RemoteProcedure.DOMAIN_DEFINE_XML, RemoteProcedure.DOMAIN_OPEN_CONSOLE, RemoteProcedure.DOMAIN_RESTORE, RemoteProcedure.DOMAIN_DESTROY, RemoteProcedure.DOMAIN_UNDEFINE,
                RemoteProcedure.DOMAIN_SNAPSHOT_CREATE_XML, RemoteProcedure.DOMAIN_SET_AUTOSTART,
                RemoteProcedure.NETWORK_DESTROY, RemoteProcedure.NETWORK_DEFINE_XML, RemoteProcedure.STORAGE_POOL_DESTROY,
                RemoteProcedure.STORAGE_VOL_CREATE_XML, RemoteProcedure.STORAGE_VOL_DELETE, RemoteProcedure.INTERFACE_DESTROY,
                RemoteProcedure.INTERFACE_CHANGE_BEGIN, RemoteProcedure.NODE_DEVICE_RESET, RemoteProcedure.NODE_DEVICE_DETACH_FLAGS};
        try (TestDaemon d = new TestDaemon(Files.createDirectories(tmp.resolve("j")));
             RealLibvirtd l = RealLibvirtd.start();
             RawClient ours = RawClient.unix(d.roSocket());
             RawClient theirs = RawClient.unix(l.roSocket())) {
            ours.open("test:///default", 0);
            theirs.open("test:///default", 0);
            for (int p : procs) {
                RemoteError a = RawClient.error(theirs.call(p, domainArgs(p)));
                RemoteError b = RawClient.error(ours.call(p, domainArgs(p)));
                assertEquals(a, b, RemoteProcedure.name(p));
            }
        }
    }
}
