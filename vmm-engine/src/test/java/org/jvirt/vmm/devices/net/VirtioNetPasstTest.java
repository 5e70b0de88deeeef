package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;

/**
 * virtio-net through the real passt (Debian's), as libvirt runs it for an {@code <interface
 * type='user'>} (passt --one-off --socket PATH) and jvirt-vmm connects with --nic stream: the
 * virtio-net test guest, in a network namespace whose veth leads to a second namespace (passt
 * needs a routable interface: 192.0.2.10/24, default route via 192.0.2.1 over there), gets
 * passt's ARP answer for the gateway and then the second namespace's answer to its ICMP echo,
 * which passt carried out through its ping socket and back (frames both ways, each after its
 * 4-byte length). When the VMM ends passt ends too (--one-off). A guest saved with jvirt-save
 * and restored with --restore FILE alone connects to a new passt on the same socket (the
 * machine section names it) and its self-announce (RARP) reaches passt, in passt's capture.
 * Run as root, passt drops to nobody before binding the socket, so the socket's directory is
 * nobody's. Skipped when not root, without ip/ping or passt.
 */
class VirtioNetPasstTest {
    @TempDir Path dir;

    @Test
    void theGuestReachesAnotherNamespaceThroughPasstAndARestoreConnectsToANewOne() throws Exception {
        assumeTrue(GuestImages.onPath("passt"), "skipped: needs passt (Debian's passt package)");
        try (NetNamespace a = NetNamespace.create(); NetNamespace b = NetNamespace.create()) {
            a.run("ip", "link", "add", "jv0", "type", "veth", "peer", "name", "jv1", "netns", b.name);
            a.run("ip", "addr", "add", "192.0.2.10/24", "dev", "jv0");
            a.run("ip", "link", "set", "jv0", "up");
            a.run("ip", "route", "add", "default", "via", "192.0.2.1");
            a.run("sysctl", "-qw", "net.ipv4.ping_group_range=0 2147483647"); // passt's ICMP goes out through a ping socket, as nobody
            b.run("ip", "addr", "add", "192.0.2.1/24", "dev", "jv1");
            b.run("ip", "link", "set", "jv1", "up");

            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")); // nobody must reach run/
            Path run = Files.createDirectory(dir.resolve("passt"));
            Files.setAttribute(run, "unix:uid", 65534); // passt binds its socket as nobody
            Path socket = run.resolve("vm-net0.socket");
            List<String> passt = List.of("passt", "--one-off", "--socket", socket.toString());
            try {
                a.run(passt.toArray(String[]::new)); // passt's first process ends once the socket is bound; the daemon stays
                assertTrue(Files.exists(socket), "passt's socket");
                long pid = passtPid(socket).orElseThrow(() -> new AssertionError("no passt running on " + socket));

                Process vm = a.startVmm(dir.resolve("vm.out"), List.of("--accel", "emu", "--memory", "64M",
                        "--kernel", GuestImages.require("virtio-net").toString(), "--append", "ip=192.0.2.10 peer=192.0.2.1",
                        "--nic", "stream,path=" + socket + ",mac=52:54:00:ab:cd:ef", "--serial", "file:" + dir.resolve("vm.log"),
                        "--control", dir.resolve("vm.monitor").toString()));
                NetNamespace.await(dir.resolve("vm.log"), "virtio-net: ready ip 192.0.2.10 mac 52:54:00:ab:cd:ef link up", vm);
                NetNamespace.await(dir.resolve("vm.log"), "virtio-net: peer 192.0.2.1 answered", vm);

                Path state = dir.resolve("vm.save");
                try (ControlClient c = control(dir.resolve("vm.monitor"), vm)) {
                    c.call(new Command.JvirtSave(state.toString(), null, null));
                }
                assertTrue(vm.waitFor(30, TimeUnit.SECONDS), "the saved VM ends");
                awaitEnd(pid, "passt --one-off ends with its VMM's connection");

                Path pcap = run.resolve("restored.pcap");
                a.run("passt", "--one-off", "--socket", socket.toString(), "--pcap", pcap.toString());
                long second = passtPid(socket).orElseThrow(() -> new AssertionError("no second passt"));
                Process restored = a.startVmm(dir.resolve("restored.out"), List.of("--accel", "emu", "--restore", state.toString(),
                        "--serial", "file:" + dir.resolve("restored.log"), "--control", dir.resolve("restored.monitor").toString()));
                try (ControlClient c = control(dir.resolve("restored.monitor"), restored)) {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (!hasRarpFrom(pcap, new byte[] {0x52, 0x54, 0x00, (byte) 0xab, (byte) 0xcd, (byte) 0xef})) {
                        assertTrue(System.nanoTime() < end, "the restored NIC's announce never reached passt: " + Files.readString(dir.resolve("restored.out")));
                        Thread.sleep(100);
                    }
                }
                restored.descendants().forEach(ProcessHandle::destroyForcibly);
                restored.destroyForcibly();
                assertTrue(restored.waitFor(10, TimeUnit.SECONDS));
                awaitEnd(second, "the second passt ends with the restored VMM");
            } finally {
                passtPid(socket).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void aStreamNicWithoutPasstIsAOneLineError() throws Exception {
        Path socket = dir.resolve("none.socket");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.jvirt.vmm.cli.JvirtVmmMain",
                "--accel", "emu", "--memory", "64M", "--kernel", GuestImages.require("virtio-net").toString(),
                "--nic", "stream,path=" + socket).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), out);
        assertTrue(out.contains("cannot set up NIC net0: cannot connect to " + socket + ": No such file or directory"), out);
        assertFalse(out.contains("\tat "), "no stack trace: " + out);
    }

    private static ControlClient control(Path socket, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket)) {
            assertTrue(p.isAlive() && System.nanoTime() < end, "no control socket " + socket);
            Thread.sleep(20);
        }
        ControlClient c = ControlClient.connect(socket, Duration.ofSeconds(30));
        c.call(new Command.QmpCapabilities());
        return c;
    }

    private static void awaitEnd(long pid, String what) throws Exception {
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        assertTrue(h == null || h.onExit().get(10, TimeUnit.SECONDS) != null, what);
    }

    /** Whether passt's capture (pcap: 24-byte header, then 16-byte record headers) holds a RARP frame from mac. */
    private static boolean hasRarpFrom(Path pcap, byte[] mac) throws Exception {
        if (!Files.exists(pcap)) return false;
        byte[] d = Files.readAllBytes(pcap);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int at = 24; at + 16 <= d.length; ) {
            int len = b.getInt(at + 8);
            int f = at + 16;
            if (len < 0 || f + len > d.length) return false;
            if (len >= 14 && java.util.Arrays.equals(d, f + 6, f + 12, mac, 0, 6) && (d[f + 12] & 0xFF) == 0x80 && (d[f + 13] & 0xFF) == 0x35) return true;
            at = f + len;
        }
        return false;
    }

    /** The passt serving socket, found by its command line (it daemonizes and writes no pid file). */
    private static java.util.Optional<Long> passtPid(Path socket) {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains("--socket " + socket)).orElse(false))
                .map(ProcessHandle::pid).findFirst();
    }
}
