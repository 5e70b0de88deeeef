package org.jvirt.vmm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.VncInfo;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.jvirt.vmm.vnc.VncFixtures;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference: the vga test guest under jvirt-vmm (--accel emu --vga std --vnc) and under
 * qemu-system-x86_64 (-accel tcg -vga std -vnc, qboot), each screen read whole by the tests' RFB
 * client (Raw, each server's own 32-bit format): the pixels are the same, and the same as
 * jvirt's screendump; the desktop names are the same; vncsnapshot (a real client) connects to
 * both and writes the same picture. query-vnc answers for the running server.
 */
class JvirtVmmVncQemuTest {
    static final String QBOOT = "/usr/share/qemu/qboot.rom";

    @TempDir
    Path dir;

    /** vga=1 by default (a run is ~10 s); -Djvirt.vnc.modes=1,2,13 compares more pictures. */
    static java.util.stream.IntStream modes() {
        return java.util.Arrays.stream(System.getProperty("jvirt.vnc.modes", "1").split(",")).mapToInt(Integer::parseInt);
    }

    @ParameterizedTest(name = "vga={0}")
    @MethodSource("modes")
    void vncShowsWhatQemusVncShows(int mode) throws Exception {
        Path elf = GuestImages.require("vga");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        assumeTrue(Files.isRegularFile(Path.of(QBOOT)), "skipped: no " + QBOOT);
        boolean snapshot = GuestImages.onPath("vncsnapshot");

        int qemuPort = VncFixtures.freePort();
        VncFixtures.Screen qemu;
        BufferedImage qemuSnap = null;
        try (QemuQmp q = QemuQmp.start(dir, "-M", "pc", "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config", "-name", "vga-test",
                "-display", "none", "-vga", "std", "-bios", QBOOT, "-kernel", elf.toString(), "-append", "vga=" + mode,
                "-vnc", "127.0.0.1:" + (qemuPort - 5900))) {
            assertTrue(q.awaitOutput("vga: drawn", Duration.ofSeconds(60)), q.output());
            qemu = VncFixtures.grab(qemuPort);
            if (snapshot) qemuSnap = VncFixtures.vncsnapshot(qemuPort, dir.resolve("qemu.jpg"));
        }

        VmmProcessFixture vmm = new VmmProcessFixture(dir);
        Path control = dir.resolve("control.sock");
        int port = VncFixtures.freePort();
        Process p = vmm.startWithArgs(dir.resolve("out.log"), "--kernel", elf.toString(), "--append", "vga=" + mode, "--name", "vga-test",
                "--vga", "std", "--accel", "emu", "--vnc", "tcp:127.0.0.1:" + port, "--control", control.toString());
        try (ControlClient c = VmmProcessFixture.connect(control, p)) {
            c.call(new Command.QmpCapabilities());
            vmm.awaitSerial("vga: drawn");
            VncFixtures.Screen jvirt = VncFixtures.grab(port);
            assertEquals(qemu.name(), jvirt.name());
            assertEquals("QEMU (vga-test)", jvirt.name());
            assertEquals(qemu.width() + "x" + qemu.height(), jvirt.width() + "x" + jvirt.height());
            assertArrayEquals(qemu.rgb(), jvirt.rgb(), "jvirt's VNC picture differs from QEMU's");
            Path ppm = dir.resolve("screen.ppm");
            c.call(new Command.Screendump(ppm.toString()));
            assertArrayEquals(VncFixtures.ppmPixels(ppm, jvirt.width(), jvirt.height()), jvirt.rgb(), "the VNC picture is the screendump");

            VncInfo info = c.call(new Command.QueryVnc());
            assertEquals(new VncInfo(true, "127.0.0.1", "ipv4", Integer.toString(port), "none", java.util.List.of()), info);

            if (snapshot) {
                BufferedImage mine = VncFixtures.vncsnapshot(port, dir.resolve("jvirt.jpg"));
                assertEquals(qemuSnap.getWidth(), mine.getWidth());
                assertEquals(qemuSnap.getHeight(), mine.getHeight());
                // the same pixels through the same client and JPEG encoder: the same decoded picture
                assertArrayEquals(qemuSnap.getRGB(0, 0, qemuSnap.getWidth(), qemuSnap.getHeight(), null, 0, qemuSnap.getWidth()),
                        mine.getRGB(0, 0, mine.getWidth(), mine.getHeight(), null, 0, mine.getWidth()), "vncsnapshot's pictures differ");
            }
            c.call(new Command.Quit());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
