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

    static void create(Path file, NewVolume v) throws LibvirtException, IOException {
        String format = v.def().format();
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
                    Qcow2Create.create(file, v.def().capacity(), v.qcow2Version(), 16, v.backingPath(),
                            v.backingPath() == null ? null : v.backingFormat() == null ? "raw" : v.backingFormat());
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
