package org.jvirt.vmm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.jvirt.vmm.testing.SerialOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio-input test guest (test-fixtures/guests/virtio-input.c) with a virtio keyboard at
 * 00:05.0, tablet at 00:06.0 and mouse at 00:07.0, under jvirt-vmm (--accel emu --vga std --vnc
 * --control --input keyboard,bus=virtio,addr=05.0 ...) and under qemu-system-x86_64 TCG (-device
 * virtio-keyboard-pci,addr=05.0 ...; -vga std -vnc): it prints each function's PCI identity and
 * every config answer, then the events it gets while the host types (send-key through jvirt's
 * control socket and QEMU's QMP) and moves, clicks and turns the wheel (the same RFB pointer
 * events to each VMM's VNC server). Routing is part of it: a key before the keyboard's driver is
 * up reaches the PS/2 keyboard, after it the virtio keyboard (the 8042 stays empty); pointer
 * events go to the tablet, then to the mouse activated after it, to the tablet again once the
 * mouse is reset, and keys to the PS/2 keyboard once the virtio keyboard is reset. A batch the
 * guest has too few buffers for is lost whole, as in QEMU. The serial output must be the same.
 */
class VirtioInputQemuDifferentialTest {
    private static final Duration STEP = Duration.ofSeconds(30);
    private static final String QBOOT = "/usr/share/qemu/qboot.rom";
    /** send-key lists for the keyboard phase: plain, Shift+A, Ctrl+Alt+Del, keypad Enter, SysRq both ways, Pause, unmapped numbers. */
    private static final int[][] KEYS = {{0x1e}, {0x2a, 0x1e}, {0x1d, 0x38, 0xd3}, {0x9c}, {0x54}, {0xb7}, {0xc6}, {0x7f}, {0x100}};
    private static final int F12 = 0x58;

    @TempDir
    Path dir;

    @Test
    void sameEventsAsQemu() throws Exception {
        Path elf = GuestImages.require("virtio-input");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: qemu-system-x86_64 is not installed");
        assumeTrue(Files.isRegularFile(Path.of(QBOOT)), "skipped: " + QBOOT + " is not installed");
        String qemu = underQemu(elf);
        String jvirt = underJvirt(elf);
        assertEquals(lines(qemu), lines(jvirt), "jvirt:\n" + jvirt + "\nQEMU:\n" + qemu);
        assertTrue(jvirt.contains("kbd: 8042 empty"), jvirt);
        assertTrue(jvirt.contains("ok virtio-input"), jvirt);
    }

    private String underJvirt(Path elf) throws Exception {
        VmmProcessFixture vmm = new VmmProcessFixture(dir);
        Path control = dir.resolve("control.sock");
        int port = InputHost.freePort();
        Process p = vmm.startWithArgs(dir.resolve("out.log"), "--kernel", elf.toString(), "--accel", "emu", "--vga", "std",
                "--vnc", "tcp:127.0.0.1:" + port, "--control", control.toString(), "--input", "keyboard,bus=virtio,addr=05.0",
                "--input", "tablet,bus=virtio,addr=06.0", "--input", "mouse,bus=virtio,addr=07.0");
        try (ControlClient c = VmmProcessFixture.connect(control, p); Rfb rfb = Rfb.connect(new Socket("127.0.0.1", port))) {
            c.call(new Command.QmpCapabilities());
            play(InputHost.jvirt(c, rfb, vmm), rfb);
            assertTrue(p.waitFor(STEP.toSeconds(), TimeUnit.SECONDS), "virtio-input did not finish under jvirt:\n" + vmm.serial());
            return vmm.serial() + "\nscreen " + rfb.width + "x" + rfb.height;
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String underQemu(Path elf) throws Exception {
        Path vncSock = dir.resolve("qemu-vnc.sock");
        try (QemuQmp q = QemuQmp.start(dir, "-M", "pc", "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config",
                "-display", "none", "-vga", "std", "-vnc", "unix:" + vncSock, "-bios", QBOOT,
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot", "-kernel", elf.toString(),
                "-device", "virtio-keyboard-pci,addr=05.0", "-device", "virtio-tablet-pci,addr=06.0", "-device", "virtio-mouse-pci,addr=07.0")) {
            q.command("query-status"); // connects QMP
            try (Rfb rfb = Rfb.connect(SocketChannel.open(UnixDomainSocketAddress.of(vncSock)))) {
                play(InputHost.qemu(q, rfb), rfb);
                assertTrue(q.awaitExit(STEP) != null, "virtio-input did not finish under QEMU:\n" + q.output());
                return q.output().replace("\r", "") + "\nscreen " + rfb.width + "x" + rfb.height;
            }
        }
    }

    /** The host's side of the guest's phases (see the guest's comment). */
    private static void play(InputHost h, Rfb rfb) throws Exception {
        int w = rfb.width, hgt = rfb.height;
        await(h, "virtio-input: ps2 keys");
        h.keys(0x1e);

        await(h, "virtio-input: keyboard keys");
        int syncs = 0;
        for (int[] k : KEYS) {
            h.keys(k);
            syncs += 2 * k.length; // a sync after each press and each release
            awaitCount(h, "kbd: syn", syncs);
        }
        h.keys(F12);

        await(h, "virtio-input: tablet");
        int[][] tablet = {{0, 0, 0}, {100, 100, 1}, {200, 150, 0}, {w - 1, hgt - 1, 8}, {w - 1, hgt - 1, 0}, {w / 2, hgt / 2, 16},
            {w / 2, hgt / 2, 4}, {1, 1, 0}};
        for (int i = 0; i < tablet.length; i++) {
            h.pointer(tablet[i][0], tablet[i][1], tablet[i][2]);
            awaitCount(h, "tablet: syn", i + 1);
        }

        await(h, "virtio-input: mouse");
        // the first only presses (no earlier position: no motion)
        int[][] mouse = {{300, 200, 1}, {310, 195, 0}, {310, 195, 8}, {310, 195, 0}, {300, 205, 16}, {300, 205, 6}, {300, 205, 0}};
        for (int i = 0; i < mouse.length; i++) {
            h.pointer(mouse[i][0], mouse[i][1], mouse[i][2]);
            awaitCount(h, "mouse: syn", i + 1);
        }

        await(h, "virtio-input: mouse reset");
        h.pointer(50, 60, 0); // the tablet's again
        awaitCount(h, "tablet: syn", tablet.length + 1);

        await(h, "virtio-input: mouse 3");
        h.pointer(320, 210, 1); // button, x, y, sync: 4 events for 3 buffers, lost
        h.pointer(325, 212, 1); // x, y, sync: delivered
        awaitCount(h, "mouse: syn", mouse.length + 1);
        await(h, "virtio-input: mouse more");
        h.pointer(330, 215, 0);
        awaitCount(h, "mouse: syn", mouse.length + 2);

        await(h, "virtio-input: ps2 again");
        h.keys(0x30);
    }

    /**
     * The guest's lines from its first one on: firmware lines before it are not the guest's, nor
     * QEMU's own stderr messages among them ("virtio_input_handle_event: unmapped key: ...",
     * "virtio_input_hid_handle_status: unknown type 2"), which jvirt does not print.
     */
    private static List<String> lines(String serial) {
        List<String> out = new ArrayList<>();
        boolean on = false;
        for (String l : serial.replace("\r", "").split("\n")) {
            if (l.startsWith("virtio-input: ") && l.endsWith("functions")) on = true;
            if (on && !l.isBlank() && !l.matches("virtio_input_\\w+: .*")) out.add(l);
        }
        return out;
    }

    /** Just enough RFB (RFC 6143) for pointer events: 3.8, security None, a shared ClientInit. */
    static final class Rfb implements AutoCloseable {
        private final AutoCloseable channel;
        private final DataInputStream in;
        private final DataOutputStream out;
        final int width, height;

        private Rfb(AutoCloseable channel, java.io.InputStream raw, java.io.OutputStream rawOut) throws IOException {
            this.channel = channel;
            in = new DataInputStream(raw);
            out = new DataOutputStream(rawOut);
            in.readNBytes(12);
            out.write("RFB 003.008\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            int n = in.readUnsignedByte();
            byte[] types = in.readNBytes(n);
            if (n < 1 || types[0] != 1) throw new IOException("security types " + java.util.Arrays.toString(types));
            out.write(1);
            out.flush();
            if (in.readInt() != 0) throw new IOException("security result failed");
            out.write(1);
            out.flush();
            width = in.readUnsignedShort();
            height = in.readUnsignedShort();
            in.readNBytes(16);
            in.readNBytes(in.readInt());
        }

        static Rfb connect(Socket s) throws IOException {
            s.setSoTimeout(20_000);
            return new Rfb(s, s.getInputStream(), s.getOutputStream());
        }

        static Rfb connect(SocketChannel ch) throws IOException {
            return new Rfb(ch, Channels.newInputStream(ch), Channels.newOutputStream(ch));
        }

        void pointer(int x, int y, int mask) throws IOException {
            out.write(5);
            out.write(mask);
            out.writeShort(x);
            out.writeShort(y);
            out.flush();
        }

        @Override
        public void close() throws Exception {
            channel.close();
        }
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
