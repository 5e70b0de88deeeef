package org.jvirt.vmm.block.chain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.RawFileBackend;
import org.jvirt.vmm.block.qcow2.Qcow2Image;

/**
 * Opens a disk image of a known format with its whole backing chain: backing images read-only,
 * in the format the overlay names (backing_fmt) or, for old images that name none, the format
 * their first bytes show (as QEMU probes). Chains deeper than {@value #MAX_DEPTH} and chains that
 * lead back to an image already open are refused.
 */
public final class DiskImages {
    private DiskImages() { }

    public static final int MAX_DEPTH = 16;

    public static BlockBackend open(Path image, ImageFormat format, boolean readOnly) throws IOException {
        return open(image, format, readOnly, new HashSet<>(), 0);
    }

    private static BlockBackend open(Path image, ImageFormat format, boolean readOnly, Set<Path> seen, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new IOException("backing chain of " + image + " is deeper than " + MAX_DEPTH + " images");
        Path real;
        try {
            real = image.toRealPath();
        } catch (IOException e) {
            throw new IOException((depth == 0 ? "" : "backing file ") + image + ": " + reason(e), e);
        }
        if (!seen.add(real)) throw new IOException("backing chain loops back to " + image);
        return switch (format) {
            case RAW -> new RawFileBackend(image, readOnly);
            case QCOW2 -> Qcow2Image.open(image, readOnly, (backing, fmt) ->
                    open(backing, fmt == null ? probe(backing) : parseBackingFormat(image, fmt), true, seen, depth + 1));
        };
    }

    private static ImageFormat parseBackingFormat(Path overlay, String name) throws IOException {
        try {
            return ImageFormat.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IOException("qcow2 image " + overlay + ": backing file format '" + name + "' is not supported (raw or qcow2)");
        }
    }

    /** qcow2 when the file starts with its magic, raw otherwise. */
    static ImageFormat probe(Path p) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(p)) {
            if (in.readNBytes(magic, 0, 4) == 4 && magic[0] == 'Q' && magic[1] == 'F' && magic[2] == 'I' && (magic[3] & 0xFF) == 0xfb) {
                return ImageFormat.QCOW2;
            }
        } catch (IOException e) {
            throw new IOException("backing file " + p + ": " + reason(e), e);
        }
        return ImageFormat.RAW;
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        return e.getMessage();
    }
}
