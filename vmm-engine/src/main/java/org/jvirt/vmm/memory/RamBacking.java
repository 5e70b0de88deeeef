package org.jvirt.vmm.memory;

import org.jvirt.vmm.kvm.KvmException;
import org.jvirt.vmm.kvm.LibC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What lies behind guest RAM: fresh anonymous memory, or a file's bytes mapped copy-on-write
 * (a restored state file's RAM section). This is the one place that picks mmap's flags, file
 * descriptor and offsets; a guest's RAM regions lie back to back in the backing.
 * A file is opened read-only and mapped MAP_PRIVATE, so guest writes go to private pages and
 * the file is never changed through the mapping.
 */
public sealed interface RamBacking {

    RamBacking ANONYMOUS = new Anonymous();
    /** mmap flags of anonymous guest RAM (also for a lone {@link MmapRegion#anonymous}). */
    int ANONYMOUS_FLAGS = LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE;

    /** Zero-filled memory committed lazily (MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE). */
    record Anonymous() implements RamBacking { }

    /** file's bytes from offset (a multiple of 4 KiB) on, copy-on-write. */
    record PrivateFile(Path file, long offset) implements RamBacking {
        public PrivateFile {
            if (offset < 0 || offset % MmapRegion.PAGE != 0) throw new IllegalArgumentException("file offset not page aligned: " + offset);
        }
    }

    /** An opened backing: mmap arguments for a range of it. Closing it leaves existing mappings alone. */
    final class Source implements AutoCloseable {
        final int flags, fd;
        final long base;
        /** Where the file holds data from base on (null: anonymous memory). */
        final FileExtents extents;

        private Source(int flags, int fd, long base, FileExtents extents) {
            this.flags = flags;
            this.fd = fd;
            this.base = base;
            this.extents = extents;
        }

        @Override public void close() { if (fd >= 0) LibC.close(fd); }
    }

    /** Opens the backing for totalBytes of RAM; a file shorter than that is refused (mapping past its end would SIGBUS). */
    static Source open(RamBacking backing, long totalBytes) throws IOException {
        if (!(backing instanceof PrivateFile f)) return new Source(ANONYMOUS_FLAGS, -1, 0, null);
        long size = Files.size(f.file());
        if (size - f.offset() < totalBytes) {
            throw new IOException(String.format("%s holds %d bytes from offset %d, guest RAM needs %d", f.file(), size - f.offset(), f.offset(), totalBytes));
        }
        int fd = LibC.open(f.file().toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) throw new KvmException("open(" + f.file() + ")", LibC.errno());
        try {
            return new Source(LibC.MAP_PRIVATE | LibC.MAP_NORESERVE, fd, f.offset(), FileExtents.of(fd, f.offset(), totalBytes));
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }
}
