package org.jvirt.vmm.vnc;

import java.io.ByteArrayOutputStream;
import java.util.zip.Deflater;

/**
 * ZRLE (RFB encoding 16): the rectangle in 64x64 tiles, each solid (subencoding 1) or raw
 * CPIXELs (0), the whole compressed into the client's one zlib stream (each rectangle's bytes
 * ended by a sync flush, so the client can inflate them at once) and sent after their length.
 */
final class ZrleEncoder {
    private static final int TILE = 64;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    private byte[] raw = new byte[1 + TILE * TILE * 4];
    private final ByteArrayOutputStream tiles = new ByteArrayOutputStream();
    private byte[] chunk = new byte[64 * 1024];

    /** The rectangle's data (after its header): u32 length, then the zlib bytes. */
    byte[] encode(int[] rgb, int stride, int x0, int y0, int w, int h, PixelFormat pf) {
        tiles.reset();
        int cb = pf.compactBytes(), skip = pf.compactSkip();
        byte[] px = new byte[4];
        for (int ty = y0; ty < y0 + h; ty += TILE) {
            int th = Math.min(TILE, y0 + h - ty);
            for (int tx = x0; tx < x0 + w; tx += TILE) {
                int tw = Math.min(TILE, x0 + w - tx);
                int first = rgb[ty * stride + tx];
                boolean solid = true;
                for (int y = ty; y < ty + th && solid; y++) {
                    for (int x = tx, i = y * stride + tx; x < tx + tw; x++, i++) {
                        if (rgb[i] != first) { solid = false; break; }
                    }
                }
                int o = 0;
                raw[o++] = (byte) (solid ? 1 : 0);
                if (solid) {
                    o = cpixel(first, pf, cb, skip, px, o);
                } else {
                    for (int y = ty; y < ty + th; y++) {
                        for (int x = tx, i = y * stride + tx; x < tx + tw; x++, i++) o = cpixel(rgb[i], pf, cb, skip, px, o);
                    }
                }
                tiles.write(raw, 0, o);
            }
        }
        deflater.setInput(tiles.toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0); out.write(0); out.write(0); out.write(0);
        while (true) {
            int n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
            if (n < chunk.length && deflater.needsInput()) break;
        }
        byte[] b = out.toByteArray();
        int len = b.length - 4;
        b[0] = (byte) (len >>> 24); b[1] = (byte) (len >>> 16); b[2] = (byte) (len >>> 8); b[3] = (byte) len;
        return b;
    }

    private int cpixel(int rgb, PixelFormat pf, int cb, int skip, byte[] px, int o) {
        if (cb == pf.bytesPerPixel()) return pf.write(rgb, raw, o);
        pf.write(rgb, px, 0);
        for (int k = 0; k < 4; k++) if (k != skip) raw[o++] = px[k];
        return o;
    }

    void close() {
        deflater.end();
    }
}
