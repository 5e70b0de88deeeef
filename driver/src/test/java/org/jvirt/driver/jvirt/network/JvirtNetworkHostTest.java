package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a started network is on the host, in namespaces of the test's own: the bridge with its
 * address, dnsmasq answering DHCP (busybox udhcpc in a second namespace behind a veth pair on the
 * bridge gets a lease from the range, then its static address, then one added live by net-update,
 * and net-dhcp-leases lists them), NAT rules and forwarding; destroy removes the bridge, dnsmasq
 * and the rules. And a jvirsh killed after starting a network leaves it active for other clients.
 */
class JvirtNetworkHostTest {

    private static final String NAT = "<network>\n  <name>n1</name>\n  <forward mode='nat'/>\n"
            + "  <ip address='10.88.0.1' netmask='255.255.255.0'>\n    <dhcp>\n"
            + "      <range start='10.88.0.100' end='10.88.0.120'/>\n"
            + "      <host mac='52:54:00:aa:bb:01' name='fixed' ip='10.88.0.7'/>\n    </dhcp>\n  </ip>\n</network>\n";

    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");

    private static void skipUnlessPossible() {
        assumeTrue(NetNamespace.jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        for (Path p : List.of(Path.of("/usr/sbin/dnsmasq"), Path.of("/usr/sbin/iptables"))) {
            assumeTrue(Files.isExecutable(p), p + " is not installed: skipped");
        }
    }

    private static String ok(NetNamespace.Result r) {
        assertEquals(0, r.exit(), r.out());
        return r.out();
    }

    @Test
    void dhcpLeasesFromTheBridgeAndDestroyCleansUp(@TempDir Path dir) throws Exception {
        skipUnlessPossible();
        assumeTrue(Files.isExecutable(BUSYBOX), "busybox (udhcpc) is not installed: skipped");
        Files.writeString(dir.resolve("n1.xml"), NAT);
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        try (NetNamespace host = NetNamespace.open("dh"); NetNamespace guest = NetNamespace.open("gu")) {
            ok(host.jvirsh(dir, uri, List.of("net-define", "n1.xml")));
            ok(host.jvirsh(dir, uri, List.of("net-start", "n1")));
            assertTrue(host.sh("ip", "-br", "addr", "show", "dev", "virbr0").contains("10.88.0.1/24"));
            assertEquals("1", host.sh("cat", "/proc/sys/net/ipv4/ip_forward").trim());
            String rules = host.sh("iptables-save");
            assertTrue(rules.contains("-A LIBVIRT_PRT -s 10.88.0.0/24 ! -d 10.88.0.0/24 -j MASQUERADE"), rules);
            assertTrue(host.commandLines().stream().anyMatch(c -> c.contains("dnsmasq") && c.contains("/n1.conf")));

            // the guest's end of a veth pair, its host end a port of the bridge
            host.sh("ip", "link", "add", "jvh0", "type", "veth", "peer", "name", "jvg0");
            host.sh("ip", "link", "set", "jvg0", "netns", guest.name);
            host.sh("ip", "link", "set", "jvh0", "master", "virbr0", "up");

            String dynamic = lease(host, guest, "52:54:00:aa:bb:02");
            int last = Integer.parseInt(dynamic.substring(dynamic.lastIndexOf('.') + 1));
            assertTrue(dynamic.startsWith("10.88.0.") && last >= 100 && last <= 120, dynamic);
            assertEquals("10.88.0.7", lease(host, guest, "52:54:00:aa:bb:01"), "the static host's address");
            ok(host.jvirsh(dir, uri, List.of("net-update", "n1", "add", "ip-dhcp-host",
                    "<host mac='52:54:00:aa:bb:03' ip='10.88.0.9'/>", "--live")));
            assertEquals("10.88.0.9", lease(host, guest, "52:54:00:aa:bb:03"), "a host added live (dnsmasq read its hosts file again)");

            String leases = ok(host.jvirsh(dir, uri, List.of("net-dhcp-leases", "n1")));
            assertTrue(leases.contains("52:54:00:aa:bb:02   ipv4       " + dynamic + "/24"), leases);
            assertTrue(leases.contains("52:54:00:aa:bb:01   ipv4       10.88.0.7/24"), leases);
            String one = ok(host.jvirsh(dir, uri, List.of("net-dhcp-leases", "n1", "--mac", "52:54:00:AA:BB:03")));
            assertTrue(one.contains("10.88.0.9/24") && !one.contains("10.88.0.7"), one);

            ok(host.jvirsh(dir, uri, List.of("net-destroy", "n1")));
            assertNotEquals(0, host.exec(null, "ip", "link", "show", "virbr0").exit(), "the bridge is gone");
            assertFalse(host.commandLines().stream().anyMatch(c -> c.contains("dnsmasq")), "dnsmasq is gone");
            String after = host.sh("iptables-save");
            assertFalse(after.contains("virbr0") || after.contains("10.88.0."), after);
            assertTrue(after.contains(":LIBVIRT_FWI"), "the private chains stay, as libvirt leaves them");
        }
    }

    /** Runs udhcpc on the guest's interface with that MAC address; returns the address it was offered and took. */
    private static String lease(NetNamespace host, NetNamespace guest, String mac) throws Exception {
        // a veth's address changes while it is up, so the bridge's port stays forwarding
        guest.sh("ip", "link", "set", "jvg0", "address", mac);
        guest.sh("ip", "link", "set", "jvg0", "up");
        // the bridge runs STP (as libvirt's, stp='on'): the port forwards after 2 x 2 s (the kernel's least forward delay)
        for (int i = 0; i < 100 && !host.sh("ip", "-d", "link", "show", "jvh0").contains("state forwarding"); i++) Thread.sleep(100);
        NetNamespace.Result r = guest.exec(null, BUSYBOX.toString(), "udhcpc", "-i", "jvg0", "-f", "-q", "-n", "-t", "10", "-T", "1",
                "-s", "/bin/true");
        Matcher m = Pattern.compile("lease of (\\S+) obtained").matcher(r.out());
        assertTrue(r.exit() == 0 && m.find(), "udhcpc got no lease: " + r.out());
        return m.group(1);
    }

    @Test
    void aKilledClientLeavesTheNetworkActive(@TempDir Path dir) throws Exception {
        skipUnlessPossible();
        Files.writeString(dir.resolve("n1.xml"), NAT);
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        try (NetNamespace host = NetNamespace.open("kc")) {
            ok(host.jvirsh(dir, uri, List.of("net-define", "n1.xml")));
            // an interactive jvirsh starts the network, then is killed while it waits for the next command
            Process shell = host.start(dir, List.of(NetNamespace.JVIRSH.toString(), "-c", uri));
            OutputStream in = shell.getOutputStream();
            in.write("net-start n1\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.contains("Network n1 started") || line.startsWith("error:")) break;
            }
            assertTrue(seen.toString().contains("Network n1 started"), seen.toString());
            long pid = shell.pid();
            shell.destroyForcibly();
            assertTrue(shell.waitFor(10, TimeUnit.SECONDS));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

            String list = ok(host.jvirsh(dir, uri, List.of("net-list")));
            assertTrue(list.contains(" n1     active   no          yes"), list);
            assertTrue(ok(host.jvirsh(dir, uri, List.of("net-info", "n1"))).contains("Active:         yes"));
            assertTrue(host.commandLines().stream().anyMatch(c -> c.contains("dnsmasq") && c.contains("/n1.conf")), "dnsmasq outlived the client");
            assertTrue(host.sh("ip", "-br", "addr", "show", "dev", "virbr0").contains("10.88.0.1/24"));

            // a host boot (as the driver sees one: another boot id): the autostart network starts again on the first open
            ok(host.jvirsh(dir, uri, List.of("net-autostart", "n1")));
            List<Long> before = host.pidsOf("dnsmasq");
            Files.writeString(dir.resolve("root/run/boot-id"), "another-boot\n");
            assertTrue(ok(host.jvirsh(dir, uri, List.of("net-list"))).contains(" n1     active   yes         yes"));
            List<Long> after = host.pidsOf("dnsmasq");
            assertEquals(1, after.size(), "one dnsmasq");
            assertNotEquals(before, after, "a new dnsmasq");
            assertTrue(host.sh("ip", "-br", "addr", "show", "dev", "virbr0").contains("10.88.0.1/24"));

            ok(host.jvirsh(dir, uri, List.of("net-destroy", "n1")));
            assertFalse(host.commandLines().stream().anyMatch(c -> c.contains("dnsmasq")));

            // what a client killed in the middle of a start leaves (its marker, the bridge, some
            // rules) is undone by the next start
            Files.writeString(dir.resolve("root/run/network/n1.starting"), ok(host.jvirsh(dir, uri, List.of("net-dumpxml", "n1"))));
            host.sh("ip", "link", "add", "virbr0", "type", "bridge");
            host.sh("iptables", "-w", "-t", "filter", "-I", "LIBVIRT_FWX", "1", "-i", "virbr0", "-o", "virbr0", "-j", "ACCEPT");
            ok(host.jvirsh(dir, uri, List.of("net-start", "n1")));
            assertEquals(1, host.sh("iptables-save").lines().filter(l -> l.equals("-A LIBVIRT_FWX -i virbr0 -o virbr0 -j ACCEPT")).count());
            assertFalse(Files.exists(dir.resolve("root/run/network/n1.starting")));
            ok(host.jvirsh(dir, uri, List.of("net-destroy", "n1")));
            // a start that fails on an interface that is not its own leaves it alone
            host.sh("ip", "link", "add", "virbr0", "type", "veth", "peer", "name", "jvpeer0");
            NetNamespace.Result taken = host.jvirsh(dir, uri, List.of("net-start", "n1"));
            assertEquals("error: Failed to start network n1\nerror: error creating bridge interface virbr0: File exists\n\n", taken.out());
            host.sh("ip", "link", "show", "virbr0");
            assertFalse(Files.exists(dir.resolve("root/run/network/n1.starting")));
        }
    }
}
