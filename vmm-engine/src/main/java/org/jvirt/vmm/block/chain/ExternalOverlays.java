package org.jvirt.vmm.block.chain;

import java.io.IOException;
import java.nio.file.Path;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.qcow2.Qcow2Create;
import org.jvirt.vmm.block.qcow2.Qcow2Image;

/**
 * External snapshots of disk images, done offline: a new qcow2 overlay on top of an image (what
 * {@code qemu-img create -f qcow2 -o backing_fmt=F,backing_file=B OVERLAY} makes), and the commit
 * of an overlay's own clusters into its backing image (what {@code qemu-img commit OVERLAY}
 * writes; the overlay itself is left for the caller to remove).
 */
public final class ExternalOverlays {
    private ExternalOverlays() { }

    /** QEMU's defaults for a new qcow2 image: compat=1.1, 64 KiB clusters. */
    private static final int VERSION = 3, CLUSTER_BITS = 16;

    /**
     * Creates OVERLAY (which must not exist) as an empty qcow2 image of BASE's virtual size whose
     * backing file is BASE, named in the header as given, with BASE's format as backing_fmt.
     */
    public static void create(Path overlay, Path base, ImageFormat baseFormat) throws IOException {
        long size;
        try (BlockBackend b = DiskImages.open(base, baseFormat, true)) {
            size = b.capacity();
        }
        Qcow2Create.create(overlay, size, VERSION, CLUSTER_BITS, base.toString(), baseFormat.name().toLowerCase());
    }

    /** The backing file OVERLAY's header names (as stored), or null. */
    public static String backingFile(Path overlay) throws IOException {
        try (Qcow2Image top = Qcow2Image.open(overlay, true, (p, f) -> null)) {
            return top.backingFile();
        }
    }

    /**
     * Writes every cluster OVERLAY defines itself (data or zeros) into BASE at the same guest
     * offset, then flushes BASE: afterwards BASE reads as OVERLAY read. Clusters OVERLAY leaves to
     * its backing file are not touched. Returns the number of clusters written.
     */
    public static long commit(Path overlay, Path base, ImageFormat baseFormat) throws IOException {
        // the overlay's backing file is not opened: only clusters the overlay holds itself are read
        try (Qcow2Image top = Qcow2Image.open(overlay, true, (p, f) -> null);
             BlockBackend target = DiskImages.open(base, baseFormat, false)) {
            long capacity = top.capacity();
            if (target.capacity() < capacity) {
                throw new IOException("cannot commit " + overlay + " into " + base + ": the backing image is smaller ("
                        + target.capacity() + " < " + capacity + " bytes)");
            }
            int cs = top.clusterSize();
            byte[] buf = new byte[cs];
            long written = 0;
            for (long off = 0; off < capacity; off += cs) {
                if (!top.allocatedHere(off)) continue;
                int n = (int) Math.min(cs, capacity - off);
                if (top.zeroHere(off)) {
                    target.writeZeroes(off, n, false);
                } else {
                    top.read(off, buf, 0, n);
                    target.write(off, buf, 0, n);
                }
                written++;
            }
            target.flush();
            return written;
        }
    }
}
