package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * User-mode networking as a libvirt user without privileges has it: an unprivileged user the
 * test creates runs jvirsh on its session URI ({@code jvirt:///session}) and starts a domain
 * whose {@code <interface type='user'>} is passt (run as that user, no root anywhere in it). The
 * Linux guest (jvirt's emulator) takes passt's DHCP lease, reaches a TCP service outside (which
 * sees the host's address) and serves HTTP that the host reaches through the interface's
 * {@code <portForward>}. In a network namespace whose veth leads to a second one (passt needs a
 * routable interface). About a minute (a Linux boot on the emulator).
 */
class JvirtPasstSessionTest {

    private static final Path LINUX = Path.of("..", "test-fixtures", "target", "linux").toAbsolutePath().normalize();

    @Test
    void anUnprivilegedUsersGuestReachesOutAndIsReachedThroughItsForwardedPort() throws Exception {
        assumeTrue(NetNamespace.jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        for (Path p : List.of(Path.of("/usr/bin/passt"), Path.of("/usr/sbin/useradd"), Path.of("/usr/sbin/runuser"), Path.of("/usr/bin/python3"))) {
            assumeTrue(Files.isExecutable(p), p + " is not installed: skipped");
        }
        assumeTrue(Files.exists(LINUX.resolve("vmlinux")) && Files.exists(LINUX.resolve("initrd.img")), "no Linux images (scripts/setup.sh): skipped");
        String user = "jvps" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
        Path home = Files.createTempDirectory(Path.of("/tmp"), "jvps");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (NetNamespace a = NetNamespace.open("sa"); NetNamespace b = NetNamespace.open("sb")) {
            assumeTrue(a.exec(null, "useradd", "-M", "-d", home.toString(), "-s", "/bin/sh", user).exit() == 0, "useradd failed: skipped");
            try {
                a.sh("chown", user, home.toString());
                Path serial = home.resolve("guest.log");
                Files.writeString(home.resolve("guest.xml"), "<domain type='qemu'>\n  <name>guest</name>\n  <memory unit='MiB'>256</memory>\n"
                        + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n"
                        + "    <kernel>" + LINUX.resolve("vmlinux") + "</kernel>\n    <initrd>" + LINUX.resolve("initrd.img") + "</initrd>\n"
                        + "    <cmdline>console=ttyS0 jvirt.dhcp=1 jvirt.fetch=198.51.100.1:8080 jvirt.httpd=80</cmdline>\n  </os>\n"
                        + "  <devices>\n    <interface type='user'>\n      <mac address='52:54:00:5e:00:53'/>\n"
                        + "      <portForward proto='tcp'>\n        <range start='2280' to='80'/>\n      </portForward>\n"
                        + "      <model type='virtio'/>\n      <backend type='passt'/>\n    </interface>\n"
                        + "    <serial type='file'>\n      <source path='" + serial + "'/>\n      <target port='0'/>\n    </serial>\n"
                        + "  </devices>\n</domain>\n");
                a.sh("chown", user, home.resolve("guest.xml").toString());

                a.sh("ip", "link", "add", "sv0", "type", "veth", "peer", "name", "sv1", "netns", b.name);
                a.sh("ip", "addr", "add", "192.0.2.10/24", "dev", "sv0");
                a.sh("ip", "link", "set", "sv0", "up");
                a.sh("ip", "route", "add", "default", "via", "192.0.2.1");
                b.sh("ip", "addr", "add", "192.0.2.1/24", "dev", "sv1");
                b.sh("ip", "addr", "add", "198.51.100.1/32", "dev", "sv1");
                b.sh("ip", "link", "set", "sv1", "up");
                b.start(home, List.of("python3", "-c", JvirtLinuxNetworkTest.PEER_SERVICE.replace("10.99.0.2', 7777", "198.51.100.1', 8080")));

                ok(asUser(a, home, user, "define", "guest.xml"));
                ok(asUser(a, home, user, "start", "guest"));
                String out = JvirtLinuxNetworkTest.await(serial, "JVIRT-GUEST-READY");
                assertTrue(out.contains("init: DHCP lease 192.0.2.10/24 on eth0"), "passt's lease: the host's address: " + out);
                assertTrue(out.contains("init: fetch 198.51.100.1:8080: peer 192.0.2.10"), "out through passt, as the host: " + out);
                assertTrue(out.contains("init: httpd on port 80"), out);

                // Debian's passt runs as passt.avx2 where the CPU has AVX2
                String passt = a.sh("sh", "-c", "ps -eo user:32=,comm= | grep ' passt'").trim();
                assertTrue(passt.startsWith(user + " "), "passt runs as the session's user: " + passt);
                String page = a.sh("python3", "-c", "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:2280/', timeout=30).read().decode().strip())");
                assertEquals("jvirt-guest 52:54:00:5e:00:53", page.trim(), "in through the forwarded port");
                ok(asUser(a, home, user, "destroy", "guest"));
            } finally {
                a.exec(null, "pkill", "-u", user);
                a.exec(null, "userdel", user);
                a.exec(null, "rm", "-rf", home.toString());
            }
        }
    }

    /** bin/jvirsh on the user's session URI, run as that user inside the namespace. */
    private static NetNamespace.Result asUser(NetNamespace ns, Path home, String user, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", user, "--", "env", "HOME=" + home, "XDG_RUNTIME_DIR=",
                NetNamespace.JVIRSH.toString(), "-c", "jvirt:///session"));
        cmd.addAll(List.of(args));
        return ns.exec(home, cmd.toArray(String[]::new));
    }

    private static String ok(NetNamespace.Result r) {
        assertEquals(0, r.exit(), r.out());
        return r.out();
    }
}
