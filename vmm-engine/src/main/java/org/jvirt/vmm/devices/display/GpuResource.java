package org.jvirt.vmm.devices.display;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.memory.GuestMemory;

/**
 * A virtio-gpu 2D resource: its host copy (4 bytes a pixel, in the virtio format's byte order)
 * and the guest pages backing it. Transfers copy from the backing as QEMU's
 * virtio_gpu_transfer_to_host_2d does; every backing entry was checked to lie in guest RAM when
 * attached, and reads past the backing's end copy nothing, as QEMU's iov_to_buf.
 */
final class GpuResource {
    final int id, format, width, height;
    final byte[] pixels;
    /** Backing entries (guest address, length), or null while none is attached. */
    long[] backingAddr;
    int[] backingLen;

    GpuResource(int id, int format, int width, int height) {
        this.id = id;
        this.format = format;
        this.width = width;
        this.height = height;
        this.pixels = new byte[width * height * 4];
    }

    /** The byte positions of red, green and blue in a pixel of a virtio format; null for a format QEMU does not take. */
    static int[] channels(int format) {
        return switch (format) {
            case 1, 2 -> new int[] {2, 1, 0};     // B8G8R8A8, B8G8R8X8
            case 3, 4 -> new int[] {1, 2, 3};     // A8R8G8B8, X8R8G8B8
            case 67, 134 -> new int[] {0, 1, 2};  // R8G8B8A8, R8G8B8X8
            case 68, 121 -> new int[] {3, 2, 1};  // X8B8G8R8, A8B8G8R8
            default -> null;
        };
    }

    int stride() { return width * 4; }

    long hostBytes() { return pixels.length; }

    /** Copies n bytes of the backing starting at offset into pixels[at]; what lies past the backing is left. */
    void copyFromBacking(GuestMemory mem, long offset, int at, int n) {
        for (int i = 0; i < backingAddr.length && n > 0; i++) {
            long len = backingLen[i] & 0xffffffffL;
            if (offset >= len) {
                offset -= len;
                continue;
            }
            int k = (int) Math.min(n, len - offset);
            mem.read(backingAddr[i] + offset, pixels, at, k);
            at += k;
            n -= k;
            offset = 0;
        }
    }

    /** The transfer QEMU makes: the whole image at once, or line by line from offset (the rectangle was checked). */
    void transfer(GuestMemory mem, long x, long y, long w, long h, long offset) {
        if (offset != 0 || x != 0 || y != 0 || w != width) {
            for (long line = 0; line < h; line++) {
                long src = offset + stride() * line;
                if (src < 0) break; // past 2^63: nothing there
                copyFromBacking(mem, src, (int) ((y + line) * stride() + x * 4), (int) (w * 4));
            }
        } else {
            copyFromBacking(mem, 0, 0, pixels.length);
        }
    }

    /** The rectangle (x, y, w, h) of the picture as 0xRRGGBB pixels. */
    Frame frame(int x, int y, int w, int h) {
        int[] c = channels(format);
        int[] rgb = new int[w * h];
        for (int row = 0; row < h; row++) {
            int o = (y + row) * stride() + x * 4;
            for (int col = 0; col < w; col++, o += 4) {
                rgb[row * w + col] = (pixels[o + c[0]] & 0xff) << 16 | (pixels[o + c[1]] & 0xff) << 8 | pixels[o + c[2]] & 0xff;
            }
        }
        return new Frame(w, h, rgb);
    }

    void save(DataOutput out) throws IOException {
        out.writeInt(id);
        out.writeInt(format);
        out.writeInt(width);
        out.writeInt(height);
        out.write(pixels);
        out.writeInt(backingAddr == null ? -1 : backingAddr.length);
        if (backingAddr != null) {
            for (int i = 0; i < backingAddr.length; i++) {
                out.writeLong(backingAddr[i]);
                out.writeInt(backingLen[i]);
            }
        }
    }

    /** A saved resource; its size and backing are checked as the commands that made them check. */
    static GpuResource load(DataInput in, GuestMemory mem, long hostmemLeft) throws IOException {
        int id = in.readInt(), format = in.readInt(), width = in.readInt(), height = in.readInt();
        if (id == 0 || channels(format) == null || width < 0 || height < 0 || (long) width * height * 4 > hostmemLeft) {
            throw new IOException("bad virtio-gpu resource " + id + " (format " + format + ", " + width + "x" + height + ")");
        }
        GpuResource r = new GpuResource(id, format, width, height);
        in.readFully(r.pixels);
        int entries = in.readInt();
        if (entries > VirtioGpu.MAX_BACKING_ENTRIES || entries < -1) throw new IOException("bad virtio-gpu backing count " + entries);
        if (entries >= 0) {
            r.backingAddr = new long[entries];
            r.backingLen = new int[entries];
            for (int i = 0; i < entries; i++) {
                r.backingAddr[i] = in.readLong();
                r.backingLen[i] = in.readInt();
                if (!mem.isValidRange(r.backingAddr[i], r.backingLen[i] & 0xffffffffL)) throw new IOException("virtio-gpu backing outside RAM");
            }
        }
        return r;
    }
}
