package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.jvirt.rpc.RemoteProcedure.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.RemoteInterface;
import org.jvirt.rpc.RemoteNetwork;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.RemoteStoragePool;
import org.jvirt.rpc.RemoteStorageVol;
import org.jvirt.rpc.Uuids;
import org.jvirt.rpc.XdrReader;
import org.jvirt.rpc.XdrWriter;
import org.jvirt.rpc.testing.RealLibvirtd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real virsh's network, storage pool/volume, interface and node device commands against
 * jvirtd and against the real libvirtd, both serving libvirt's mock driver (test:///default):
 * each scenario runs in one virsh invocation and must print the same, uuids masked.
 */
class VirshObjectsParityTest {
    @TempDir static Path tmp;
    static TestDaemon jvirtd;
    static RealLibvirtd libvirtd;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Virsh.available(), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(RealLibvirtd.available(), "the real libvirtd (libvirt-daemon) is not installed");
        jvirtd = new TestDaemon(Files.createDirectories(tmp.resolve("jvirtd")));
        libvirtd = RealLibvirtd.start();
    }

    @AfterAll
    static void stop() {
        if (jvirtd != null) jvirtd.close();
        if (libvirtd != null) libvirtd.close();
    }

    private void same(String scenario) throws Exception {
        Virsh.Result ours = Virsh.run("test+tcp://127.0.0.1:" + jvirtd.tcpPort() + "/default", scenario);
        Virsh.Result theirs = Virsh.run("test+tcp://127.0.0.1:" + libvirtd.tcpPort() + "/default", scenario);
        if (System.getenv("OBJS_DEBUG") != null) System.out.println("=== " + scenario + "\n" + ours.out() + "\n--- err\n" + ours.err() + "\n--- exit " + ours.exit());
        assertEquals(VirshParityTest.mask(theirs.out()), VirshParityTest.mask(ours.out()), "stdout of: " + scenario);
        assertEquals(VirshParityTest.mask(theirs.err()), VirshParityTest.mask(ours.err()), "stderr of: " + scenario);
        assertEquals(theirs.exit(), ours.exit(), "exit status of: " + scenario);
    }

    private static Path file(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void networks() throws Exception {
        Path xml = file("net1.xml", "<network><name>net1</name><bridge name='virbr9'/>"
                + "<ip address='192.168.150.1' netmask='255.255.255.0'><dhcp><range start='192.168.150.2' end='192.168.150.254'/></dhcp></ip></network>");
        same("net-list --all; net-info default; net-dumpxml default; net-dumpxml default --inactive; net-dhcp-leases default; "
                + "net-define " + xml + "; net-list --all; net-info net1; net-start net1; net-list --all; net-autostart net1; "
                + "net-info net1; net-autostart net1 --disable; net-list --all --autostart; net-destroy net1; net-list --inactive; "
                + "net-undefine net1; net-list --all --name; net-uuid default; net-name default");
    }

    @Test
    void networkErrors() throws Exception {
        same("net-info nosuch; net-start default; net-dumpxml nosuch; net-destroy nosuch; net-undefine nosuch");
    }

    @Test
    void poolsAndVolumes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("pool1"));
        same("pool-list --all --details; pool-info default-pool; pool-dumpxml default-pool; vol-list default-pool --details; "
                + "pool-define-as pool1 dir --target " + dir + "; pool-list --all; pool-build pool1; pool-start pool1; "
                + "pool-info pool1; pool-autostart pool1; pool-list --all --details; "
                + "vol-create-as pool1 v1 1M; vol-list pool1; vol-info v1 --pool pool1; vol-dumpxml v1 --pool pool1; "
                + "vol-path v1 --pool pool1; vol-key v1 --pool pool1; vol-name " + dir + "/v1; vol-pool " + dir + "/v1; "
                + "vol-info " + dir + "/v1; vol-delete v1 --pool pool1; vol-list pool1; "
                + "pool-destroy pool1; pool-delete pool1; pool-undefine pool1; pool-list --all --name");
    }

    @Test
    void storageErrors() throws Exception {
        same("pool-info nosuch; pool-start default-pool; vol-info nosuch --pool default-pool; vol-delete nosuch --pool default-pool; "
                + "vol-info /no/such/path; pool-undefine nosuch");
    }

    @Test
    void refusedChanges() throws Exception {
        Path net = file("net3.xml", "<network><name>net3</name><bridge name='virbr7'/></network>");
        Path dup = file("default-net.xml", "<network><name>default</name></network>");
        Path eth = file("eth1-dup.xml", "<interface type='ethernet' name='eth1'><mac address='aa:bb:cc:dd:ee:01'/></interface>");
        same("net-define " + net + "; net-define " + net + "; net-list --all --name; net-create " + dup + "; net-define " + dup + "; "
                + "net-autostart nosuch; net-undefine net3; net-undefine net3; "
                + "pool-define-as default-pool dir --target /x; vol-create-as default-pool huge 1000G; vol-create-as default-pool v 1M; "
                + "vol-create-as default-pool v 1M; pool-destroy default-pool; vol-list default-pool; vol-info v --pool default-pool; "
                + "pool-start default-pool; vol-list default-pool; pool-build default-pool; pool-delete default-pool; "
                + "iface-define " + eth + "; iface-list --all; iface-undefine eth1; iface-list --all");
    }

    @Test
    void interfaces() throws Exception {
        Path xml = file("eth9.xml", "<interface type='ethernet' name='eth9'><start mode='onboot'/>"
                + "<mac address='aa:bb:cc:dd:ee:09'/><protocol family='ipv4'><dhcp/></protocol></interface>");
        same("iface-list --all; iface-dumpxml eth1; iface-mac eth1; iface-name 'aa:bb:cc:dd:ee:ff'; "
                + "iface-define " + xml + "; iface-list --all; iface-start eth9; iface-list; iface-destroy eth9; "
                + "iface-list --inactive; iface-undefine eth9; iface-list --all; iface-dumpxml nosuch; iface-start eth1");
    }

    @Test
    void nodeDevices() throws Exception {
        same("nodedev-list --all; nodedev-list --all --tree; nodedev-list --all --cap scsi_host; nodedev-list --all --cap net; "
                + "nodedev-list --all --cap system,scsi_host; nodedev-dumpxml computer; nodedev-dumpxml scsi_host1; "
                + "nodedev-info scsi_host1; nodedev-dumpxml nosuch; nodedev-list; nodedev-detach scsi_host1; nodedev-reattach scsi_host1; "
                + "nodedev-reset scsi_host1; nodedev-autostart scsi_host1; nodedev-start scsi_host1; nodedev-undefine scsi_host1; "
                + "nodedev-list --all --inactive");
    }

    @Test
    void moreStorage() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tmp-pool"));
        same("pool-create-as tmp dir --target " + dir + "; pool-list --all --details; pool-refresh tmp; vol-create-as tmp a 1M; "
                + "vol-clone a b --pool tmp; vol-list tmp --details; vol-resize a 2M --pool tmp; vol-info a --pool tmp; "
                + "vol-wipe a --pool tmp; vol-create-from tmp " + volXml() + " a --inputpool tmp; vol-list tmp; "
                + "pool-capabilities; find-storage-pool-sources logical; pool-autostart tmp; pool-destroy tmp; pool-list --all; "
                + "pool-undefine default-pool; pool-destroy default-pool; pool-undefine default-pool; pool-list --all");
    }

    private static Path volXml() throws Exception {
        return file("c.xml", "<volume><name>c</name><capacity unit='M'>1</capacity></volume>");
    }

    @Test
    void moreNetworksAndInterfaces() throws Exception {
        Path net = file("net2.xml", "<network><name>net2</name><bridge name='virbr8'/></network>");
        Path eth = file("eth8.xml", "<interface type='ethernet' name='eth8'><mac address='aa:bb:cc:dd:ee:08'/></interface>");
        same("net-create " + net + "; net-list --all; net-info net2; net-destroy net2; net-list --all; net-autostart default; "
                + "net-list --autostart; net-destroy default; net-start default; net-undefine default; net-list --all; "
                + "iface-begin; iface-define " + eth + "; iface-commit; iface-list --all; iface-begin; iface-undefine eth8; "
                + "iface-rollback; iface-list --all; iface-name aa:bb:cc:dd:ee:08; iface-mac eth8; iface-destroy eth1; iface-list --all");
    }

    /** Raw arguments: a String as remote_nonnull_string, an Integer as int, NONE as an absent remote_string. */
    private static XdrWriter args(Object... parts) {
        XdrWriter w = new XdrWriter();
        for (Object p : parts) {
            if (p == NONE) w.writeOptionalString(null);
            else if (p instanceof String str) w.writeString(str);
            else if (p instanceof Integer i) w.writeInt(i);
            else ((java.util.function.Consumer<XdrWriter>) p).accept(w);
        }
        return w;
    }

    private static final Object NONE = new Object();

    /**
     * What virsh cannot show against this libvirtd (its nodedev-list passes filter flags the
     * mock driver refuses) and the old list/count calls: raw replies, byte for byte.
     * Known differences left out: jvirt's test driver answers virNodeDeviceIsActive/IsPersistent
     * (libvirt 9.0's has no such entries; virsh prints "yes" either way); its SPI names a
     * virNodeDeviceDetachFlags without a driver name virNodeDeviceDettach in its "not supported"
     * error; virStoragePoolNumOfVolumes of a missing pool reports it by uuid (jvirt counts through
     * ListAllVolumes, which libvirt's test driver resolves by uuid, NumOfVolumes by name).
     */
    @Test
    void rawRepliesOfListsAndLookups() throws Exception {
        java.util.function.Consumer<XdrWriter> net = w -> new RemoteNetwork("default", Uuids.parse("dd8fe884-6c02-601e-7551-cca97df1c5df")).encode(w);
        java.util.function.Consumer<XdrWriter> noNet = w -> new RemoteNetwork("nosuch", new byte[16]).encode(w);
        java.util.function.Consumer<XdrWriter> pool = w -> new RemoteStoragePool("default-pool", Uuids.parse("dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566")).encode(w);
        java.util.function.Consumer<XdrWriter> noPool = w -> new RemoteStoragePool("nosuch", new byte[16]).encode(w);
        java.util.function.Consumer<XdrWriter> noVol = w -> new RemoteStorageVol("default-pool", "nosuch", "/default-pool/nosuch").encode(w);
        java.util.function.Consumer<XdrWriter> noIface = w -> new RemoteInterface("nosuch", "00:00:00:00:00:01").encode(w);
        Object[][] calls = {
            {CONNECT_LIST_ALL_NODE_DEVICES, args(1, 0)}, {CONNECT_LIST_ALL_NODE_DEVICES, args(0, 0)},
            {NODE_NUM_OF_DEVICES, args(NONE, 0)}, {NODE_NUM_OF_DEVICES, args(w(o -> o.writeOptionalString("scsi_host")), 0)},
            {NODE_LIST_DEVICES, args(NONE, 100, 0)}, {NODE_LIST_DEVICES, args(NONE, 70000, 0)},
            {NODE_DEVICE_GET_PARENT, args("scsi_host1")}, {NODE_DEVICE_GET_PARENT, args("computer")}, {NODE_DEVICE_GET_PARENT, args("nosuch")},
            {NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN, args("2000000012341234", "1000000012341234", 0)},
            {NODE_DEVICE_LOOKUP_BY_NAME, args("scsi_host1")}, {NETWORK_LOOKUP_BY_NAME, args("nosuch")}, {STORAGE_POOL_LOOKUP_BY_NAME, args("nosuch")},
            {INTERFACE_LOOKUP_BY_NAME, args("nosuch")}, {STORAGE_VOL_LOOKUP_BY_NAME, args(pool, "nosuch")}, {NODE_DEVICE_GET_XML_DESC, args("nosuch", 0)},
            {CONNECT_NUM_OF_NETWORKS, args()}, {CONNECT_LIST_NETWORKS, args(100)}, {CONNECT_LIST_DEFINED_NETWORKS, args(100)},
            {CONNECT_LIST_NETWORKS, args(20000)}, {CONNECT_LIST_ALL_NETWORKS, args(1, 0)},
            {NETWORK_LOOKUP_BY_UUID, args(w(o -> o.writeFixedOpaque(Uuids.parse("dd8fe884-6c02-601e-7551-cca97df1c5df"), 0, 16)))},
            {NETWORK_GET_BRIDGE_NAME, args(net)}, {NETWORK_GET_BRIDGE_NAME, args(noNet)}, {NETWORK_IS_ACTIVE, args(noNet)},
            {NETWORK_GET_XML_DESC, args(net, 0)}, {NETWORK_GET_DHCP_LEASES, args(net, NONE, 1, 0)},
            {CONNECT_NUM_OF_STORAGE_POOLS, args()}, {CONNECT_LIST_STORAGE_POOLS, args(100)}, {CONNECT_LIST_ALL_STORAGE_POOLS, args(1, 0)},
            {STORAGE_POOL_GET_INFO, args(pool)}, {STORAGE_POOL_NUM_OF_VOLUMES, args(pool)}, {STORAGE_POOL_LIST_VOLUMES, args(pool, 100)},
            {STORAGE_POOL_LIST_ALL_VOLUMES, args(pool, 1, 0)}, {STORAGE_VOL_LOOKUP_BY_KEY, args("nosuch")},
            {STORAGE_POOL_LOOKUP_BY_UUID, args(w(o -> o.writeFixedOpaque(Uuids.parse("dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566"), 0, 16)))},
            {CONNECT_FIND_STORAGE_POOL_SOURCES, args("logical", NONE, 0)},
            {CONNECT_NUM_OF_INTERFACES, args()}, {CONNECT_LIST_INTERFACES, args(100)}, {CONNECT_NUM_OF_DEFINED_INTERFACES, args()},
            {CONNECT_LIST_DEFINED_INTERFACES, args(100)}, {CONNECT_LIST_ALL_INTERFACES, args(1, 0)},
            {INTERFACE_LOOKUP_BY_MAC_STRING, args("aa:bb:cc:dd:ee:ff")}, {INTERFACE_LOOKUP_BY_MAC_STRING, args("00:00:00:00:00:01")},
            {NETWORK_CREATE, args(noNet)}, {NETWORK_DESTROY, args(noNet)}, {NETWORK_GET_XML_DESC, args(noNet, 0)},
            {NETWORK_GET_AUTOSTART, args(noNet)}, {NETWORK_IS_PERSISTENT, args(noNet)}, {NETWORK_UNDEFINE, args(noNet)},
            {STORAGE_POOL_GET_INFO, args(noPool)}, {STORAGE_POOL_IS_ACTIVE, args(noPool)}, {STORAGE_POOL_GET_XML_DESC, args(noPool, 0)},
            {STORAGE_POOL_CREATE, args(noPool, 0)}, {STORAGE_POOL_LIST_ALL_VOLUMES, args(noPool, 1, 0)},
            {STORAGE_POOL_GET_AUTOSTART, args(noPool)},
            {STORAGE_VOL_GET_INFO, args(noVol)}, {STORAGE_VOL_GET_PATH, args(noVol)}, {STORAGE_VOL_GET_XML_DESC, args(noVol, 0)},
            {STORAGE_VOL_DELETE, args(noVol, 0)}, {STORAGE_POOL_LOOKUP_BY_VOLUME, args(noVol)},
            {INTERFACE_GET_XML_DESC, args(noIface, 0)}, {INTERFACE_IS_ACTIVE, args(noIface)}, {INTERFACE_CREATE, args(noIface, 0)},
            {NODE_DEVICE_RESET, args("nosuch")}, {NODE_DEVICE_RESET, args("computer")},
            {NODE_DEVICE_DETTACH, args("nosuch")}, {NODE_DEVICE_DETTACH, args("scsi_host1")}, {NODE_DEVICE_RE_ATTACH, args("nosuch")},
            {NODE_DEVICE_UNDEFINE, args("nosuch", 0)}, {NODE_DEVICE_UNDEFINE, args("scsi_host1", 0)}, {NODE_DEVICE_CREATE, args("nosuch", 0)},
            {NODE_DEVICE_GET_AUTOSTART, args("nosuch")}, {NODE_DEVICE_GET_AUTOSTART, args("computer")}, {NODE_DEVICE_SET_AUTOSTART, args("computer", 1)},
            {INTERFACE_IS_ACTIVE, args(w(o -> new RemoteInterface("eth1", "x").encode(o)))},
        };
        java.util.List<String> differences = new java.util.ArrayList<>();
        try (RawClient ours = RawClient.tcp(jvirtd.tcpPort()); RawClient theirs = RawClient.tcp(libvirtd.tcpPort())) {
            ours.open("test:///default", 0);
            theirs.open("test:///default", 0);
            for (Object[] call : calls) {
                int proc = (Integer) call[0];
                String a = reply(theirs.call(proc, (XdrWriter) call[1]));
                String b = reply(ours.call(proc, (XdrWriter) call[1]));
                if (!a.equals(b)) differences.add(RemoteProcedure.name(proc) + ": libvirtd " + a + ", jvirtd " + b);
            }
        }
        assertEquals("", String.join("\n", differences));
    }

    /** A reply as text: the error, or the payload (a node device list's names sorted). */
    private static String reply(Frame f) throws Exception {
        if (f.header().status() != MessageType.STATUS_OK) return "error " + RawClient.error(f);
        if (f.header().procedure() == CONNECT_LIST_ALL_NODE_DEVICES || f.header().procedure() == NODE_LIST_DEVICES) return unorderedNames(f);
        return HexFormat.of().formatHex(f.payload());
    }

    /**
     * A node device list answer (names, then anything after them) with the names sorted:
     * libvirt lists node devices in its hash table's order, which nothing promises (virsh sorts them).
     */
    private static String unorderedNames(Frame f) throws Exception {
        XdrReader r = f.reader();
        int n = r.readInt();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) names.add(r.readString("name"));
        java.util.Collections.sort(names);
        StringBuilder rest = new StringBuilder();
        while (r.remaining() > 0) rest.append(r.readInt()).append(' ');
        return names + " " + rest;
    }

    private static java.util.function.Consumer<XdrWriter> w(java.util.function.Consumer<XdrWriter> c) {
        return c;
    }
}
