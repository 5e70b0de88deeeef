package org.jvirt.driver.jvirt.storage;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** posix_fallocate(3), which Java lacks: how libvirt allocates a raw volume's space (safezero). */
final class NativeFiles {
    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private NativeFiles() { }

    private static final int O_WRONLY = 1;

    private static native int open(String path, int flags);

    private static native int close(int fd);

    private static native int posix_fallocate(int fd, long offset, long len);

    /** Allocates [offset, offset+len) of file, writing zeros where the file system cannot fallocate. */
    static void allocate(Path file, long offset, long len) throws IOException {
        if (len <= 0) return;
        int fd = open(file.toString(), O_WRONLY);
        if (fd >= 0) {
            int rc = posix_fallocate(fd, offset, len);
            close(fd);
            if (rc == 0) return;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long at = offset; at < offset + len; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), offset + len - at));
                at += ch.write(zeros, at);
            }
        }
    }
}
