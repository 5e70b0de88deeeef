package org.jvirt.vmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.cli.VirtioInputQemuDifferentialTest.Rfb;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.jvirt.vmm.testing.SerialOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usb-tablet test guest (test-fixtures/guests/usb-tablet.c: a polled xHCI driver) with a
 * qemu-xhci at 00:04.0 and a usb-tablet on it, under jvirt-vmm (--accel emu --vga std --vnc
 * --usb qemu-xhci,addr=04.0 --input tablet,bus=usb) and under qemu-system-x86_64 TCG (-device
 * qemu-xhci,addr=04.0 -device usb-tablet -vga std -vnc): the guest prints the controller's PCI
 * identity, capability registers, ports, every command completion and transfer event, the
 * device's descriptors and contexts, a stall and its recovery, then the HID report of each of
 * the same VNC pointer events (moves, each button, the wheel both ways, the screen's corners).
 * The serial output must be the same.
 */
class UsbTabletVncQemuTest {
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final String QBOOT = "/usr/share/qemu/qboot.rom";

    @TempDir
    Path dir;

    /** A device under test: its --input kind and QEMU -device, the reports the guest waits for, the host's events. */
    private record Case(String kind, String qemuDevice, int reports, Play play, String machine) {
        Case(String kind, String qemuDevice, int reports, Play play) {
            this(kind, qemuDevice, reports, play, "pc");
        }
    }

    interface Play {
        void run(InputHost h, Rfb rfb) throws Exception;
    }

    @Test
    void tabletSameDescriptorsAndReportsAsQemu() throws Exception {
        same(new Case("tablet", "usb-tablet", 9, UsbTabletVncQemuTest::tablet));
    }

    /** On the q35 the controller has QEMU's PCI Express capability at 0xa0 (the config space dump must match). */
    @Test
    void tabletOnQ35SameConfigSpaceAndReportsAsQemu() throws Exception {
        same(new Case("tablet", "usb-tablet", 9, UsbTabletVncQemuTest::tablet, "q35"));
    }

    /** usb-mouse: relative motion (small moves: a move over 127 takes more than one report), buttons, wheel. */
    @Test
    void mouseSameDescriptorsAndReportsAsQemu() throws Exception {
        same(new Case("mouse", "usb-mouse", 6, UsbTabletVncQemuTest::mouse));
    }

    /** usb-kbd: one report per scancode of send-key's presses and releases (a, Shift+A, keypad Enter: 10). */
    @Test
    void keyboardSameDescriptorsAndReportsAsQemu() throws Exception {
        same(new Case("keyboard", "usb-kbd", 10, UsbTabletVncQemuTest::keyboard));
    }

    private void same(Case c) throws Exception {
        Path elf = GuestImages.require("usb-tablet");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: qemu-system-x86_64 is not installed");
        assumeTrue(Files.isRegularFile(Path.of(QBOOT)), "skipped: " + QBOOT + " is not installed");
        String qemu = underQemu(elf, c);
        String jvirt = underJvirt(elf, c);
        assertEquals(lines(qemu), lines(jvirt), "jvirt:\n" + jvirt + "\nQEMU:\n" + qemu);
        assertTrue(jvirt.contains("ok usb-tablet"), jvirt);
        assertTrue(jvirt.contains("report " + (c.reports() - 1) + ":"), jvirt);
    }

    private String underJvirt(Path elf, Case k) throws Exception {
        VmmProcessFixture vmm = new VmmProcessFixture(dir);
        int port = InputHost.freePort();
        Path control = dir.resolve("control.sock");
        Process p = vmm.startWithArgs(dir.resolve("out.log"), "--kernel", elf.toString(), "--accel", "emu", "--machine", k.machine(), "--vga", "std",
                "--vnc", "tcp:127.0.0.1:" + port, "--control", control.toString(), "--usb", "qemu-xhci,addr=04.0", "--input", k.kind() + ",bus=usb",
                "--append", "reports=" + k.reports());
        try (ControlClient c = VmmProcessFixture.connect(control, p); Rfb rfb = Rfb.connect(new Socket("127.0.0.1", port))) {
            c.call(new Command.QmpCapabilities());
            k.play().run(InputHost.jvirt(c, rfb, vmm), rfb);
            assertTrue(p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS), "usb-tablet did not finish under jvirt:\n" + vmm.serial());
            return vmm.serial() + "\nscreen " + rfb.width + "x" + rfb.height;
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String underQemu(Path elf, Case k) throws Exception {
        Path vncSock = dir.resolve("qemu-vnc.sock");
        try (QemuQmp q = QemuQmp.start(dir, "-M", k.machine(), "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config",
                "-display", "none", "-vga", "std", "-vnc", "unix:" + vncSock, "-bios", QBOOT,
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot", "-kernel", elf.toString(),
                "-device", "qemu-xhci,addr=04.0", "-device", k.qemuDevice(), "-append", "reports=" + k.reports())) {
            q.command("query-status"); // connects QMP
            try (Rfb rfb = Rfb.connect(SocketChannel.open(UnixDomainSocketAddress.of(vncSock)))) {
                k.play().run(InputHost.qemu(q, rfb), rfb);
                assertTrue(q.awaitExit(STEP) != null, "usb-tablet did not finish under QEMU:\n" + q.output());
                return q.output().replace("\r", "") + "\nscreen " + rfb.width + "x" + rfb.height;
            }
        }
    }

    /** One pointer event per report the guest waits for: moves, left, middle, right, wheel up and down, corners. */
    private static void tablet(InputHost h, Rfb rfb) throws Exception {
        int w = rfb.width, hgt = rfb.height;
        await(h, "usb-tablet: reports");
        int[][] events = {{0, 0, 0}, {100, 100, 1}, {200, 150, 0}, {w - 1, hgt - 1, 2}, {w - 1, hgt - 1, 4}, {w / 2, hgt / 2, 8},
            {w / 2, hgt / 2, 16}, {1, 1, 0}, {w / 3, hgt / 4, 7}};
        for (int i = 0; i < events.length; i++) {
            h.pointer(events[i][0], events[i][1], events[i][2]);
            awaitCount(h, "report " + i + ":", 1);
        }
    }

    /**
     * The first event has no earlier position and no button change: no input event, no sync, no
     * report (QEMU's sync reaches only handlers that had events); then moves under 127, buttons, the wheel.
     */
    private static void mouse(InputHost h, Rfb rfb) throws Exception {
        await(h, "usb-tablet: reports");
        h.pointer(300, 200, 0);
        int[][] events = {{310, 195, 1}, {250, 260, 0}, {250, 260, 4}, {251, 262, 8}, {251, 262, 16}, {240, 250, 2}};
        for (int i = 0; i < events.length; i++) {
            h.pointer(events[i][0], events[i][1], events[i][2]);
            awaitCount(h, "report " + i + ":", 1);
        }
    }

    private static void keyboard(InputHost h, Rfb rfb) throws Exception {
        await(h, "usb-tablet: reports");
        h.keys(0x1e);
        awaitCount(h, "report 1:", 1);
        h.keys(0x2a, 0x1e);
        awaitCount(h, "report 5:", 1);
        h.keys(0x9c);
    }

    /** The guest's lines from its first one on (firmware lines before it are not the guest's). */
    private static List<String> lines(String serial) {
        List<String> out = new ArrayList<>();
        boolean on = false;
        for (String l : serial.replace("\r", "").split("\n")) {
            if (l.startsWith("usb-tablet: xhci at")) on = true;
            if (on && !l.isBlank() && !l.startsWith("qemu-system")) out.add(l);
        }
        return out;
    }

    private static int count(String s, String what) {
        return SerialOutput.count(s, what);
    }

    private static void await(InputHost h, String text) throws InterruptedException {
        SerialOutput.await(h::out, text + "\n", STEP);
    }

    private static void awaitCount(InputHost h, String what, int n) throws InterruptedException {
        SerialOutput.awaitCount(h::out, what, n, STEP);
    }
}
