package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file replacement: the new content goes to a temporary file in the same
 * directory, is fsynced, renamed over the target (atomic on POSIX) and the directory is
 * fsynced, so a reader or a crash at any point sees the old file or the new one, never a mix.
 * The writer holds an fcntl lock on its temporary file until the rename, so the temporary file
 * of a writer that was killed can be told from one being written ({@link #removeStaleTemps}).
 */
public final class AtomicFiles {

    static final String TEMP_PREFIX = ".jvirt-", TEMP_SUFFIX = ".tmp";

    /** A temp file this young may be between its creation and its lock: never taken for stale. */
    static final long STALE_AFTER_MILLIS = 2000;

    private AtomicFiles() { }

    public static void write(Path target, String text) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX); // short, and never NAME.xml
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 FileLock writing = ch.lock()) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /**
     * Removes the temp files of writes that never finished (the writer was killed before its
     * rename): those no process holds the lock of, older than {@link #STALE_AFTER_MILLIS}.
     * Returns how many were removed.
     */
    static int removeStaleTemps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int removed = 0;
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path tmp : temps) {
                // young ones first: not even opened (closing a file drops this JVM's own locks on it)
                try {
                    if (now - Files.getLastModifiedTime(tmp).toMillis() < STALE_AFTER_MILLIS) continue;
                } catch (NoSuchFileException e) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    FileLock l;
                    try {
                        l = ch.tryLock();
                    } catch (OverlappingFileLockException e) {
                        continue; // written by this JVM right now
                    }
                    if (l == null) continue; // its writer is alive and writing
                    try {
                        if (Files.deleteIfExists(tmp)) removed++;
                    } finally {
                        l.release();
                    }
                } catch (IOException e) {
                    // renamed or removed meanwhile, or not ours to open: left alone
                }
            }
        }
        if (removed > 0) syncDirectory(dir);
        return removed;
    }

    public static void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) syncDirectory(target.toAbsolutePath().getParent());
    }

    /** fsync of a directory makes a rename or unlink in it durable (Linux allows opening a directory read-only for that). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** The file's text, or null when it does not exist. */
    public static String readOrNull(Path p) throws IOException {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }
}
