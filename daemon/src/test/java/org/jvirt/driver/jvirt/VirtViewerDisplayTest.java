package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.daemon.server.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's done-when: the real virt-viewer, in a headless X session (Xvfb), shows a jvirt
 * guest's display through jvirtd. The vga test guest draws its VBE picture; the real virsh
 * takes its screenshot through the daemon (virDomainScreenshot's stream) and reads the VNC
 * display; virt-viewer connects to the daemon, finds the VNC listener in the live XML and
 * shows the guest; a capture of the X screen (xwd) must contain the screenshot's picture pixel
 * for pixel (virt-viewer at 100% zoom in a screen larger than the guest's).
 */
class VirtViewerDisplayTest {
    @TempDir Path tmp;

    private static final List<String> TOOLS = List.of("/usr/bin/virsh", "/usr/bin/virt-viewer", "/usr/bin/Xvfb", "/usr/bin/xwd");

    @Test
    void virtViewerShowsTheGuestThroughTheDaemon() throws Exception {
        for (String tool : TOOLS) assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed (scripts/setup.sh installs it)");
        Path root = Files.createDirectories(tmp.resolve("root"));
        try (TickerEmbed t = TickerEmbed.open(root, "virt-viewer on a jvirt guest", "vga");
             DaemonServer d = new DaemonServer(new ServerSettings(root, tmp.resolve("run"),
                     java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"),
                     java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"), null, "127.0.0.1", -1, -1, null, null, 5000, 20, 5, 5))) {
            d.start();
            String uri = "qemu+unix:///system?socket=" + tmp.resolve("run").resolve(DaemonServer.RW_SOCKET);
            Path xml = tmp.resolve("screen.xml");
            Path serial = tmp.resolve("serial.log");
            Files.writeString(xml, domainXml(serial));
            assertEquals("Domain 'screen' defined from " + xml + "\n\n", virsh(uri, "define", xml.toString()));
            assertEquals("Domain 'screen' started\n\n", virsh(uri, "start", "screen"));
            try {
                waitFor(() -> drawn(serial), 60 * (int) JvirtTestSupport.waitScale(), "the guest never printed 'vga: drawn'");
                Ppm picture = guestPicture(uri);
                String display = virsh(uri, "vncdisplay", "screen");
                assertTrue(display.matches("127\\.0\\.0\\.1:\\d+\n\n"), display);
                showsInVirtViewer(uri, picture);
            } finally {
                virsh(uri, "destroy", "screen");
                virsh(uri, "undefine", "screen");
            }
        }
    }

    /** Whether the guest said it finished its picture (a screenshot before that catches it half drawn). */
    private static boolean drawn(Path serial) {
        try {
            return Files.exists(serial) && Files.readString(serial).contains("vga: drawn");
        } catch (IOException e) {
            return false;
        }
    }

    private static String domainXml(Path serial) {
        return "<domain type='" + JvirtTestSupport.guestVirtType() + "'>\n  <name>screen</name>\n  <memory unit='MiB'>64</memory>\n"
                + "  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>"
                + JvirtTestSupport.GUESTS.resolve("vga.elf") + "</kernel>\n    <cmdline>vga=1</cmdline>\n  </os>\n  <devices>\n"
                + "    <serial type='file'>\n      <source path='" + serial + "'/>\n      <target port='0'/>\n    </serial>\n"
                + "    <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>\n"
                + "    <video>\n      <model type='vga'/>\n    </video>\n  </devices>\n</domain>\n";
    }

    /** The real virsh's screenshot through the daemon, taken again until it shows the 640x480 mode. */
    private Ppm guestPicture(String uri) throws Exception {
        Path file = tmp.resolve("shot.ppm");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30 * JvirtTestSupport.waitScale());
        String out = "";
        while (System.nanoTime() < end) {
            Files.deleteIfExists(file);
            out = virsh(uri, "screenshot", "screen", file.toString());
            if (Files.exists(file)) {
                assertEquals("Screenshot saved to " + file + ", with type of image/x-portable-pixmap\n", out);
                Ppm p = Ppm.read(Files.readAllBytes(file));
                if (p.width == 640 && p.height == 480 && !p.allBlack()) return p;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the guest's picture never showed in virsh screenshot: " + out);
    }

    /** Xvfb, virt-viewer on the daemon's URI, and xwd captures until the picture shows. */
    private void showsInVirtViewer(String uri, Ppm picture) throws Exception {
        int displayNumber = freeDisplay();
        String display = ":" + displayNumber;
        Process xvfb = new ProcessBuilder("/usr/bin/Xvfb", display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("xvfb.log").toFile()).start();
        Process viewer = null;
        try {
            waitFor(() -> Files.exists(Path.of("/tmp/.X11-unix/X" + displayNumber)), 20, "Xvfb " + display + " never came up");
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/virt-viewer", "--connect", uri, "screen")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("virt-viewer.log").toFile());
            pb.environment().put("DISPLAY", display);
            pb.environment().put("LC_ALL", "C");
            pb.environment().put("NO_AT_BRIDGE", "1");
            viewer = pb.start();
            Path capture = tmp.resolve("screen.xwd");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40 * JvirtTestSupport.waitScale());
            while (System.nanoTime() < end) {
                assertTrue(viewer.isAlive(), "virt-viewer ended: " + Files.readString(tmp.resolve("virt-viewer.log")));
                Process xwd = new ProcessBuilder("/usr/bin/xwd", "-root", "-silent", "-display", display, "-out", capture.toString())
                        .redirectErrorStream(true).start();
                xwd.getInputStream().readAllBytes();
                if (xwd.waitFor(20, TimeUnit.SECONDS) && xwd.exitValue() == 0) {
                    XwdImage screen = XwdImage.read(Files.readAllBytes(capture));
                    if (screen.contains(picture.rgb, picture.width, picture.height)) return;
                }
                Thread.sleep(500);
            }
            fail("virt-viewer's window never showed the guest's picture (last capture " + capture + "); virt-viewer said: "
                    + Files.readString(tmp.resolve("virt-viewer.log")));
        } finally {
            if (viewer != null) {
                viewer.destroy();
                if (!viewer.waitFor(10, TimeUnit.SECONDS)) viewer.destroyForcibly();
            }
            xvfb.destroy();
            if (!xvfb.waitFor(10, TimeUnit.SECONDS)) xvfb.destroyForcibly();
        }
    }

    /** An X display number with no socket and no lock file. */
    private static int freeDisplay() throws IOException {
        for (int n = 90; n < 200; n++) {
            if (!Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                try (ServerSocket probe = new ServerSocket(6000 + n)) {
                    return n;
                } catch (IOException e) {
                    // taken as a TCP display: try the next
                }
            }
        }
        throw new IOException("no free X display number in :90..:199");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError(what);
            Thread.sleep(100);
        }
    }

    private static String virsh(String uri, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/virsh", "-c", uri));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return out;
    }

    /** A binary PPM (P6, maxval 255) as QEMU's screendump and virsh screenshot write it. */
    record Ppm(int width, int height, int[] rgb) {
        static Ppm read(byte[] b) {
            int[] pos = {0};
            String magic = token(b, pos);
            assertEquals("P6", magic);
            int w = Integer.parseInt(token(b, pos)), h = Integer.parseInt(token(b, pos));
            assertEquals("255", token(b, pos));
            int o = pos[0] + 1; // one whitespace byte after maxval
            int[] rgb = new int[w * h];
            for (int i = 0; i < rgb.length; i++, o += 3) rgb[i] = (b[o] & 0xff) << 16 | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff);
            return new Ppm(w, h, rgb);
        }

        private static String token(byte[] b, int[] pos) {
            while (Character.isWhitespace(b[pos[0]])) pos[0]++;
            int start = pos[0];
            while (!Character.isWhitespace(b[pos[0]])) pos[0]++;
            return new String(b, start, pos[0] - start, StandardCharsets.US_ASCII);
        }

        boolean allBlack() {
            for (int p : rgb) if (p != 0) return false;
            return true;
        }
    }

    /**
     * An xwd(1) capture: the XWDFileHeader (big-endian CARD32s), the colours, then a ZPixmap of
     * 24- or 32-bit pixels (Xvfb's depth-24 root comes as 3 bytes a pixel, lines padded to bytes_per_line).
     */
    record XwdImage(int width, int height, int[] rgb) {
        static XwdImage read(byte[] b) {
            java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b);
            int headerSize = h.getInt(0), format = h.getInt(8), width = h.getInt(16), height = h.getInt(20);
            int byteOrder = h.getInt(28), bitsPerPixel = h.getInt(44), bytesPerLine = h.getInt(48);
            int redMask = h.getInt(56), greenMask = h.getInt(60), blueMask = h.getInt(64), colours = h.getInt(76);
            assertEquals(2, format, "ZPixmap");
            assertTrue(bitsPerPixel == 24 || bitsPerPixel == 32, "bits per pixel " + bitsPerPixel);
            int bytes = bitsPerPixel / 8, base = headerSize + 12 * colours;
            int[] rgb = new int[width * height];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int o = base + y * bytesPerLine + bytes * x, v = 0;
                    for (int i = 0; i < bytes; i++) {
                        int octet = b[o + i] & 0xff;
                        v |= byteOrder == 0 ? octet << (8 * i) : octet << (8 * (bytes - 1 - i));
                    }
                    rgb[y * width + x] = channel(v, redMask) << 16 | channel(v, greenMask) << 8 | channel(v, blueMask);
                }
            }
            return new XwdImage(width, height, rgb);
        }

        private static int channel(int v, int mask) {
            return (v & mask) >>> Integer.numberOfTrailingZeros(mask) & 0xff;
        }

        /** Whether the w x h picture appears somewhere in this image, pixel for pixel. */
        boolean contains(int[] picture, int w, int h) {
            for (int y = 0; y + h <= height; y++) {
                for (int x = 0; x + w <= width; x++) {
                    if (rgb[y * width + x] == picture[0] && at(picture, w, h, x, y)) return true;
                }
            }
            return false;
        }

        private boolean at(int[] picture, int w, int h, int x0, int y0) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) if (rgb[(y0 + y) * width + x0 + x] != picture[y * w + x]) return false;
            }
            return true;
        }
    }
}
