package org.jvirt.vmm.devices.display;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One picture: width x height pixels, each 0xRRGGBB, row by row. */
public record Frame(int width, int height, int[] rgb) {
    public Frame {
        if (width < 0 || height < 0 || rgb.length != width * height) throw new IllegalArgumentException("frame " + width + "x" + height);
    }

    public int pixel(int x, int y) { return rgb[y * width + x]; }

    /** The binary PPM QEMU's screendump writes: "P6\n%d %d\n%d\n" with maxval 255, then R, G, B per pixel. */
    public byte[] toPpm() {
        byte[] header = ("P6\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + 3 * rgb.length];
        System.arraycopy(header, 0, out, 0, header.length);
        int o = header.length;
        for (int p : rgb) {
            out[o++] = (byte) (p >> 16);
            out[o++] = (byte) (p >> 8);
            out[o++] = (byte) p;
        }
        return out;
    }

    /** Writes {@link #toPpm} to file (created or truncated). */
    public void writePpm(Path file) throws IOException {
        Files.write(file, toPpm());
    }
}
