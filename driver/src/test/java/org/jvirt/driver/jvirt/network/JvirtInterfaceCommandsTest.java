package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virsh's interface commands on a running jvirt domain, in a network namespace of the test's
 * own: the virtio-net test guest on a tap enslaved to a bridge (jvirt's emulator). domifstat's
 * counters grow with the host's pings (the guest's rx is what the host sent it), domif-setlink
 * down makes the pings go unanswered and the guest see its link drop, up brings them back,
 * domif-getlink and the live XML show each state while the persistent one stays up,
 * domifaddr --source arp finds the guest's address by its MAC after a ping, and domstats
 * --interface carries the tap's counters.
 */
class JvirtInterfaceCommandsTest {

    private static final Path GUEST = Path.of("..", "test-fixtures", "target", "guests", "virtio-net.elf").toAbsolutePath().normalize();
    private static final String MAC = "52:54:00:12:34:57";

    private static String ok(NetNamespace.Result r) {
        assertEquals(0, r.exit(), r.out());
        return r.out();
    }

    /** Waits up to 90 s for the guest's serial output to say text count times. */
    private static void await(Path serial, String text, int count) throws Exception {
        for (int i = 0; i < 900; i++) {
            if (Files.exists(serial) && Files.readString(serial).split(java.util.regex.Pattern.quote(text), -1).length - 1 >= count) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the guest never printed '" + text + "' " + count + " times: " + (Files.exists(serial) ? Files.readString(serial) : "(no output)"));
    }

    private static void pingable(NetNamespace ns, String addr) throws Exception {
        NetNamespace.Result r = null;
        for (int i = 0; i < 30; i++) {
            r = ns.exec(null, "ping", "-c", "1", "-W", "1", addr);
            if (r.exit() == 0) return;
        }
        throw new AssertionError("no answer from " + addr + ": " + r.out());
    }

    /** domifstat's "DEV field value" lines. */
    private static Map<String, Long> counters(String out) {
        Map<String, Long> m = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split(" ");
            if (f.length == 3) m.put(f[1], Long.parseLong(f[2]));
        }
        return m;
    }

    private static String domain(String ip, String iface, Path serial) {
        return "<domain type='qemu'>\n  <name>g</name>\n  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n"
                + "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + GUEST + "</kernel>\n"
                + "    <cmdline>ip=" + ip + "</cmdline>\n  </os>\n  <devices>\n" + iface
                + "    <serial type='file'>\n      <source path='" + serial + "'/>\n      <target port='0'/>\n    </serial>\n"
                + "  </devices>\n</domain>\n";
    }

