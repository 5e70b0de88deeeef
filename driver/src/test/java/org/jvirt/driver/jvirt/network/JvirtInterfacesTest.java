package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Domains with {@code <interface>}s on a jvirt URI, in network namespaces of the test's own:
 * the virtio-net test guest (test-fixtures/guests/virtio-net.c: answers ARP and ICMP echo, and
 * pings a peer) on a tap enslaved to a bridge, its link down as configured until domif-setlink
 * brings it up, answers the host's pings; two guests on one jvirt
 * network reach each other; the live XML names the taps (vnetN) and the network's bridge, and
 * destroy takes the taps away; a network that is missing or inactive stops the start with
 * libvirt's words. The guests run on jvirt's emulator ({@code <domain type='qemu'>}).
 */
class JvirtInterfacesTest {

    private static final Path GUEST = Path.of("..", "test-fixtures", "target", "guests", "virtio-net.elf").toAbsolutePath().normalize();

    private static void skipUnlessPossible() {
        assumeTrue(NetNamespace.jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        assumeTrue(Files.exists(GUEST), "test guests not built (make -C test-fixtures/guests): skipped");
    }

    private static String domain(String name, String cmdline, String iface, Path serial) {
        return "<domain type='qemu'>\n  <name>" + name + "</name>\n  <memory unit='MiB'>64</memory>\n  <vcpu>1</vcpu>\n"
                + "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + GUEST + "</kernel>\n"
                + "    <cmdline>" + cmdline + "</cmdline>\n  </os>\n  <devices>\n" + iface
                + "    <serial type='file'>\n      <source path='" + serial + "'/>\n      <target port='0'/>\n    </serial>\n"
                + "  </devices>\n</domain>\n";
    }

    private static String ok(NetNamespace.Result r) {
        assertEquals(0, r.exit(), r.out());
        return r.out();
    }

    /** Waits up to 90 s (the emulator on a busy machine) for text in the guest's serial file. */
    private static void await(Path serial, String text) throws Exception {
        for (int i = 0; i < 900; i++) {
            if (Files.exists(serial) && Files.readString(serial).contains(text)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the guest never printed '" + text + "': " + (Files.exists(serial) ? Files.readString(serial) : "(no output)"));
    }

    /** Pings addr from inside ns until it answers (the bridge's port may still be learning), at most 30 s. */
    private static void pingable(NetNamespace ns, String addr) throws Exception {
        NetNamespace.Result r = null;
        for (int i = 0; i < 30; i++) {
            r = ns.exec(null, "ping", "-c", "1", "-W", "1", addr);
            if (r.exit() == 0) return;
        }
        throw new AssertionError("no answer from " + addr + ": " + r.out());
    }

    @Test
    void aGuestOnABridgeAnswersPingsAndItsTapGoesWithIt(@TempDir Path dir) throws Exception {
        skipUnlessPossible();
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        Path serial = dir.resolve("g.log");
        Files.writeString(dir.resolve("g.xml"), domain("g", "ip=10.0.7.2",
                "    <interface type='bridge'>\n      <mac address='52:54:00:12:34:56'/>\n      <source bridge='jvbr0'/>\n"
                        + "      <model type='virtio'/>\n      <link state='down'/>\n    </interface>\n", serial));
        try (NetNamespace ns = NetNamespace.open("if")) {
            ns.sh("ip", "link", "add", "jvbr0", "type", "bridge");
            ns.sh("ip", "addr", "add", "10.0.7.1/24", "dev", "jvbr0");
            ns.sh("ip", "link", "set", "jvbr0", "up");
            ok(ns.jvirsh(dir, uri, List.of("define", "g.xml")));
            ok(ns.jvirsh(dir, uri, List.of("start", "g")));
            await(serial, "virtio-net: ready ip 10.0.7.2 mac 52:54:00:12:34:56 link down"); // as configured, from its first look
            assertNotEquals(0, ns.exec(null, "ping", "-c", "1", "-W", "1", "10.0.7.2").exit(), "no answer while the link is down");
            ok(ns.jvirsh(dir, uri, List.of("domif-setlink", "g", "vnet0", "up")));
            await(serial, "virtio-net: link up");
            String xml = ok(ns.jvirsh(dir, uri, List.of("dumpxml", "g")));
            assertTrue(xml.contains("<source bridge='jvbr0'/>\n      <target dev='vnet0'/>"), xml);
            assertTrue(ns.sh("ip", "-d", "link", "show", "vnet0").contains("master jvbr0"), "the tap is a port of the bridge");
            assertTrue(!ok(ns.jvirsh(dir, uri, List.of("dumpxml", "g", "--inactive"))).contains("vnet0"), "the tap name is the run's only");
            pingable(ns, "10.0.7.2");
            ok(ns.jvirsh(dir, uri, List.of("destroy", "g")));
            assertNotEquals(0, ns.exec(null, "ip", "link", "show", "vnet0").exit(), "the tap went with its VMM");
        }
    }

    @Test
    void twoGuestsOnOneNetworkReachEachOther(@TempDir Path dir) throws Exception {
        skipUnlessPossible();
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/iptables")), "iptables is not installed: skipped");
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        Files.writeString(dir.resolve("n.xml"), "<network>\n  <name>lan</name>\n  <bridge name='virbr7'/>\n"
                + "  <ip address='10.0.8.1' netmask='255.255.255.0'/>\n</network>\n");
        Path a = dir.resolve("a.log"), b = dir.resolve("b.log");
        String iface = "    <interface type='network'>\n      <source network='lan'/>\n    </interface>\n";
        Files.writeString(dir.resolve("a.xml"), domain("a", "ip=10.0.8.2", iface, a));
        Files.writeString(dir.resolve("b.xml"), domain("b", "ip=10.0.8.3 peer=10.0.8.2", iface, b));
        try (NetNamespace ns = NetNamespace.open("nw")) {
            ok(ns.jvirsh(dir, uri, List.of("net-define", "n.xml")));
            ok(ns.jvirsh(dir, uri, List.of("define", "a.xml")));
            NetNamespace.Result inactive = ns.jvirsh(dir, uri, List.of("start", "a"));
            assertEquals("error: Failed to start domain 'a'\nerror: Requested operation is not valid: network 'lan' is not active\n\n",
                    inactive.out());
            ok(ns.jvirsh(dir, uri, List.of("net-start", "lan")));
            ok(ns.jvirsh(dir, uri, List.of("start", "a")));
            ok(ns.jvirsh(dir, uri, List.of("create", "b.xml")));
            await(a, "virtio-net: ready ip 10.0.8.2");
            await(b, "virtio-net: peer 10.0.8.2 answered");
            String xml = ok(ns.jvirsh(dir, uri, List.of("dumpxml", "b")));
            assertTrue(xml.contains("<source network='lan' bridge='virbr7'/>\n      <target dev='vnet1'/>"), xml);
            String ports = ns.sh("ip", "-br", "link", "show", "master", "virbr7");
            assertTrue(ports.contains("vnet0") && ports.contains("vnet1"), ports);
            pingable(ns, "10.0.8.3");
            ok(ns.jvirsh(dir, uri, List.of("destroy", "a")));
            ok(ns.jvirsh(dir, uri, List.of("destroy", "b")));
        }
    }

    @Test
    void aMissingNetworkIsNamed(@TempDir Path dir) throws Exception {
        skipUnlessPossible();
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        Files.writeString(dir.resolve("m.xml"), domain("m", "ip=10.0.9.2",
                "    <interface type='network'>\n      <source network='nowhere'/>\n    </interface>\n", dir.resolve("m.log")));
        try (NetNamespace ns = NetNamespace.open("mn")) {
            ok(ns.jvirsh(dir, uri, List.of("define", "m.xml")));
            assertEquals("error: Failed to start domain 'm'\nerror: Network not found: no network with matching name 'nowhere'\n\n",
                    ns.jvirsh(dir, uri, List.of("start", "m")).out());
            String list = ok(ns.jvirsh(dir, uri, List.of("list", "--all")));
            assertTrue(list.contains(" -    m      shut off\n"), list);
        }
    }
}
