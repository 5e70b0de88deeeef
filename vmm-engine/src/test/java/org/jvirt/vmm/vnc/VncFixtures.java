package org.jvirt.vmm.vnc;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Helpers for the tests that run real VNC peers (QEMU's server, vncsnapshot). */
public final class VncFixtures {
    private VncFixtures() { }

    /** A TCP port free on 127.0.0.1 now (QEMU's -vnc takes it as display port - 5900). */
    public static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                if (s.getLocalPort() > 5900) return s.getLocalPort();
            }
        }
    }

    /** The whole screen of the VNC server at port in 0xRRGGBB (Raw, the server's own 32-bit format), and its desktop name. */
    public static Screen grab(int port) throws IOException {
        try (RfbTestClient c = RfbTestClient.tcp(port)) {
            c.handshake("RFB 003.008\n", true);
            c.setEncodings(0);
            return new Screen(c.width, c.height, c.fullFrame(), c.name);
        }
    }

    /** Connects to the unix socket and answers VNC authentication with password: QEMU's SecurityResult (0 ok, 1 failed). */
    public static int vncAuth(Path sock, String password) throws IOException {
        try (RfbTestClient c = RfbTestClient.unix(sock)) {
            return VncServerTest.vncAuth(c, ch -> VncAuth.response(password, ch));
        }
    }

    public record Screen(int width, int height, int[] rgb, String name) { }

    /** The pixels of a P6 PPM with maxval 255. */
    public static int[] ppmPixels(Path ppm, int width, int height) throws IOException {
        byte[] b = Files.readAllBytes(ppm);
        String header = "P6\n" + width + " " + height + "\n255\n";
        int off = header.length();
        if (!new String(b, 0, off, java.nio.charset.StandardCharsets.US_ASCII).equals(header)) throw new IOException("not a " + width + "x" + height + " PPM");
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) rgb[i] = (b[off + 3 * i] & 0xff) << 16 | (b[off + 3 * i + 1] & 0xff) << 8 | b[off + 3 * i + 2] & 0xff;
        return rgb;
    }

    /** vncsnapshot's picture of the server at port (raw encoding, JPEG quality 100), decoded. */
    public static java.awt.image.BufferedImage vncsnapshot(int port, Path jpeg) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("vncsnapshot", "-quiet", "-encodings", "raw", "-nojpeg", "-quality", "100",
                "127.0.0.1::" + port, jpeg.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("vncsnapshot failed: " + out);
        return javax.imageio.ImageIO.read(jpeg.toFile());
    }
}
