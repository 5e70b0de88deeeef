package org.jvirt.driver.jvirt.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.vmm.block.qcow2.Qcow2Create;

/**
 * Making, copying and resizing volume files as libvirt's fs backend does, without qemu-img:
 * raw files allocated up to the asked allocation (posix_fallocate), qcow2 images written by
 * the VMM's own {@link Qcow2Create} (64 KiB clusters and the compat libvirt asks qemu-img for).
 */
final class VolumeFiles {

    private VolumeFiles() { }

    /** preallocMetadata: VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA, qemu-img's preallocation=metadata (qcow2 only). */
    static void create(Path file, NewVolume v, boolean preallocMetadata) throws LibvirtException, IOException {
        String format = v.def().format();
        if (preallocMetadata && !format.equals("qcow2")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_STORAGE,
                    "metadata preallocation is not supported for " + format + " volumes");
        }
        if (preallocMetadata && v.backingPath() != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_STORAGE,
                    "metadata preallocation conflicts with backing store");
        }
        switch (format) {
            case "raw" -> {
                if (v.backingPath() != null) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_NO_SUPPORT, ErrorDomain.VIR_FROM_STORAGE,
                            "backing storage not supported for raw volumes");
                }
                Files.newByteChannel(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                setMode(file, v.mode());
                try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                    raf.setLength(v.def().capacity());
                }
                NativeFiles.allocate(file, 0, Math.min(v.def().allocation(), v.def().capacity()));
            }
            case "qcow2" -> {
                try {
                    if (preallocMetadata) {
                        Qcow2Create.createPreallocated(file, v.def().capacity(), v.qcow2Version(), 16);
                        // qemu-img also allocates the data clusters on the host (they still read as zeros), at the file's end
                        long data = (v.def().capacity() + 65535) / 65536 * 65536, end = Files.size(file);
                        NativeFiles.allocate(file, end - data, data);
                    } else {
                        Qcow2Create.create(file, v.def().capacity(), v.qcow2Version(), 16, v.backingPath(),
                                v.backingPath() == null ? null : v.backingFormat() == null ? "raw" : v.backingFormat());
                    }
                } catch (IllegalArgumentException e) {
                    Files.deleteIfExists(file);
                    throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_STORAGE, e.getMessage());
                }
                setMode(file, v.mode());
            }
            default -> throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_STORAGE,
                    "creation of non-raw file images is not supported without qemu-img.");
        }
    }

    /** virStorageVolCreateXMLFrom for files: the source's bytes, grown to the new capacity if it asks more. */
    static void copy(Path from, Path to, NewVolume v) throws IOException {
        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        setMode(to, v.mode());
        if (ImageProbe.of(to).format().equals("raw") && v.def().capacity() > Files.size(to)) {
            try (var raf = new java.io.RandomAccessFile(to.toFile(), "rw")) {
                raf.setLength(v.def().capacity());
            }
        }
    }

    /** The new size of a raw file (ftruncate, or allocated with --allocate) or of a qcow2 image's header. */
    static void resize(VolumeFile vol, long capacity, boolean allocate) throws LibvirtException, IOException {
        if (vol.image().format().equals("qcow2")) {
            if (capacity > vol.image().maxCapacity() || capacity < vol.capacity()) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_STORAGE,
                        "resizing this qcow2 image needs qemu-img");
            }
            try (var ch = java.nio.channels.FileChannel.open(vol.path(), StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.allocate(8).putLong(0, capacity), 24);
                ch.force(true);
            }
            return;
        }
        long old = vol.physical();
        try (var raf = new java.io.RandomAccessFile(vol.path().toFile(), "rw")) {
            raf.setLength(capacity);
        }
        if (allocate && capacity > old) NativeFiles.allocate(vol.path(), old, capacity - old);
    }

    /** virStorageVolWipeAlgorithm names as scrub(1) takes them (ZERO and TRIM are not scrub's). */
    private static final java.util.List<String> SCRUB_PATTERNS = java.util.List.of("", "nnsa", "dod", "bsi", "gutmann",
            "schneier", "pfitzner7", "pfitzner33", "random");

    /**
     * storageBackendVolWipeLocalFile: zeros over a sparse file (st_blocks below its size) by
     * truncating it to 0 and back; over an allocated one by writing its allocation's worth of
     * zeros from 0 (which can make the file longer, as libvirt's does); other patterns by scrub.
     */
    static void wipe(VolumeFile vol, int algorithm) throws LibvirtException, IOException {
        if (algorithm == 9) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorDomain.VIR_FROM_STORAGE,
                    "'trim' algorithm not supported");
        }
        if (algorithm != 0) {
            scrub(vol.path(), SCRUB_PATTERNS.get(algorithm));
            return;
        }
        Path file = vol.path();
        if (vol.allocation() < vol.physical()) {
            try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(0);
                raf.setLength(vol.physical());
            }
            return;
        }
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(1 << 20);
            for (long at = 0; at < vol.allocation(); ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), vol.allocation() - at));
                at += ch.write(zeros, at);
            }
            ch.force(true);
        }
    }

    private static void scrub(Path file, String pattern) throws LibvirtException, IOException {
        Path scrub = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "scrub");
            if (Files.isExecutable(p)) {
                scrub = p;
                break;
            }
        }
        if (scrub == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                    "Cannot find 'scrub' in path: No such file or directory");
        }
        Process p = new ProcessBuilder(scrub.toString(), "-f", "-p", pattern, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                        "Child process (" + scrub + " -f -p " + pattern + " " + file + ") unexpected exit status " + p.exitValue()
                        + (out.isEmpty() ? "" : ": " + out));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while scrub ran");
        }
    }

    private static void setMode(Path file, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) if ((mode & (1 << i)) != 0) perms.add(order[i]);
        Files.setPosixFilePermissions(file, perms);
    }

    static void mkdir(Path dir, int mode) throws IOException {
        Files.createDirectories(dir);
        setMode(dir, mode);
    }
}
