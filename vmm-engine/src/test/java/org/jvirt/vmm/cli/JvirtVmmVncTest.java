package org.jvirt.vmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.VncInfo;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.vnc.VncFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jvirt-vmm's --vnc wiring: refused without a display, a port in use ends the VMM with QEMU 7.2's
 * words, and on a unix socket with password=on the control socket's set_password,
 * expire_password and query-vnc act as QEMU's (and fail with its words).
 */
class JvirtVmmVncTest {
    @TempDir
    Path dir;

    @Test
    void vncWithoutADisplayIsAUsageError() {
        CliArguments.UsageException e = assertThrows(CliArguments.UsageException.class, () -> CliArguments.parseOptions(new String[] {
            "--kernel", "/x.elf", "--vnc", "tcp:127.0.0.1:5900"}));
        assertEquals("--vnc needs a display: add --vga std", e.getMessage());
    }

    @Test
    void aPortInUseEndsTheVmmWithQemusWords() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            VmmProcessFixture vmm = new VmmProcessFixture(dir);
            Path out = dir.resolve("out.log");
            Process p = vmm.startWithArgs(out, "--kernel", GuestImages.require("vga").toString(), "--vga", "std", "--accel", "emu",
                    "--vnc", "tcp:127.0.0.1:" + busy.getLocalPort());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue());
            assertEquals("jvirt-vmm: --vnc tcp:127.0.0.1:" + busy.getLocalPort() + ": Failed to find an available port: Address already in use\n",
                    Files.readString(out));
        }
    }

    @Test
    void passwordCommandsAndQueryVncOnAUnixSocket() throws Exception {
        VmmProcessFixture vmm = new VmmProcessFixture(dir);
        Path control = dir.resolve("control.sock");
        Path sock = dir.resolve("vnc.sock");
        Process p = vmm.startWithArgs(dir.resolve("out.log"), "--kernel", GuestImages.require("vga").toString(), "--append", "vga=1",
                "--vga", "std", "--accel", "emu", "--vnc", "unix:" + sock + ",password=on", "--control", control.toString());
        try (ControlClient c = VmmProcessFixture.connect(control, p)) {
            c.call(new Command.QmpCapabilities());
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
            assertEquals(1, VncFixtures.vncAuth(sock, ""), "no password yet: every client refused");
            c.call(new Command.SetPassword("vnc", "s3cret", "keep"));
            assertEquals(0, VncFixtures.vncAuth(sock, "s3cret"));
            assertEquals(1, VncFixtures.vncAuth(sock, "s3cre7"));
            c.call(new Command.ExpirePassword("vnc", "now"));
            assertEquals(1, VncFixtures.vncAuth(sock, "s3cret"), "expired");
            c.call(new Command.ExpirePassword("vnc", "never"));
            assertEquals(0, VncFixtures.vncAuth(sock, "s3cret"));

            assertEquals("Invalid parameter 'connected'", assertThrows(ControlClient.CommandFailed.class,
                    () -> c.call(new Command.SetPassword("vnc", "x", "disconnect"))).getMessage());
            assertEquals("SPICE is not in use", assertThrows(ControlClient.CommandFailed.class,
                    () -> c.call(new Command.SetPassword("spice", "x", null))).getMessage());
            assertEquals("Parameter 'protocol' does not accept value 'rdp'", assertThrows(ControlClient.CommandFailed.class,
                    () -> c.call(new Command.ExpirePassword("rdp", "now"))).getMessage());
            assertEquals(new VncInfo(true, sock.toString(), "unix", "", "vnc", List.of()), c.call(new Command.QueryVnc()));
            c.call(new Command.Quit());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
