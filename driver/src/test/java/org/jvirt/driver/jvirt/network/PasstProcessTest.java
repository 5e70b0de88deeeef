package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.domain.devices.Interface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PasstProcess with the real passt, inside a network namespace of the test's own (a veth with
 * 192.0.2.10/24 and a default route: passt needs a routable interface): the socket and the pid
 * file under libvirt's names, the daemon's pid and command line, the port forward passt then
 * listens on, stop (process, socket and pid file gone), a leftover stopped by its pid file and
 * by the next start under the same names, passt's own end when its client goes (--one-off), and
 * a start passt refuses, in libvirt's words with passt's reason. Skipped when not root or
 * without passt.
 */
class PasstProcessTest {
    @TempDir Path dir;

    private static Interface iface(String inner) throws Exception {
        return DomainXml.parse("<domain type='qemu'><name>vm</name><memory>65536</memory><os><type>hvm</type></os><devices>"
                + "<interface type='user'><mac address='52:54:00:12:34:56'/>" + inner + "<backend type='passt'/></interface>"
                + "</devices></domain>").getDevices().getInterfaces().get(0);
    }

    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitEnd(long pid) throws Exception {
        for (int i = 0; i < 100 && running(pid); i++) Thread.sleep(50);
        assertFalse(running(pid), "passt " + pid + " ended");
    }

    @Test
    void startStopLeftoversAndOneOff() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/passt")), "passt is not installed (Debian's passt package): skipped");
        try (NetNamespace ns = NetNamespace.open("passt")) {
            ns.sh("ip", "link", "add", "pv0", "type", "veth", "peer", "name", "pv1");
            ns.sh("ip", "addr", "add", "192.0.2.10/24", "dev", "pv0");
            ns.sh("ip", "link", "set", "pv0", "up");
            ns.sh("ip", "link", "set", "pv1", "up");
            ns.sh("ip", "route", "add", "default", "via", "192.0.2.1");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // passt (nobody) must reach run/
            Path run = dir.resolve("run");
            List<String> inNs = List.of("ip", "netns", "exec", ns.name);
            Interface i = iface("<portForward proto='tcp'><range start='2222' to='22'/></portForward>");

            PasstProcess.Handle h = PasstProcess.start(i, "net0", run, "1-vm", inNs);
            try {
                assertEquals(run.resolve("1-vm-net0.socket"), h.socketPath());
                assertEquals(run.resolve("1-vm-net0-passt.pid"), h.pidFile());
                assertTrue(Files.exists(h.socketPath()), "the socket is there when start returns");
                assertEquals(h.pid() + "\n", Files.readString(h.pidFile()));
                assertEquals(List.of("/usr/bin/passt", "--one-off", "--socket", h.socketPath().toString(), "--mac-addr", "52:54:00:12:34:56",
                        "--tcp-ports", "2222:22"), h.argv());
                assertEquals(h.argv(), ProcessHandle.of(h.pid()).orElseThrow().info().arguments().map(a -> {
                    List<String> all = new java.util.ArrayList<>(List.of("/usr/bin/passt"));
                    all.addAll(List.of(a));
                    return all;
                }).orElseThrow(), "the pid is passt's daemon with that command line");
                assertEquals(65534L, ((Number) Files.getAttribute(h.socketPath(), "unix:uid")).longValue(), "passt dropped to nobody");
                assertTrue(ns.sh("ss", "-ltnH").contains(":2222 "), "passt forwards port 2222 as the portForward says");
                h.stop();
                awaitEnd(h.pid());
                assertFalse(Files.exists(h.socketPath()) || Files.exists(h.pidFile()), "socket and pid file removed");

                // a passt whose VMM never connected (killed first): found by the pid file, and by the next start
                PasstProcess.Handle left = PasstProcess.start(i, "net0", run, "1-vm", inNs);
                PasstProcess.stopLeftover(run, "1-vm", "net0");
                awaitEnd(left.pid());
                left = PasstProcess.start(i, "net0", run, "1-vm", inNs);
                h = PasstProcess.start(i, "net0", run, "1-vm", inNs);
                awaitEnd(left.pid());
                assertTrue(running(h.pid()), "the new passt runs");

                // --one-off: passt ends when its client (the VMM) goes
                try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    c.connect(UnixDomainSocketAddress.of(h.socketPath()));
                    Thread.sleep(200);
                }
                awaitEnd(h.pid());
                h.stop(); // nothing left to kill: no error

                // a pid file naming another process is not acted on
                Process sleeper = new ProcessBuilder("sleep", "30").start();
                Files.writeString(run.resolve("1-vm-net0-passt.pid"), sleeper.pid() + "\n");
                PasstProcess.stopLeftover(run, "1-vm", "net0");
                assertTrue(sleeper.isAlive(), "not a passt on that socket: left alone");
                sleeper.destroyForcibly();

                LibvirtException e = assertThrows(LibvirtException.class,
                        () -> PasstProcess.start(iface("<source dev='nosuchdev0'/>"), "net1", run, "1-vm", inNs));
                assertTrue(e.getMessage().startsWith("internal error: Could not start 'passt': "), e.getMessage());
                assertFalse(Files.exists(run.resolve("1-vm-net1.socket")) || Files.exists(run.resolve("1-vm-net1-passt.pid")));
            } finally {
                h.stop();
            }
        }
    }
}
