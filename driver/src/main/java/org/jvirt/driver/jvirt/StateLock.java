package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock around every change to a URI's state: an exclusive fcntl lock on one file, so that
 * clients in different processes serialize; reentrant within one connection. Two connections
 * in the same JVM also exclude each other (the JVM refuses an overlapping lock, which is
 * retried until the other connection releases it).
 */
final class StateLock {

    private final Path file;
    private final ReentrantLock local = new ReentrantLock();
    private FileChannel channel;
    private FileLock lock;

    StateLock(Path file) {
        this.file = file;
    }

    /** Acquires the lock; use with try-with-resources. */
    Held acquire() throws IOException {
        local.lock();
        try {
            if (local.getHoldCount() == 1) {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock = lockRetrying(channel);
            }
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
        return this::release;
    }

    private static FileLock lockRetrying(FileChannel ch) throws IOException {
        while (true) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException e) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + "the state lock");
                }
            }
        }
    }

    private void release() {
        try {
            if (local.getHoldCount() == 1 && channel != null) {
                try {
                    if (lock != null) lock.release();
                    channel.close();
                } catch (IOException ignored) {
                    // closing the channel drops the lock anyway
                }
                lock = null;
                channel = null;
            }
        } finally {
            local.unlock();
        }
    }

    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
