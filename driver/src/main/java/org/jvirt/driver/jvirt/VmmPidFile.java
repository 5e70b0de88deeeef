package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.UUID;

/**
 * The client's side of a domain's VMM pid file: jvirt-vmm holds an exclusive fcntl lock on it
 * for its whole life, so "the lock is held" proves a VMM of this domain is alive (whatever the
 * status file says), and a client that holds the lock itself for an instant knows none is.
 * Before spawning a VMM the client writes a start token into the file; giving up on a start
 * (its client was killed) means overwriting the token under the lock, after which that VMM,
 * if it ever gets to run, exits without touching anything (see jvirt-vmm --start-token).
 *
 * <p>Every call here runs under the domain's lock ({@link DomainLocks}). The pid file lock is only ever taken for an
 * instant, and both sides retry a busy lock for a few seconds.
 */
final class VmmPidFile {

    private static final Duration RETRY = Duration.ofSeconds(3);
    private static final String CANCELLED = "cancelled\n";

    private VmmPidFile() { }

    /** True when a process (a VMM) holds the lock on FILE now. */
    static boolean held(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock l = tryLock(ch, true, Duration.ZERO);
            if (l == null) return true;
            l.release();
            return false;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * Writes a new start token into FILE; null when a VMM holds the lock (so one runs already).
     * The token makes every start distinct, so a VMM of an abandoned start never passes for this one.
     */
    static String prepare(Path file) throws IOException {
        String token = UUID.randomUUID().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = tryLock(ch, false, RETRY);
            if (l == null) return null;
            rewrite(ch, token + "\n");
            l.release();
        }
        return token;
    }

    /**
     * Gives up on a start: false when a VMM holds the lock (it won the race and runs: adopt it),
     * true when no VMM of that start can come alive any more.
     */
    static boolean cancel(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = tryLock(ch, false, Duration.ZERO);
            if (l == null) return false;
            rewrite(ch, CANCELLED);
            l.release();
            return true;
        } catch (NoSuchFileException e) {
            return true; // a VMM still on its way creates a new, empty file: no token, it exits
        }
    }

    /** The pid the lock holder wrote, waiting up to MAX for it (it writes it just after locking); 0 if none. */
    static long holderPid(Path file, Duration max) throws IOException {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            String s;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(64);
                ch.read(b, 0);
                s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            } catch (NoSuchFileException e) {
                return 0;
            }
            if (s.matches("\\d{1,18}")) {
                long pid = Long.parseLong(s);
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return pid;
            }
            if (System.nanoTime() > end || !held(file)) return 0;
            sleep(10);
        }
    }

    /**
     * Stops whatever VMM holds FILE's lock (SIGKILL: a polite quit was already tried or is not
     * possible) and waits until the lock is free; false when it is still held after MAX.
     */
    static boolean killHolder(Path file, Duration max) throws IOException {
        long end = System.nanoTime() + max.toNanos();
        while (held(file)) {
            if (System.nanoTime() > end) return false;
            long pid = holderPid(file, Duration.ofMillis(500));
            if (pid > 0) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            sleep(20);
        }
        return true;
    }

    private static void rewrite(FileChannel ch, String text) throws IOException {
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), 0);
        ch.force(true);
    }

    /** tryLock, retried up to MAX; null when still held by another process (or another channel of this JVM). */
    private static FileLock tryLock(FileChannel ch, boolean shared, Duration max) throws IOException {
        long end = System.nanoTime() + max.toNanos();
        while (true) {
            FileLock l;
            try {
                l = ch.tryLock(0, Long.MAX_VALUE, shared);
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l != null || System.nanoTime() >= end) return l;
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