    /**
     * domifaddr's default source: the leases dnsmasq gave on the interface's network, matched by
     * MAC. The test guest has no DHCP client, so busybox's udhcpc asks in its name, from a veth
     * port of the network's bridge carrying the guest's MAC: the lease is dnsmasq's own.
     */
    @Test
    void leasesOfTheGuestsNetwork(@TempDir Path dir) throws Exception {
        assumeTrue(NetNamespace.jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        assumeTrue(Files.exists(GUEST), "test guests not built (make -C test-fixtures/guests): skipped");
        for (Path p : List.of(Path.of("/usr/sbin/dnsmasq"), Path.of("/usr/sbin/iptables"), Path.of("/usr/bin/busybox"))) {
            assumeTrue(Files.isExecutable(p), p + " is not installed: skipped");
        }
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        String mac = "52:54:00:12:34:58";
        Path serial = dir.resolve("g.log");
        Files.writeString(dir.resolve("n.xml"), "<network>\n  <name>lan6</name>\n  <bridge name='virbr16'/>\n"
                + "  <ip address='10.0.16.1' netmask='255.255.255.0'>\n    <dhcp>\n"
                + "      <range start='10.0.16.100' end='10.0.16.150'/>\n    </dhcp>\n  </ip>\n</network>\n");
        Files.writeString(dir.resolve("g.xml"), domain("10.0.16.5", "    <interface type='network'>\n      <mac address='" + mac + "'/>\n"
                + "      <source network='lan6'/>\n      <model type='virtio'/>\n    </interface>\n", serial));
        String header = " Name       MAC address          Protocol     Address\n"
                + "-------------------------------------------------------------------------------\n";
        try (NetNamespace ns = NetNamespace.open("ifl")) {
            ok(ns.jvirsh(dir, uri, List.of("net-define", "n.xml")));
            ok(ns.jvirsh(dir, uri, List.of("net-start", "lan6")));
            ok(ns.jvirsh(dir, uri, List.of("define", "g.xml")));
            ok(ns.jvirsh(dir, uri, List.of("start", "g")));
            try {
                await(serial, "virtio-net: ready ip 10.0.16.5", 1);
                assertEquals(header + "\n", ok(ns.jvirsh(dir, uri, List.of("domifaddr", "g"))), "no lease yet");
                ns.sh("ip", "link", "add", "jvl0", "type", "veth", "peer", "name", "jvl1");
                ns.sh("ip", "link", "set", "jvl0", "master", "virbr16", "up");
                ns.sh("ip", "link", "set", "jvl1", "address", mac, "up");
                NetNamespace.Result dhcp = ns.exec(null, "busybox", "udhcpc", "-i", "jvl1", "-n", "-q", "-t", "10", "-T", "1", "-s", "/bin/true");
                assertEquals(0, dhcp.exit(), dhcp.out());
                String leases = ok(ns.jvirsh(dir, uri, List.of("net-dhcp-leases", "lan6", "--mac", mac)));
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("ipv4 +(10\\.0\\.16\\.1[0-5][0-9])/24").matcher(leases);
                assertTrue(m.find(), leases);
                String row = " vnet0      " + mac + "    ipv4         " + m.group(1) + "/24\n";
                assertEquals(header + row + "\n", ok(ns.jvirsh(dir, uri, List.of("domifaddr", "g"))));
                assertEquals(header + row + "\n", ok(ns.jvirsh(dir, uri, List.of("domifaddr", "g", "--source", "lease", "--full", "--interface", "vnet0"))));
                assertEquals(header + "\n", ok(ns.jvirsh(dir, uri, List.of("domifaddr", "g", "--interface", "vnet1"))));
            } finally {
                ns.jvirsh(dir, uri, List.of("destroy", "g"));
                ns.jvirsh(dir, uri, List.of("net-destroy", "lan6"));
            }
        }
    }

    @Test
    void statsLinkAndAddressesOfARunningGuest(@TempDir Path dir) throws Exception {
        assumeTrue(NetNamespace.jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        assumeTrue(Files.exists(GUEST), "test guests not built (make -C test-fixtures/guests): skipped");
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        Path serial = dir.resolve("g.log");
        Files.writeString(dir.resolve("g.xml"), "<domain type='qemu'>\n  <name>g</name>\n  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n"
                + "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + GUEST + "</kernel>\n"
                + "    <cmdline>ip=10.0.6.2</cmdline>\n  </os>\n  <devices>\n"
                + "    <interface type='bridge'>\n      <mac address='" + MAC + "'/>\n      <source bridge='jvbr6'/>\n"
                + "      <model type='virtio'/>\n    </interface>\n"
                + "    <serial type='file'>\n      <source path='" + serial + "'/>\n      <target port='0'/>\n    </serial>\n"
                + "  </devices>\n</domain>\n");
        try (NetNamespace ns = NetNamespace.open("ifc")) {
            ns.sh("ip", "link", "add", "jvbr6", "type", "bridge");
            ns.sh("ip", "addr", "add", "10.0.6.1/24", "dev", "jvbr6");
            ns.sh("ip", "link", "set", "jvbr6", "up");
            ok(ns.jvirsh(dir, uri, List.of("define", "g.xml")));
            ok(ns.jvirsh(dir, uri, List.of("start", "g")));
            try {
                await(serial, "virtio-net: ready ip 10.0.6.2 mac " + MAC + " link up", 1);
                pingable(ns, "10.0.6.2");

                Map<String, Long> before = counters(ok(ns.jvirsh(dir, uri, List.of("domifstat", "g", "vnet0"))));
                assertEquals(List.of("rx_bytes", "rx_packets", "rx_errs", "rx_drop", "tx_bytes", "tx_packets", "tx_errs", "tx_drop").size(), before.size());
                assertEquals(0, ns.exec(null, "ping", "-c", "3", "-i", "0.2", "-W", "2", "10.0.6.2").exit());
                Map<String, Long> after = counters(ok(ns.jvirsh(dir, uri, List.of("domifstat", "g", MAC))));
                assertTrue(after.get("rx_packets") >= before.get("rx_packets") + 3, "the guest received the 3 echo requests: " + before + " " + after);
                assertTrue(after.get("tx_packets") >= before.get("tx_packets") + 3, "the guest sent the 3 replies: " + before + " " + after);
                assertTrue(after.get("rx_bytes") >= before.get("rx_bytes") + 3 * 98, before + " " + after);

                String arp = ok(ns.jvirsh(dir, uri, List.of("domifaddr", "g", "--source", "arp")));
                assertTrue(arp.contains(" vnet0      " + MAC + "    ipv4         10.0.6.2/0\n"), arp);
                assertEquals(" Name       MAC address          Protocol     Address\n"
                        + "-------------------------------------------------------------------------------\n\n",
                        ok(ns.jvirsh(dir, uri, List.of("domifaddr", "g"))), "a bridge interface has no network leases");
                NetNamespace.Result agent = ns.jvirsh(dir, uri, List.of("domifaddr", "g", "--source", "agent"));
                assertEquals("error: Failed to query for interfaces addresses\nerror: argument unsupported: QEMU guest agent is not configured\n\n",
                        agent.out());

                String stats = ok(ns.jvirsh(dir, uri, List.of("domstats", "g", "--interface")));
                assertTrue(stats.contains("  net.count=1\n  net.0.name=vnet0\n  net.0.rx.bytes="), stats);
                assertTrue(stats.contains("  net.0.tx.drop="), stats);

                assertEquals("vnet0 up\n", ok(ns.jvirsh(dir, uri, List.of("domif-getlink", "g", "vnet0"))));
                assertEquals("Device updated successfully\n\n", ok(ns.jvirsh(dir, uri, List.of("domif-setlink", "g", "vnet0", "down"))));
                await(serial, "virtio-net: link down", 1);
                assertNotEquals(0, ns.exec(null, "ping", "-c", "2", "-W", "1", "10.0.6.2").exit(), "no answer while the link is down");
                assertEquals("vnet0 down\n", ok(ns.jvirsh(dir, uri, List.of("domif-getlink", "g", "vnet0"))));
                assertEquals(MAC + " up\n", ok(ns.jvirsh(dir, uri, List.of("domif-getlink", "g", MAC, "--config"))), "the next boot's link is untouched");
                assertTrue(ok(ns.jvirsh(dir, uri, List.of("dumpxml", "g"))).contains("<target dev='vnet0'/>\n      <model type='virtio'/>\n      <link state='down'/>"));

                ok(ns.jvirsh(dir, uri, List.of("domif-setlink", "g", MAC.toUpperCase(), "up")));
                await(serial, "virtio-net: link up", 1);
                pingable(ns, "10.0.6.2");
                assertEquals("vnet0 up\n", ok(ns.jvirsh(dir, uri, List.of("domif-getlink", "g", "vnet0"))));

                NetNamespace.Result bad = ns.jvirsh(dir, uri, List.of("domifstat", "g", "vnet9"));
                assertEquals("error: Failed to get interface stats g vnet9\nerror: invalid argument: 'vnet9' is not a known interface\n\n", bad.out());
            } finally {
                ns.jvirsh(dir, uri, List.of("destroy", "g"));
            }
        }
    }
}
