package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;

/**
 * The virtio-net guest (test-fixtures/guests/virtio-net.c: answers ARP and ICMP echo) in real
 * jvirt-vmm processes on the emulator, each in a network namespace of the test's own: the host
 * side pings it through its tap; set_link down cuts it off, up brings it back; two guests on a
 * bridge reach the host and each other (one with the vnet header and offloads, one without);
 * a saved guest restored in a new process answers on the tap reopened by name, with the link
 * state it was saved with; a guest migrated live to a VMM whose tap is on the same bridge answers there. Skipped when not root or without ip/ping (NetNamespace).
 */
class VirtioNetTapTest {
    @TempDir Path dir;

    private List<String> vm(String name, String append, String nic, String... extra) {
        List<String> a = new ArrayList<>(List.of("--accel", "emu", "--memory", "64M", "--kernel", GuestImages.require("virtio-net").toString(),
                "--append", append, "--nic", nic, "--serial", "file:" + dir.resolve(name + ".log"),
                "--control", dir.resolve(name + ".monitor").toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private ControlClient control(String name, Process p) throws Exception {
        Path socket = dir.resolve(name + ".monitor");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(socket)) {
            assertTrue(p.isAlive() && System.nanoTime() < end, "no control socket: " + Files.readString(dir.resolve(name + ".out")));
            Thread.sleep(20);
        }
        ControlClient c = ControlClient.connect(socket, Duration.ofSeconds(30));
        c.call(new Command.QmpCapabilities());
        return c;
    }

    @Test
    void theHostPingsTheGuestAndSetLinkCutsItOffAndBack() throws Exception {
        try (NetNamespace ns = NetNamespace.create()) {
            // at the address it is given, which the disk without one (taking the first free slots) leaves to it
            Files.write(dir.resolve("d.raw"), new byte[4096]);
            Process vm = ns.startVmm(dir.resolve("a.out"), vm("a", "ip=10.0.0.2", "tap,ifname=jt0,addr=03.0", "--disk", dir.resolve("d.raw").toString()));
            NetNamespace.await(dir.resolve("a.log"), "virtio-net: device at 00:03.0\n", vm);
            NetNamespace.await(dir.resolve("a.log"), "virtio-net: ready ip 10.0.0.2 mac 52:54:00:12:34:56 link up", vm);
            ns.run("ip", "addr", "add", "10.0.0.1/24", "dev", "jt0");
            assertTrue(ns.output("ip", "link", "show", "jt0").contains("link/ether fe:54:00:12:34:56 "), "the tap's own address, as libvirt's");
            assertTrue(ns.ping("10.0.0.2", 3), "the guest answers");
            try (ControlClient c = control("a", vm)) {
                c.call(new Command.SetLink("net0", false));
                NetNamespace.await(dir.resolve("a.log"), "virtio-net: link down\n", vm);
                assertFalse(ns.ping("10.0.0.2", 2), "no answer while the link is down");
                c.call(new Command.SetLink("net0", true));
                NetNamespace.await(dir.resolve("a.log"), "virtio-net: link up\n", vm);
                assertTrue(ns.ping("10.0.0.2", 3), "answers again once the link is up");
                ControlClient.CommandFailed e = assertThrows(ControlClient.CommandFailed.class, () -> c.call(new Command.SetLink("net7", false)));
                assertTrue(e.getMessage().contains("Device 'net7' not found"), e.getMessage());
            }
        }
    }

    @Test
    void twoGuestsOnABridgeReachTheHostAndEachOther() throws Exception {
        try (NetNamespace ns = NetNamespace.create()) {
            ns.run("ip", "link", "add", "jbr0", "type", "bridge");
            ns.run("ip", "addr", "add", "10.0.1.1/24", "dev", "jbr0");
            ns.run("ip", "link", "set", "jbr0", "up");
            Process a = ns.startVmm(dir.resolve("a.out"), vm("a", "ip=10.0.1.2 peer=10.0.1.3", "tap,bridge=jbr0"));
            Process b = ns.startVmm(dir.resolve("b.out"), vm("b", "ip=10.0.1.3", "tap,ifname=jtb,bridge=jbr0,mac=52:54:00:aa:bb:cc,offload=off"));
            NetNamespace.await(dir.resolve("a.log"), "virtio-net: ready ip 10.0.1.2 mac 52:54:00:12:34:56", a);
            NetNamespace.await(dir.resolve("b.log"), "virtio-net: ready ip 10.0.1.3 mac 52:54:00:aa:bb:cc", b);
            assertTrue(ns.ping("10.0.1.2", 2), "the first guest (a kernel-named vnetN tap) answers");
            assertTrue(ns.ping("10.0.1.3", 2), "the second guest (no vnet header) answers");
            NetNamespace.await(dir.resolve("a.log"), "virtio-net: peer 10.0.1.3 answered", a);
            assertEquals(0, ns.exec("sh", "-c", "ip -o link show master jbr0 | grep -q 'vnet[0-9]*:' && ip -o link show master jbr0 | grep -q jtb"),
                    "both taps are the bridge's ports");
        }
    }

    @Test
    void aRestoredGuestAnswersOnTheTapReopenedByNameWithItsLinkState() throws Exception {
        try (NetNamespace ns = NetNamespace.create()) {
            Process first = ns.startVmm(dir.resolve("a.out"), vm("a", "ip=10.0.0.2", "tap,ifname=jt0"));
            NetNamespace.await(dir.resolve("a.log"), "virtio-net: ready", first);
            ns.run("ip", "addr", "add", "10.0.0.1/24", "dev", "jt0");
            assertTrue(ns.ping("10.0.0.2", 1));
            Path state = dir.resolve("vm.save");
            try (ControlClient c = control("a", first)) {
                c.call(new Command.SetLink("net0", false));
                NetNamespace.await(dir.resolve("a.log"), "virtio-net: link down\n", first);
                c.call(new Command.JvirtSave(state.toString(), null, null));
            }
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the saved VM ends");
            // --restore alone: the file's machine section names the NIC, the tap is opened by that name again
            Process second = ns.startVmm(dir.resolve("b.out"), List.of("--accel", "emu", "--restore", state.toString(),
                    "--serial", "file:" + dir.resolve("b.log"), "--control", dir.resolve("b.monitor").toString()));
            try (ControlClient c = control("b", second)) {
                ns.run("ip", "addr", "add", "10.0.0.1/24", "dev", "jt0"); // the tap went with the first process: a new one, same name
                assertFalse(ns.ping("10.0.0.2", 1), "restored with the link down");
                c.call(new Command.SetLink("net0", true));
                NetNamespace.await(dir.resolve("b.log"), "virtio-net: link up\n", second);
                ns.run("ip", "neigh", "flush", "dev", "jt0"); // the ARP entry that failed while down would answer "unreachable" for a while
                assertTrue(ns.ping("10.0.0.2", 3), "the restored guest answers");
            }
        }
    }

    @Test
    void aGuestMigratedLiveToAnotherTapOnTheBridgeStillAnswers() throws Exception {
        try (NetNamespace ns = NetNamespace.create()) {
            ns.run("ip", "link", "add", "jbr0", "type", "bridge");
            ns.run("ip", "addr", "add", "10.0.2.1/24", "dev", "jbr0");
            ns.run("ip", "link", "set", "jbr0", "up");
            Process source = ns.startVmm(dir.resolve("a.out"), vm("a", "ip=10.0.2.2", "tap,ifname=jm0,bridge=jbr0"));
            NetNamespace.await(dir.resolve("a.log"), "virtio-net: ready", source);
            assertTrue(ns.ping("10.0.2.2", 2));
            int port = 49152 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10000);
            Process target = ns.startVmm(dir.resolve("b.out"), vm("b", "ip=10.0.2.2", "tap,ifname=jm1,bridge=jbr0",
                    "--incoming", "tcp:127.0.0.1:" + port));
            try (ControlClient t = control("b", target); ControlClient c = control("a", source)) {
                c.call(new Command.JvirtMigrate("tcp:127.0.0.1:" + port, null, null));
                c.call(new Command.Quit());
            }
            assertTrue(source.waitFor(30, TimeUnit.SECONDS), "the source ends after the migration");
            assertTrue(ns.ping("10.0.2.2", 3), "the guest answers through the destination's tap");
            assertFalse(NetNamespace.serial(dir.resolve("b.log")).contains("ready"), "the destination never booted: the guest came over");
            assertEquals(0, ns.exec("sh", "-c", "! ip link show jm0 >/dev/null 2>&1"), "the source's tap is gone");
        }
    }
}
