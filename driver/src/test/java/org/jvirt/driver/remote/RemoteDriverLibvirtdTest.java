package org.jvirt.driver.remote;

import org.jvirt.rpc.testing.RealLibvirtd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainEvent;
import org.jvirt.driver.api.DomainInfo;
import org.jvirt.driver.api.DomainSnapshot;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NodeInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jvirt's API over the remote driver against the real libvirtd (its test:///default), compared
 * with the same calls through jvirt's local test:///default driver where both should agree.
 */
class RemoteDriverLibvirtdTest {
    private static RealLibvirtd daemon;

    /** A domain of our own, so that tests changing it leave libvirtd's "test" alone. */
    private static final String XML = """
            <domain type='test'>
              <name>remote-demo</name>
              <uuid>2f1c7a52-8c2d-4f4b-9a58-7f0d3b1f2a61</uuid>
              <memory unit='KiB'>262144</memory>
              <currentMemory unit='KiB'>262144</currentMemory>
              <vcpu placement='static'>2</vcpu>
              <os>
                <type arch='x86_64' machine='pc'>hvm</type>
                <boot dev='hd'/>
              </os>
            </domain>
            """;

    @BeforeAll
    static void startDaemon() throws Exception {
        assumeTrue(RealLibvirtd.available(), RealLibvirtd.MISSING);
        // the daemon pings an idle client every second and drops it after 2 unanswered PINGs
        daemon = RealLibvirtd.start("keepalive_interval = 1", "keepalive_count = 2");
    }

    @AfterAll
    static void stopDaemon() {
        if (daemon != null) daemon.close();
    }

    private static List<String> names(Domain[] doms) {
        List<String> out = new ArrayList<>();
        for (Domain d : doms) out.add(d.getName() + "/" + d.getUUIDString() + "/" + safeId(d));
        return out;
    }

    private static int safeId(Domain d) {
        try {
            return d.getID();
        } catch (LibvirtException e) {
            return -2;
        }
    }

