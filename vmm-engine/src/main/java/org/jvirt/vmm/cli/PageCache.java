package org.jvirt.vmm.cli;

import org.jvirt.vmm.kvm.LibC;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Drops a file's pages from the host's page cache (posix_fadvise DONTNEED): what a save with
 * libvirt's --bypass-cache asks for, so that a big state file does not push the host's other
 * data out of memory. The state writer has synced the file, so its pages are clean and go.
 */
final class PageCache {
    private PageCache() { }

    private static final int O_RDONLY = 0, POSIX_FADV_DONTNEED = 4;

    static void drop(Path file) throws IOException {
        int fd = LibC.open(file.toString(), O_RDONLY);
        if (fd < 0) throw new IOException("cannot open " + file + " to drop it from the page cache: " + LibC.strerror(LibC.errno()));
        try {
            int rc = LibC.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
            if (rc != 0) throw new IOException("cannot drop " + file + " from the page cache: " + LibC.strerror(rc));
        } finally {
            LibC.close(fd);
        }
    }
}
