package org.jvirt.vmm.vnc;

/**
 * An RFB pixel format (true colour only, as QEMU accepts): how a 0xRRGGBB pixel becomes
 * 1, 2 or 4 bytes for one client. Components are cut to the top bits of each 8-bit value, as
 * QEMU's vnc_convert_pixel does (bits = the number of one bits in max).
 */
record PixelFormat(int bitsPerPixel, int depth, boolean bigEndian, int redMax, int greenMax, int blueMax,
                   int redShift, int greenShift, int blueShift) {

    /** What the server offers in ServerInit: QEMU's default, 32 bpp, depth 24, x86 byte order, 0xRRGGBB. */
    static final PixelFormat DEFAULT = new PixelFormat(32, 24, false, 255, 255, 255, 16, 8, 0);

    int bytesPerPixel() { return bitsPerPixel / 8; }

    /** The 16 bytes of the RFB PIXEL_FORMAT structure. */
    byte[] encode() {
        return new byte[] {(byte) bitsPerPixel, (byte) depth, (byte) (bigEndian ? 1 : 0), 1,
            (byte) (redMax >> 8), (byte) redMax, (byte) (greenMax >> 8), (byte) greenMax, (byte) (blueMax >> 8), (byte) blueMax,
            (byte) redShift, (byte) greenShift, (byte) blueShift, 0, 0, 0};
    }

    /**
     * The format a SetPixelFormat message asks for (the 16 bytes at off), or null when QEMU
     * closes the connection: a colour map (true-colour flag 0) or bits per pixel other than 8, 16, 32.
     */
    static PixelFormat decode(byte[] b, int off) {
        int bpp = b[off] & 0xff;
        if ((b[off + 3] & 0xff) == 0) return null;
        if (bpp != 8 && bpp != 16 && bpp != 32) return null;
        return new PixelFormat(bpp, b[off + 1] & 0xff, b[off + 2] != 0, u16(b, off + 4), u16(b, off + 6), u16(b, off + 8),
                b[off + 10] & 31, b[off + 11] & 31, b[off + 12] & 31);
    }

    private static int u16(byte[] b, int off) { return (b[off] & 0xff) << 8 | b[off + 1] & 0xff; }

    /** The client's pixel value of 0xRRGGBB (before byte order). */
    int value(int rgb) {
        int r = ((rgb >>> 16) & 0xff) << Integer.bitCount(redMax) >>> 8;
        int g = ((rgb >>> 8) & 0xff) << Integer.bitCount(greenMax) >>> 8;
        int b = (rgb & 0xff) << Integer.bitCount(blueMax) >>> 8;
        return r << redShift | g << greenShift | b << blueShift;
    }

    /** Writes the pixel's bytes in the client's byte order at out[off]; returns the next offset. */
    int write(int rgb, byte[] out, int off) {
        int v = value(rgb);
        switch (bitsPerPixel) {
            case 8 -> out[off++] = (byte) v;
            case 16 -> {
                if (bigEndian) { out[off++] = (byte) (v >> 8); out[off++] = (byte) v; }
                else { out[off++] = (byte) v; out[off++] = (byte) (v >> 8); }
            }
            default -> {
                if (bigEndian) { out[off++] = (byte) (v >> 24); out[off++] = (byte) (v >> 16); out[off++] = (byte) (v >> 8); out[off++] = (byte) v; }
                else { out[off++] = (byte) v; out[off++] = (byte) (v >> 8); out[off++] = (byte) (v >> 16); out[off++] = (byte) (v >> 24); }
            }
        }
        return off;
    }

    /**
     * ZRLE's CPIXEL size (RFC 6143 7.7.6): 3 bytes when 32 bpp, depth 24 or less and every colour
     * bit in the low or in the high three bytes; else the pixel's size.
     */
    int compactBytes() {
        return compactSkip() >= 0 ? 3 : bytesPerPixel();
    }

    /** Which of the 4 bytes a CPIXEL leaves out (0 or 3), or -1 when it is not compact. */
    int compactSkip() {
        if (bitsPerPixel != 32 || depth > 24) return -1;
        long mask = (long) redMax << redShift | (long) greenMax << greenShift | (long) blueMax << blueShift;
        boolean low = (mask & 0xff000000L) == 0, high = (mask & 0xffL) == 0;
        if (!low && !high) return -1;
        // the byte holding bits 24-31 (low fit) or bits 0-7 (high fit), in the client's byte order
        int msbIndex = bigEndian ? 0 : 3, lsbIndex = bigEndian ? 3 : 0;
        return low ? msbIndex : lsbIndex;
    }
}
