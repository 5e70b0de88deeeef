package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Linux guest (the Debian kernel and the busybox initrd, on jvirt's emulator) on a jvirt NAT
 * network as a libvirt user has it: it gets a DHCP lease from the network's dnsmasq (and shows in
 * net-dhcp-leases and domifaddr), pings the bridge's address, reaches a TCP service outside the
 * network through NAT (the service, in a second namespace behind a veth pair, sees the host's
 * address, not the guest's), and serves HTTP the host reaches over the bridge. About a minute of boot on 2 cores.
 */
class JvirtLinuxNetworkTest {

    private static final Path LINUX = Path.of("..", "test-fixtures", "target", "linux").toAbsolutePath().normalize();

    /** A TCP service that tells each client the address it sees it from. */
    static final String PEER_SERVICE = "import socket\n"
            + "s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            + "s.bind(('10.99.0.2', 7777)); s.listen(4)\n"
            + "while True:\n    c, a = s.accept(); c.sendall(('peer %s\\n' % a[0]).encode()); c.close()\n";

    /** Debian's default network (libvirt-daemon-config-network's default.xml). */
    static final String DEFAULT_NETWORK = "<network>\n  <name>default</name>\n  <forward mode='nat'/>\n"
            + "  <bridge name='virbr0' stp='on' delay='0'/>\n  <ip address='192.168.122.1' netmask='255.255.255.0'>\n"
            + "    <dhcp>\n      <range start='192.168.122.2' end='192.168.122.254'/>\n    </dhcp>\n  </ip>\n</network>\n";

    @Test
    void theGuestGetsALeasePingsTheBridgeAndReachesTheOutsideThroughNat(@TempDir Path dir) throws Exception {
        assumeTrue(NetNamespace.jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        assumeTrue(Files.exists(LINUX.resolve("vmlinux")) && Files.exists(LINUX.resolve("initrd.img")),
                "the Linux guest is not built (test-fixtures/linux/build.sh): skipped");
        for (Path p : List.of(Path.of("/usr/sbin/dnsmasq"), Path.of("/usr/sbin/iptables"), Path.of("/usr/bin/python3"))) {
            assumeTrue(Files.isExecutable(p), p + " is not installed: skipped");
        }
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        Path serial = dir.resolve("linux.log");
        Files.writeString(dir.resolve("default.xml"), DEFAULT_NETWORK);
        Files.writeString(dir.resolve("linux.xml"), "<domain type='qemu'>\n  <name>linux</name>\n"
                + "  <memory unit='MiB'>256</memory>\n  <vcpu>1</vcpu>\n  <os>\n"
                + "    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + LINUX.resolve("vmlinux") + "</kernel>\n"
                + "    <initrd>" + LINUX.resolve("initrd.img") + "</initrd>\n"
                + "    <cmdline>console=ttyS0 panic=-1 nokaslr jvirt.dhcp=1 jvirt.ping=192.168.122.1 jvirt.fetch=10.99.0.2:7777 jvirt.httpd=80</cmdline>\n"
                + "  </os>\n  <devices>\n    <interface type='network'>\n      <source network='default'/>\n"
                + "      <model type='virtio'/>\n    </interface>\n"
                + "    <serial type='file'>\n      <source path='" + serial + "'/>\n      <target port='0'/>\n    </serial>\n"
                + "  </devices>\n</domain>\n");
        try (NetNamespace host = NetNamespace.open("lx"); NetNamespace wan = NetNamespace.open("wan")) {
            // the outside world: 10.99.0.2 behind a veth pair, with the service
            host.sh("ip", "link", "add", "jvx0", "type", "veth", "peer", "name", "jvw0");
            host.sh("ip", "link", "set", "jvw0", "netns", wan.name);
            host.sh("ip", "addr", "add", "10.99.0.1/24", "dev", "jvx0");
            host.sh("ip", "link", "set", "jvx0", "up");
            wan.sh("ip", "addr", "add", "10.99.0.2/24", "dev", "jvw0");
            wan.sh("ip", "link", "set", "jvw0", "up");
            wan.start(dir, List.of("python3", "-c", PEER_SERVICE));

            ok(host.jvirsh(dir, uri, List.of("net-define", "default.xml")));
            ok(host.jvirsh(dir, uri, List.of("net-start", "default")));
            ok(host.jvirsh(dir, uri, List.of("define", "linux.xml")));
            ok(host.jvirsh(dir, uri, List.of("start", "linux")));
            String out = await(serial, "JVIRT-GUEST-READY");
            Matcher lease = Pattern.compile("init: DHCP lease (192\\.168\\.122\\.\\d+)/24 on eth0").matcher(out);
            assertTrue(lease.find(), out);
            assertTrue(out.contains("init: ping 192.168.122.1 ok"), out);
            assertTrue(out.contains("init: fetch 10.99.0.2:7777: peer 10.99.0.1"), "the service sees the host's address (NAT): " + out);

            String mac = macOf(ok(host.jvirsh(dir, uri, List.of("dumpxml", "linux"))));
            String leases = ok(host.jvirsh(dir, uri, List.of("net-dhcp-leases", "default")));
            assertTrue(leases.contains(mac + "   ipv4       " + lease.group(1) + "/24"), leases);
            // the guest stays up a while serving HTTP (jvirt.httpd): domifaddr finds its lease, the host reaches it on the bridge
            String addr = ok(host.jvirsh(dir, uri, List.of("domifaddr", "linux")));
            assertTrue(Pattern.compile(" vnet0 +" + mac + " +ipv4 +" + Pattern.quote(lease.group(1)) + "/24\n").matcher(addr).find(), addr);
            String page = host.sh("python3", "-c", "import urllib.request; print(urllib.request.urlopen('http://" + lease.group(1)
                    + "/', timeout=30).read().decode().strip())");
            assertEquals("jvirt-guest " + mac, page.trim());
            ok(host.jvirsh(dir, uri, List.of("destroy", "linux")));
            assertTrue(host.sh("ip", "-br", "link", "show", "master", "virbr0").isBlank(), "no tap left on the bridge");
        }
    }

    private static String ok(NetNamespace.Result r) {
        assertEquals(0, r.exit(), r.out());
        return r.out();
    }

    static String macOf(String xml) {
        Matcher m = Pattern.compile("<mac address='([0-9a-f:]{17})'/>").matcher(xml);
        assertTrue(m.find(), xml);
        return m.group(1);
    }

    /** The serial output once it holds text; 4 minutes at most (the emulator on a busy machine). */
    static String await(Path serial, String text) throws Exception {
        return await(serial, text, 240);
    }

    /** The serial output once it holds text; seconds at most (under JUnit's 5-minute limit, so that a failure shows the output). */
    static String await(Path serial, String text, int seconds) throws Exception {
        for (int i = 0; i < seconds * 10; i++) {
            String out = Files.exists(serial) ? Files.readString(serial).replace("\r\n", "\n") : "";
            if (out.contains(text)) return out;
            Thread.sleep(100);
        }
        throw new AssertionError("the guest never printed '" + text + "': " + (Files.exists(serial) ? Files.readString(serial) : "(no output)"));
    }
}
