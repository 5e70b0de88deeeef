package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain with {@code <interface type='user'>} on a jvirt URI starts passt as libvirt does and
 * its guest, the Linux kernel and initrd of test-fixtures on jvirt's emulator, reaches a TCP
 * service through it: in a network namespace whose veth leads to a second one (passt needs a
 * routable interface), the guest takes passt's DHCP lease (the host interface's address) and
 * connects to a listener in the second namespace, which sees the connection come from that
 * address; passt listens on the portForward's port. destroy ends passt (--one-off). (Without
 * {@code <backend type='passt'/>} it is passt too: NicDevicesUserTest.) Skipped when not root,
 * without passt, jvirsh or the Linux images; about 60-90 s (a Linux boot on the emulator).
 */
class JvirtPasstTest {

    private static final Path LINUX = Path.of("..", "test-fixtures", "target", "linux").toAbsolutePath().normalize();

    private static String domain(String iface, Path serial) {
        return "<domain type='qemu'>\n  <name>p</name>\n  <memory unit='MiB'>256</memory>\n  <vcpu>1</vcpu>\n"
                + "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + LINUX.resolve("vmlinux") + "</kernel>\n"
                + "    <initrd>" + LINUX.resolve("initrd.img") + "</initrd>\n"
                + "    <cmdline>console=ttyS0 jvirt.dhcp=1 jvirt.fetch=198.51.100.1:8080</cmdline>\n  </os>\n  <devices>\n" + iface
                + "    <serial type='file'>\n      <source path='" + serial + "'/>\n      <target port='0'/>\n    </serial>\n"
                + "  </devices>\n</domain>\n";
    }

    private static void await(Path serial, String text, int seconds) throws Exception {
        for (int i = 0; i < seconds * 10; i++) {
            if (Files.exists(serial) && Files.readString(serial).contains(text)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the guest never printed '" + text + "': " + (Files.exists(serial) ? Files.readString(serial) : "(no output)"));
    }

    @Test
    void aUserInterfaceGuestTakesPasstsLeaseAndReachesATcpService(@TempDir Path dir) throws Exception {
        // CI runs JvirtPasstSessionTest (passt for an unprivileged user, the case); this root one is opt-in
        assumeTrue(Boolean.getBoolean("jvirt.network.extra"), "root passt boot: runs with -Djvirt.network.extra=true");
        assumeTrue(NetNamespace.jvirshBuilt(), "jvirsh is not built (mvn -o -q package -DskipTests at the top): skipped");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/passt")), "passt is not installed: skipped");
        assumeTrue(Files.exists(LINUX.resolve("vmlinux")) && Files.exists(LINUX.resolve("initrd.img")), "no Linux images (scripts/setup.sh): skipped");
        // passt, started as root, binds its socket as nobody: the embed root's run-passt must be reachable
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("root"));
        Files.setPosixFilePermissions(dir.resolve("root"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String uri = "jvirt:///embed?root=" + dir.resolve("root");
        Path serial = dir.resolve("p.log");
        Files.writeString(dir.resolve("p.xml"), domain("    <interface type='user'>\n      <mac address='52:54:00:12:34:56'/>\n"
                + "      <portForward proto='tcp'><range start='2222' to='22'/></portForward>\n"
                + "      <model type='virtio'/>\n      <backend type='passt'/>\n    </interface>\n", serial));
        try (NetNamespace a = NetNamespace.open("pa"); NetNamespace b = NetNamespace.open("pb")) {
            a.sh("ip", "link", "add", "pv0", "type", "veth", "peer", "name", "pv1", "netns", b.name);
            a.sh("ip", "addr", "add", "192.0.2.10/24", "dev", "pv0");
            a.sh("ip", "link", "set", "pv0", "up");
            a.sh("ip", "route", "add", "default", "via", "192.0.2.1");
            b.sh("ip", "addr", "add", "192.0.2.1/24", "dev", "pv1");
            b.sh("ip", "addr", "add", "198.51.100.1/32", "dev", "pv1");
            b.sh("ip", "link", "set", "pv1", "up");
            Process service = b.start(dir, List.of("python3", "-c", "import socket; s = socket.socket(); "
                    + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('198.51.100.1', 8080)); s.listen(1); "
                    + "s.settimeout(240); c, a = s.accept(); print('connection from', a[0], flush=True); "
                    + "c.sendall(b'hello-through-passt\\n'); c.close()"));
            try {
                assertEquals(0, a.jvirsh(dir, uri, List.of("define", "p.xml")).exit());
                NetNamespace.Result start = a.jvirsh(dir, uri, List.of("start", "p"));
                assertEquals(0, start.exit(), start.out());
                Path socket = dir.resolve("root/run-passt").resolve(findSocket(dir.resolve("root/run-passt")));
                assertTrue(socket.getFileName().toString().endsWith("-net0.socket"), socket.toString());
                assertTrue(a.sh("ss", "-ltnH").contains(":2222 "), "passt forwards the portForward's port");
                await(serial, "init: DHCP lease 192.0.2.10/24 on eth0", 240);
                assertTrue(service.waitFor(120, TimeUnit.SECONDS), "the service was reached");
                String out = new String(service.getInputStream().readAllBytes());
                assertTrue(out.contains("connection from 192.0.2.10"), out);
                NetNamespace.Result destroy = a.jvirsh(dir, uri, List.of("destroy", "p")); // the guest may have powered off by now
                String state = a.jvirsh(dir, uri, List.of("domstate", "p")).out();
                System.out.println("destroy: " + destroy.exit() + " " + destroy.out() + "; domstate: " + state);
                assertTrue(destroy.exit() == 0 || state.contains("shut off"), destroy.out());
                long passt = ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(socket.toString()))
                        .count();
                for (int i = 0; i < 100 && passt > 0; i++) {
                    Thread.sleep(50);
                    passt = ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(socket.toString())).count();
                }
                assertEquals(0, passt, "passt ended with the VMM (--one-off)");
            } finally {
                service.destroyForcibly();
                a.jvirsh(dir, uri, List.of("destroy", "p"));
            }
        }
    }

    private static String findSocket(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".socket")).findFirst()
                    .orElseThrow(() -> new AssertionError("no passt socket in " + dir));
        }
    }
}
