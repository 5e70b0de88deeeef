package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Debian generic kernel's own console drivers on jvirt's display devices
 * (test-fixtures/linux/build-generic.sh: the kernel, and an initrd whose /init loads the DRM
 * driver named by jvirt.drm=, clears tty1, writes a fixed screen of coloured text and says
 * JVIRT-DISPLAY-READY on COM1): QEMU 7.2 (TCG) with the same device, kernel and initrd is the
 * reference; jvirt-vmm (a process, emulator backend) answers its control socket's screendump,
 * and the two PPM files must be equal byte for byte, the whole screen. No cursor is excluded:
 * the command line (vt.global_cursor_default=0) and the /init (ESC [?25l) hide it on both.
 * <ul>
 * <li>virtio: virtio-gpu-pci, Linux's virtio_gpu (KMS, fbdev emulation, fbcon), 1280x800 from
 *     the device's display info; PVH boot of vmlinux (qboot under QEMU). Runs by default: 31-36 s
 *     for jvirt and 5 s for QEMU here (measured 2026-12-06, other work on the cores).
 * <li>bochs: bochs-display, Linux's bochs DRM driver (mode from the device's EDID), same boot.
 * <li>vga and virtio-vga: no DRM driver; SeaBIOS and the VGA BIOS set up text mode, syslinux
 *     boots the bzImage from display-disk.raw (virtio-blk), and Linux's vgacon draws in the
 *     80x25 text buffer (720x400 picture).
 * </ul>
 * All four are opt-in with -Djvirt.display.linux=true (virtio ~40 s, bochs 31-60 s; a firmware boot
 * also unpacks the XZ bzImage on the emulator: 81-100 s); CI checks the devices against QEMU's
 * screendump with test guests (VirtioGpuQemuTest, StdVgaScreendumpQemuTest, BochsDisplayQemuTest).
 */
class LinuxConsoleDisplayEmuTest {
    static final String BIOS = "/usr/share/seabios/bios-256k.bin", QBOOT = "/usr/share/qemu/qboot.rom";
    static final String READY = "JVIRT-DISPLAY-READY";
    /** What the direct boots give the kernel (display-disk.raw's syslinux.cfg has the same words, without jvirt.drm). */
    static final String CMDLINE = "console=ttyS0 quiet loglevel=0 consoleblank=0 vt.global_cursor_default=0 panic=-1 nokaslr";
    static final long MEMORY_MIB = 512;

    /** A display: QEMU's device, jvirt-vmm's --vga, the DRM driver the /init loads (null: vgacon after a firmware boot). */
    enum Case {
        VIRTIO("virtio-gpu-pci", "virtio", "virtio_gpu", "virtio_gpudrmfb"),
        BOCHS("bochs-display", "bochs", "bochs", "bochs-drmdrmfb"),
        VGA("VGA", "std", null, null),
        VIRTIO_VGA("virtio-vga", "virtio-vga", null, null);

        final String qemuDevice, jvirtVga, drm, framebuffer;

        Case(String qemuDevice, String jvirtVga, String drm, String framebuffer) {
            this.qemuDevice = qemuDevice;
            this.jvirtVga = jvirtVga;
            this.drm = drm;
            this.framebuffer = framebuffer;
        }

