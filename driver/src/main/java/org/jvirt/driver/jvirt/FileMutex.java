package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock on one file that excludes other threads and other processes: a reentrant lock per
 * file for the whole JVM (fcntl locks belong to the process, so threads must be kept apart
 * here), and an exclusive fcntl lock on the file while some thread holds it, for the other
 * processes. A process that dies releases its fcntl locks with it.
 */
final class FileMutex {

    private static final ConcurrentHashMap<Path, FileMutex> ALL = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantLock local = new ReentrantLock();
    private FileChannel channel; // guarded by local
    private FileLock lock;

    private FileMutex(Path file) {
        this.file = file;
    }

    /** The one mutex of this JVM for file. */
    static FileMutex of(Path file) {
        return ALL.computeIfAbsent(file.toAbsolutePath().normalize(), FileMutex::new);
    }

    /** Waits for the lock (threads of this JVM first, then other processes). */
    void acquire() throws IOException {
        local.lock();
        try {
            if (local.getHoldCount() == 1) {
                channel = open();
                lock = channel.lock();
            }
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    /** Takes the lock if no thread or process holds it; false otherwise, without waiting. */
    boolean tryAcquire() throws IOException {
        if (!local.tryLock()) return false;
        try {
            if (local.getHoldCount() == 1) {
                channel = open();
                lock = channel.tryLock();
                if (lock == null) {
                    release();
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    private FileChannel open() throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** Releases one hold; the file lock goes with the last one. */
    void release() {
        try {
            if (local.getHoldCount() == 1 && channel != null) {
                try {
                    channel.close(); // drops the fcntl lock
                } catch (IOException ignored) {
                    // the lock is gone with the descriptor anyway
                }
                lock = null;
                channel = null;
            }
        } finally {
            local.unlock();
        }
    }
}
