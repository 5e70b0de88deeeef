package org.jvirt.daemon;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket activation as systemd does it, without systemd: systemd-socket-activate (Debian's
 * systemd package) binds the three sockets of daemon/systemd/*.socket under their unit names
 * and execs jvirtd on the first connection; jvirtd serves on them (the read-only one read-only),
 * makes no sockets of its own, and says READY=1 on $NOTIFY_SOCKET as Type=notify wants.
 */
class SocketActivationTest {
    static final Path ACTIVATE = Path.of("/usr/bin/systemd-socket-activate");
    @TempDir Path tmp;

    @Test
    void servesOnTheSocketsSystemdPasses() throws Exception {
        assumeTrue(Files.isExecutable(ACTIVATE), "systemd-socket-activate (Debian's systemd) is not installed");
        assumeTrue(Virsh.available(), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 is not installed");
        int port = JvirtdProcessTest.freePort();
        Path notify = tmp.resolve("notify");
        // systemd's side of Type=notify: a datagram socket that prints what it receives
        Process listener = new ProcessBuilder("/usr/bin/python3", "-c", "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM);s.bind(sys.argv[1]);print('bound',flush=True)\n"
                + "s.settimeout(60);print(s.recv(4096).decode(),flush=True)", notify.toString()).start();
        assertEquals("bound", new java.io.BufferedReader(new java.io.InputStreamReader(listener.getInputStream())).readLine());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(ACTIVATE.toString(), "-E", "NOTIFY_SOCKET=" + notify,
                "-l", tmp.resolve("sock").toString(), "--fdname=jvirtd.socket",
                "-l", tmp.resolve("sock-ro").toString(), "--fdname=jvirtd-ro.socket",
                "-l", "127.0.0.1:" + port, "--fdname=jvirtd-tcp.socket",
                java, "-cp", System.getProperty("java.class.path"), Jvirtd.class.getName(), "--root", tmp.resolve("root").toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("out").toFile());
        Process d = pb.start();
        try {
            for (int i = 0; i < 100 && !Files.exists(tmp.resolve("sock")); i++) Thread.sleep(50);
            Virsh.Result rw = Virsh.run("test+unix:///default?socket=" + tmp.resolve("sock"), "list");
            assertEquals(" Id   Name   State\n----------------------\n 1    test   running\n\n", rw.out(), rw.all());
            Virsh.Result ro = Virsh.run("test+unix:///default?socket=" + tmp.resolve("sock-ro"), "suspend test");
            assertEquals("error: Failed to suspend domain 'test'\nerror: operation forbidden: read only access prevents virDomainSuspend\n",
                    ro.err(), ro.all());
            Virsh.Result tcp = Virsh.run("qemu+tcp://127.0.0.1:" + port + "/system", "list --all");
            assertEquals(0, tcp.exit(), tcp.all());
            String ready = new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ready.contains("READY=1"), ready);
            assertFalse(Files.exists(tmp.resolve("root/run/libvirt/libvirt-sock")), "no sockets of its own when activated");
        } finally {
            d.destroy();
            d.waitFor(20, TimeUnit.SECONDS);
            listener.destroyForcibly();
        }
    }
}