        boolean firmwareBoot() { return drm == null; }
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Case.class)
    void theConsoleLooksAsUnderQemu(Case c) throws Exception {
        assumeTrue(Boolean.getBoolean("jvirt.display.linux"),
                "a Linux console on " + c.qemuDevice + " (0.5 to 1.5 min on the emulator): runs with -Djvirt.display.linux=true");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        String firmware = c.firmwareBoot() ? BIOS : QBOOT;
        assumeTrue(Files.isRegularFile(Path.of(firmware)), "skipped: no " + firmware);
        Path disk = null, kernel = null, initrd = null;
        if (c.firmwareBoot()) {
            disk = GenericLinux.require("display-disk.raw");
        } else {
            kernel = GenericLinux.require("vmlinux");
            initrd = GenericLinux.require("initrd-display.img");
        }
        String cmdline = CMDLINE + " jvirt.drm=" + c.drm;

        // QEMU 7.2 (TCG): its QMP screendump once the guest said it is ready
        Path qemuDir = Files.createDirectories(tmp.resolve("qemu")), qemuPpm = tmp.resolve("qemu.ppm");
        List<String> q = new ArrayList<>(List.of("-M", "pc", "-accel", "tcg", "-m", String.valueOf(MEMORY_MIB), "-nodefaults",
                "-no-user-config", "-display", "none", "-vga", "none", "-device", c.qemuDevice, "-bios", firmware));
        if (c.firmwareBoot()) {
            q.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=none,id=d0,snapshot=on", "-device", "virtio-blk-pci,drive=d0,bootindex=0"));
        } else {
            q.addAll(List.of("-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", cmdline));
        }
        String qemuSerial;
        long t0 = System.nanoTime();
        try (QemuQmp qemu = QemuQmp.start(qemuDir, q.toArray(String[]::new))) {
            assertTrue(qemu.awaitOutput(READY, Duration.ofSeconds(120)), "QEMU: no " + READY + ":\n" + qemu.output());
            String reply = qemu.command("screendump", "{\"filename\":\"" + qemuPpm + "\"}");
            assertTrue(reply.contains("\"return\""), reply);
            qemuSerial = qemu.output();
        }
        double qemuSeconds = (System.nanoTime() - t0) / 1e9;
        byte[] expected = Files.readAllBytes(qemuPpm);

        // jvirt-vmm (emulator): the same, through its control socket
        Path jvirtPpm = tmp.resolve("jvirt.ppm"), serialLog = tmp.resolve("jvirt-serial.log"), control = tmp.resolve("control.sock");
        List<String> j = new ArrayList<>(List.of("--accel", "emu", "--memory", MEMORY_MIB + "M", "--vga", c.jvirtVga,
                "--serial", "file:" + serialLog, "--control", control.toString()));
        if (c.firmwareBoot()) {
            j.addAll(List.of("--firmware", BIOS, "--disk", disk + ",ro"));
        } else {
            j.addAll(List.of("--kernel", kernel.toString(), "--initrd", initrd.toString(), "--append", cmdline));
        }
        Duration within = Duration.ofSeconds(c.firmwareBoot() ? 600 : 240);
        t0 = System.nanoTime();
        String jvirtSerial;
        Process vmm = startVmm(tmp.resolve("jvirt-vmm.log"), j);
        try (ControlClient ctl = connect(control, vmm)) {
            ctl.call(new Command.QmpCapabilities());
            jvirtSerial = awaitSerial(serialLog, READY, within, vmm);
            ctl.call(new Command.Screendump(jvirtPpm.toString()));
            ctl.call(new Command.Quit());
        } finally {
            vmm.destroyForcibly();
            vmm.waitFor(10, TimeUnit.SECONDS);
        }
        double jvirtSeconds = (System.nanoTime() - t0) / 1e9;
        byte[] actual = Files.readAllBytes(jvirtPpm);
        System.out.printf("[linux] console on %s: QEMU %.1f s, jvirt emu %.1f s to %s%n", c.qemuDevice, qemuSeconds, jvirtSeconds, READY);

        if (c.framebuffer != null) {
            // both kernels made the same frame buffer: the DRM driver's, at the device's preferred mode
            String fb = "init: fb0 " + c.framebuffer + " 1280,800";
            assertTrue(qemuSerial.contains(fb), "QEMU:\n" + qemuSerial);
            assertTrue(jvirtSerial.contains(fb), "jvirt:\n" + jvirtSerial);
        }
        assertTrue(!jvirtSerial.contains("init: insmod"), "a module failed to load:\n" + jvirtSerial);
        String header = c.framebuffer != null ? "P6\n1280 800\n255\n" : "P6\n720 400\n255\n";
        assertEquals(header, new String(expected, 0, header.length(), StandardCharsets.US_ASCII), "QEMU's picture");
        assertTrue(litPixels(expected, header.length()) > 10_000, "QEMU's picture has the text (files in " + tmp + ")");
        assertEquals(expected.length, actual.length, "picture size (files in " + tmp + ")");
        String diff = difference(expected, actual, header.length(), c.framebuffer != null ? 1280 : 720);
        assertTrue(diff == null, "jvirt's screendump differs from QEMU's: " + diff + " (files in " + tmp + ")");
    }

    /** Starts jvirt-vmm in a JVM of its own, with the inlining options bin/jvirt-vmm gives the emulator. */
    private static Process startVmm(Path log, List<String> args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:InlineSmallCode=8000", "-XX:FreqInlineSize=500", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=dontinline,org.jvirt.vmm.emu.cpu.CompiledBlock::step",
                "-cp", System.getProperty("java.class.path"), JvirtVmmMain.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static ControlClient connect(Path control, Process vmm) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(control)) {
            assertTrue(vmm.isAlive() && System.nanoTime() < end, "jvirt-vmm made no control socket");
            Thread.sleep(20);
        }
        return ControlClient.connect(control, Duration.ofSeconds(30));
    }

    /** The serial log once it holds text (a failure with the log when the VMM ends or time runs out first). */
    private static String awaitSerial(Path log, String text, Duration within, Process vmm) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            String s = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
            if (s.contains(text)) return s;
            assertTrue(vmm.isAlive(), "jvirt-vmm ended before " + text + ":\n" + s);
            assertTrue(System.nanoTime() < end, "jvirt: no " + text + " in " + within + ":\n" + s);
            Thread.sleep(100);
        }
    }

    private static int litPixels(byte[] ppm, int from) {
        int n = 0;
        for (int i = from; i + 2 < ppm.length; i += 3) if ((ppm[i] | ppm[i + 1] | ppm[i + 2]) != 0) n++;
        return n;
    }

    /** null when the pixels are equal; otherwise how many differ and their bounding box. */
    static String difference(byte[] expected, byte[] actual, int from, int width) {
        int count = 0, x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        for (int i = from; i + 2 < expected.length; i += 3) {
            if (expected[i] == actual[i] && expected[i + 1] == actual[i + 1] && expected[i + 2] == actual[i + 2]) continue;
            int p = (i - from) / 3, x = p % width, y = p / width;
            count++;
            x0 = Math.min(x0, x);
            y0 = Math.min(y0, y);
            x1 = Math.max(x1, x);
            y1 = Math.max(y1, y);
        }
        return count == 0 ? null : count + " pixels in (" + x0 + "," + y0 + ")-(" + x1 + "," + y1 + ")";
    }
}