    @Test
    void hostAndListingAgreeWithTheLocalTestDriver() throws Exception {
        Connect remote = new Connect(daemon.tcpUri("test", "/default"));
        Connect local = new Connect("test:///default");
        try {
            assertEquals(daemon.tcpUri("test", "/default"), remote.getURI());
            assertEquals(local.getType(), remote.getType());
            assertEquals(local.getHostName(), remote.getHostName());
            NodeInfo rn = remote.nodeInfo();
            NodeInfo ln = local.nodeInfo();
            assertEquals(ln.model, rn.model);
            assertEquals(ln.memory, rn.memory);
            assertEquals(ln.cpus, rn.cpus);
            assertEquals(ln.mhz, rn.mhz);
            assertEquals(ln.sockets + "/" + ln.cores + "/" + ln.threads, rn.sockets + "/" + rn.cores + "/" + rn.threads);
            int all = Flags.ListAllDomains.ACTIVE | Flags.ListAllDomains.INACTIVE;
            assertEquals(names(local.listAllDomains(all)), names(remote.listAllDomains(all)));
            Domain r = remote.domainLookupByName("test");
            Domain l = local.domainLookupByName("test");
            assertEquals(l.getUUIDString(), r.getUUIDString());
            assertEquals(l.getOSType(), r.getOSType());
            DomainInfo ri = r.getInfo();
            DomainInfo li = l.getInfo();
            assertEquals(li.state + " " + li.maxMem + " " + li.memory + " " + li.nrVirtCpu,
                    ri.state + " " + ri.maxMem + " " + ri.memory + " " + ri.nrVirtCpu);
            assertEquals(l.getState(), r.getState());
            assertEquals(l.isPersistent(), r.isPersistent());
            assertEquals(l.getAutostart(), r.getAutostart());
            assertEquals(l.getXMLDesc(0), r.getXMLDesc(0));
            assertEquals(r.getName(), remote.domainLookupByUUIDString(r.getUUIDString()).getName());
            assertEquals("test", remote.domainLookupByID(r.getID()).getName());
            assertTrue(remote.getCapabilities().contains("<capabilities>"));
            LibvirtException rerr = assertThrows(LibvirtException.class, () -> remote.domainLookupByName("nosuch"));
            LibvirtException lerr = assertThrows(LibvirtException.class, () -> local.domainLookupByName("nosuch"));
            assertEquals(lerr.getMessage(), rerr.getMessage());
            assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN, rerr.code());
        } finally {
            remote.close();
            local.close();
        }
    }

    @Test
    void lifecycleOverTheUnixSocket() throws Exception {
        Connect c = new Connect(daemon.unixUri("test", "/default"));
        try {
            Domain d = c.domainDefineXML(XML);
            assertEquals(-1, d.getID());
            assertEquals(0, d.isActive());
            assertEquals(1, d.isPersistent());
            d.create();
            assertTrue(d.getID() > 0, "a started domain has an id");
            assertEquals(DomainInfo.DomainState.VIR_DOMAIN_RUNNING, d.getState().state());
            d.suspend();
            assertEquals(DomainInfo.DomainState.VIR_DOMAIN_PAUSED, d.getState().state());
            assertEquals(1, d.getState().reason(), "paused (user)");
            d.resume();
            assertEquals(DomainInfo.DomainState.VIR_DOMAIN_RUNNING, d.getState().state());
            assertEquals(5, d.getState().reason(), "running (unpaused)");
            d.setMemory(131072);
            assertEquals(131072, d.getInfo().memory);
            assertEquals(2, d.getVcpusFlags(0));
            assertTrue(d.getXMLDesc(0).contains("<name>remote-demo</name>"));
            d.setMetadata(Flags.Metadata.TITLE, "A title", null, null, Flags.Affect.LIVE);
            assertEquals("A title", d.getMetadata(Flags.Metadata.TITLE, null, Flags.Affect.LIVE));
            d.destroy();
            assertEquals(-1, d.getID());
            assertEquals(DomainInfo.DomainState.VIR_DOMAIN_SHUTOFF, d.getState().state());
            d.undefine();
            LibvirtException gone = assertThrows(LibvirtException.class, () -> c.domainLookupByName("remote-demo"));
            assertEquals("Domain not found", gone.getMessage(), "libvirtd's test driver says no more");
            assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN, gone.code());
        } finally {
            c.close();
        }
    }

    @Test
    void snapshotsAsTheLocalTestDriverHasThem() throws Exception {
        Connect remote = new Connect(daemon.tcpUri("test", "/default"));
        try {
            Domain d = remote.domainDefineXML(XML.replace("remote-demo", "remote-snap").replace("2f1c7a52", "3f1c7a52"));
            try {
                assertFalse(d.hasCurrentSnapshot());
                DomainSnapshot s1 = d.snapshotCreateXML("<domainsnapshot><name>s1</name></domainsnapshot>");
                DomainSnapshot s2 = d.snapshotCreateXML("<domainsnapshot><name>s2</name></domainsnapshot>");
                assertEquals(List.of("s1", "s2"), sorted(d.snapshotListNames()));
                assertTrue(d.hasCurrentSnapshot());
                assertEquals("s2", d.snapshotCurrent().getName());
                assertTrue(s2.isCurrent());
                assertFalse(s1.isCurrent());
                assertEquals("s1", s2.getParentName());
                assertNull(s1.getParentName());
                assertEquals(List.of("s2"), Arrays.asList(s1.listChildrenNames(0)));
                assertTrue(d.snapshotLookupByName("s1").getXMLDesc().contains("<name>s1</name>"));
                d.revertToSnapshot(s1);
                assertEquals("s1", d.snapshotCurrent().getName());
                s2.delete(0);
                assertEquals(List.of("s1"), sorted(d.snapshotListNames()));
                LibvirtException none = assertThrows(LibvirtException.class, () -> d.snapshotLookupByName("s2"));
                assertEquals(ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT, none.code());
            } finally {
                d.undefine(Flags.Undefine.SNAPSHOTS_METADATA);
            }
        } finally {
            remote.close();
        }
    }

    private static List<String> sorted(String[] names) {
        List<String> out = new ArrayList<>(Arrays.asList(names));
        out.sort(null);
        return out;
    }

    /** Runs the same steps on both connections and gives what each saw, step by step. */
    private static List<String> saveSteps(Connect c, String xml, java.nio.file.Path image) throws Exception {
        List<String> seen = new ArrayList<>();
        Domain d = c.domainDefineXML(xml);
        try {
            d.create();
            d.save(image.toString());
            seen.add("after save: " + d.getState() + " id " + d.getID());
            c.restore(image.toString());
            Domain back = c.domainLookupByName(d.getName());
            seen.add("after restore: " + back.getState() + " active " + back.isActive());
            seen.add("save image xml names it: " + c.saveImageGetXMLDesc(image.toString(), 0).contains("<name>" + d.getName() + "</name>"));
            back.managedSave();
            seen.add("after managed save: " + back.getState() + " image " + back.hasManagedSaveImage());
            back.create();
            seen.add("after start: " + back.getState() + " image " + back.hasManagedSaveImage());
            seen.add("job: " + message(() -> back.getJobStats(0)));
            seen.add("suspend twice: " + message(() -> {
                back.suspend();
                back.suspend();
                return null;
            }));
            back.destroy();
        } finally {
            d.undefine(Flags.Undefine.MANAGED_SAVE);
        }
        return seen;
    }

    private interface Step {
        Object run() throws LibvirtException;
    }

    private static String message(Step s) {
        try {
            return "ok " + s.run();
        } catch (LibvirtException e) {
            return e.code() + " " + e.getMessage();
        }
    }

    @Test
    void saveRestoreManagedSaveAndErrorsAgreeWithTheLocalTestDriver(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String xml = XML.replace("remote-demo", "remote-save").replace("2f1c7a52", "4f1c7a52");
        Connect remote = new Connect(daemon.tcpUri("test", "/default"));
        Connect local = new Connect("test:///default");
        try {
            List<String> theirs = saveSteps(remote, xml, dir.resolve("remote.img"));
            assertEquals(saveSteps(local, xml, dir.resolve("local.img")), theirs);
            assertTrue(theirs.get(0).contains("SHUTOFF"), theirs.toString());
        } finally {
            remote.close();
            local.close();
        }
    }

    /** Screenshot (procedure 211, its download stream) and send-key (226) through the real libvirtd, as the local test driver answers. */
    private static List<String> displaySteps(Connect c) throws Exception {
        List<String> seen = new ArrayList<>();
        org.jvirt.driver.api.Domain d = c.domainLookupByName("test");
        org.jvirt.driver.api.Stream st = c.streamNew(0);
        String mime = d.screenshot(st, 0);
        byte[] image = st.getInputStream().readAllBytes();
        st.finish();
        seen.add(mime + " " + java.util.Arrays.equals(image, java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("/usr/share/libvirt/test-screenshot.png"))));
        d.sendKey(0, 10, new int[] {29, 56, 111}, 0);
        seen.add("sent");
        seen.add(message(() -> { d.sendKey(2, 0, new int[] {30, 1000}, 0); return "sent"; }));
        seen.add(message(() -> { d.sendKey(0, 0, new int[0], 0); return "sent"; }));
        seen.add(message(() -> d.screenshot(c.streamNew(0), 0, 1)));
        return seen;
    }

    @Test
    void screenshotAndSendKeyAgreeWithTheLocalTestDriver() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/usr/share/libvirt/test-screenshot.png")),
                "libvirt's test-screenshot.png is not installed");
        Connect remote = new Connect(daemon.tcpUri("test", "/default"));
        Connect local = new Connect("test:///default");
        try {
            List<String> theirs = displaySteps(remote);
            assertEquals(displaySteps(local), theirs);
            assertEquals("image/png true", theirs.get(0));
        } finally {
            remote.close();
            local.close();
        }
    }

    @Test
    void aReadOnlyConnectionIsRefusedChangesByTheDaemon() throws Exception {
        String uri = daemon.unixUri("test", "/default");
        org.jvirt.driver.spi.DriverConnection ro = new RemoteDriver().open(java.net.URI.create(uri), true);
        try {
            assertEquals("test", ro.lookupByName("test").name());
            LibvirtException e = assertThrows(LibvirtException.class, () -> ro.defineXML(XML, 0));
            assertEquals(ErrorNumber.VIR_ERR_OPERATION_DENIED, e.code());
            assertEquals("operation forbidden: read only access prevents virDomainDefineXMLFlags", e.getMessage());
        } finally {
            ro.close();
        }
    }

    private static List<String> networkSteps(Connect c) throws Exception {
        List<String> seen = new ArrayList<>();
        for (org.jvirt.driver.api.Network n : c.listAllNetworks(0)) {
            seen.add(n.getName() + " " + n.getUUIDString() + " active " + n.isActive() + " bridge " + n.getBridgeName());
        }
        org.jvirt.driver.api.Network n = c.networkDefineXML("""
                <network>
                  <name>remote-net</name>
                  <uuid>5a3f6b1e-2c44-4a6e-9d0e-3f1b2c4d5e6f</uuid>
                  <bridge name='virbr9'/>
                  <ip address='192.168.199.1' netmask='255.255.255.0'/>
                </network>
                """);
        seen.add("defined, active " + n.isActive() + " persistent " + n.isPersistent() + " counts " + c.numOfNetworks() + "/" + c.numOfDefinedNetworks());
        n.create();
        n.setAutostart(true);
        seen.add("started, active " + n.isActive() + " autostart " + n.getAutostart());
        seen.add(c.networkLookupByUUIDString(n.getUUIDString()).getXMLDesc(0));
        n.destroy();
        n.undefine();
        seen.add("gone: " + message(() -> c.networkLookupByName("remote-net")));
        return seen;
    }

    @Test
    void networksAgreeWithTheLocalTestDriver() throws Exception {
        Connect remote = new Connect(daemon.tcpUri("test", "/default"));
        Connect local = new Connect("test:///default");
        try {
            List<String> theirs = networkSteps(remote);
            assertEquals(networkSteps(local), theirs);
            assertTrue(theirs.get(0).startsWith("default "), theirs.toString());
        } finally {
            remote.close();
            local.close();
        }
    }

    private static List<String> storageAndHostSteps(Connect c) throws Exception {
        List<String> seen = new ArrayList<>();
        org.jvirt.driver.api.StoragePool pool = c.storagePoolLookupByName("default-pool");
        org.jvirt.driver.api.StoragePoolInfo info = pool.getInfo();
        seen.add(pool.getName() + " " + pool.getUUIDString() + " " + info.state + " " + info.capacity + " " + info.allocation);
        org.jvirt.driver.api.StorageVol v = pool.storageVolCreateXML(
                "<volume><name>r.img</name><capacity unit='M'>8</capacity></volume>", 0);
        seen.add(v.getName() + " " + v.getKey() + " " + v.getPath() + " " + v.getInfo().capacity);
        seen.add("by path: " + c.storageVolLookupByPath(v.getPath()).getName() + ", pools " + c.numOfStoragePools());
        v.delete(0);
        seen.add("after delete: " + pool.listVolumes().length);
        for (org.jvirt.driver.api.Interface i : c.listAllInterfaces(0)) seen.add(i.getName() + " " + i.getMACString() + " " + i.isActive());
        seen.add(c.interfaceLookupByName("eth1").getXMLDescription(0));
        seen.add(c.deviceLookupByName("scsi_host1").getXMLDescription() + " parent " + c.deviceLookupByName("scsi_host1").getParent());
        return seen;
    }

    @Test
    void storageInterfacesAndNodeDevicesAgreeWithTheLocalTestDriver() throws Exception {
        Connect remote = new Connect(daemon.tcpUri("test", "/default"));
        Connect local = new Connect("test:///default");
        try {
            assertEquals(storageAndHostSteps(local), storageAndHostSteps(remote));
        } finally {
            remote.close();
            local.close();
        }
    }

    @Test
    void anEventArrivesWhenAnotherConnectionSuspendsADomain() throws Exception {
        Connect watcher = new Connect(daemon.tcpUri("test", "/default"));
        Connect actor = new Connect(daemon.unixUri("test", "/default"));
        try {
            LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
            watcher.addLifecycleListener((dom, ev) -> {
                seen.add(dom.getName() + " " + ev.type() + " " + ev.detail());
                return 0;
            });
            Domain test = actor.domainLookupByName("test");
            test.suspend();
            try {
                assertEquals("test SUSPENDED 0", seen.poll(10, TimeUnit.SECONDS));
            } finally {
                test.resume();
            }
            assertEquals("test RESUMED 0", seen.poll(10, TimeUnit.SECONDS));
        } finally {
            watcher.close();
            actor.close();
        }
    }

    @Test
    void theTestDriverHasNoConsole() throws Exception {
        Connect c = new Connect(daemon.tcpUri("test", "/default"));
        try {
            Domain d = c.domainLookupByName("test");
            LibvirtException e = assertThrows(LibvirtException.class, () -> d.openConsole(null));
            assertEquals(ErrorNumber.VIR_ERR_NO_SUPPORT, e.code());
            assertEquals("this function is not supported by the connection driver: virDomainOpenConsole", e.getMessage());
            assertEquals("test", c.domainLookupByName("test").getName(), "the connection goes on after the refused stream");
        } finally {
            c.close();
        }
    }

    @Test
    void callsFromManyThreadsGetTheirOwnReplies() throws Exception {
        Connect c = new Connect(daemon.tcpUri("test", "/default"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            String xml = c.domainLookupByName("test").getXMLDesc(0);
            String host = c.getHostName();
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int which = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        boolean ok = which % 2 == 0 ? c.domainLookupByName("test").getXMLDesc(0).equals(xml) : c.getHostName().equals(host);
                        if (!ok) return false;
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) assertTrue(f.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
            c.close();
        }
    }

    @Test
    void theDaemonsKeepalivePingsAreAnswered() throws Exception {
        Connect c = new Connect(daemon.tcpUri("test", "/default"));
        try {
            // libvirtd here pings after 1 s idle and drops a client after 2 unanswered PINGs
            Thread.sleep(4500);
            assertEquals("test", c.domainLookupByName("test").getName());
        } finally {
            c.close();
        }
    }

    @Test
    void aDaemonThatGoesAwayFailsTheCallsAsLibvirtSays() throws Exception {
        RealLibvirtd own = RealLibvirtd.start();
        Connect c;
        try {
            c = new Connect(own.tcpUri("test", "/default"));
            assertEquals("test", c.domainLookupByName("test").getName());
        } finally {
            own.close();
        }
        LibvirtException e = assertThrows(LibvirtException.class, () -> c.domainLookupByName("test"));
        assertEquals(ErrorNumber.VIR_ERR_SYSTEM_ERROR, e.code());
        assertEquals("End of file while reading data: Input/output error", e.getMessage());
        assertEquals(0, c.close(), "closing a broken connection does not fail");
    }

    @Test
    void unreachableDaemonsAreReportedAsLibvirtReportsThem() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        LibvirtException tcp = assertThrows(LibvirtException.class, () -> new Connect("test+tcp://127.0.0.1:" + closedPort + "/default"));
        assertEquals("unable to connect to server at '127.0.0.1:" + closedPort + "': Connection refused", tcp.getMessage());
        LibvirtException unix = assertThrows(LibvirtException.class, () -> new Connect("qemu+unix:///system?socket=/nonexistent/libvirt-sock"));
        assertEquals("Failed to connect socket to '/nonexistent/libvirt-sock': No such file or directory", unix.getMessage());
        assertEquals(ErrorNumber.VIR_ERR_SYSTEM_ERROR, unix.code());
    }
}
