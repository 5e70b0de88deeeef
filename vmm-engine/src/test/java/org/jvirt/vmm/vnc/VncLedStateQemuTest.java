package org.jvirt.vmm.vnc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.cli.JvirtVmmMain;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LED state pseudo-encoding (-261) against QEMU 7.2's VNC server: a client that takes it is
 * connected while the kbd-echo guest is still stopped, then the guest runs its keyboard commands
 * (reset, ED 02 = Num Lock on, F5 = reset and disable: LEDs off). Under jvirt-vmm (emulator) and
 * under QEMU TCG the client receives the same LED updates: the state at SetEncodings, then each
 * change, as 1x1 pseudo-rectangles at 0,0.
 */
class VncLedStateQemuTest {
    private static final String QBOOT = "/usr/share/qemu/qboot.rom";
    private static final String INIT_DONE = "kbd-echo: keys translated set 2";

    @TempDir
    Path dir;

    @Test
    void theGuestsLedChangesReachTheClientAsUnderQemu() throws Exception {
        Path elf = GuestImages.require("kbd-echo");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        assumeTrue(Files.isRegularFile(Path.of(QBOOT)), "skipped: no " + QBOOT);

        int qemuPort = VncFixtures.freePort();
        List<Integer> qemu;
        try (QemuQmp q = QemuQmp.start(dir, "-M", "pc", "-accel", "tcg", "-m", "64", "-nodefaults", "-no-user-config", "-S",
                "-display", "none", "-vga", "std", "-bios", QBOOT, "-kernel", elf.toString(), "-vnc", "127.0.0.1:" + (qemuPort - 5900))) {
            q.command("query-status"); // QEMU is up, its VNC server listening
            try (RfbTestClient c = RfbTestClient.tcp(qemuPort)) {
                c.handshake("RFB 003.008\n", true);
                c.setEncodings(0, -261);
                q.command("cont");
                assertTrue(q.awaitOutput(INIT_DONE, Duration.ofSeconds(60)), q.output());
                qemu = ledsUntilQuiet(c);
            }
        }

        int port = VncFixtures.freePort();
        Path control = dir.resolve("control.sock"), serial = dir.resolve("serial.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), JvirtVmmMain.class.getName(),
                "--kernel", elf.toString(), "--accel", "emu", "--vga", "std", "--vnc", "tcp:127.0.0.1:" + port, "--paused",
                "--control", control.toString(), "--serial", "file:" + serial, "--memory", "64M")
                .redirectErrorStream(true).redirectOutput(dir.resolve("vmm.log").toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(control)) {
                assertTrue(p.isAlive() && System.nanoTime() < end, "no control socket: " + Files.readString(dir.resolve("vmm.log")));
                Thread.sleep(20);
            }
            try (ControlClient cc = ControlClient.connect(control, Duration.ofSeconds(30)); RfbTestClient c = RfbTestClient.tcp(port)) {
                cc.call(new Command.QmpCapabilities());
                c.handshake("RFB 003.008\n", true);
                c.setEncodings(0, -261);
                cc.call(new Command.Cont());
                while (!(Files.exists(serial) && Files.readString(serial).contains(INIT_DONE))) {
                    assertTrue(System.nanoTime() < end, "the guest never finished its keyboard commands");
                    Thread.sleep(20);
                }
                List<Integer> jvirt = ledsUntilQuiet(c);
                assertEquals(List.of(0, 2, 0), qemu, "QEMU: off at SetEncodings, Num Lock on (ED 02), off again (F5 resets the keyboard)");
                assertEquals(qemu, jvirt, "the LED updates jvirt's VNC server sent");
                cc.call(new Command.Quit());
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }

    /** The LED states of the updates that arrive until none has come for a second (the pseudo-rectangles checked as QEMU frames them). */
    private static List<Integer> ledsUntilQuiet(RfbTestClient c) throws Exception {
        List<Integer> out = new ArrayList<>();
        while (!c.silentFor(1000)) {
            c.readUpdate();
            for (int[] r : c.lastRects) if (r[4] == -261) assertEquals("0,0,1,1", r[0] + "," + r[1] + "," + r[2] + "," + r[3]);
            out.addAll(c.leds);
            c.leds.clear();
        }
        return out;
    }
}
