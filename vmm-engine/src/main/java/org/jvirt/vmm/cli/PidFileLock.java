package org.jvirt.vmm.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The VMM's pid file, held under an exclusive fcntl lock for the whole life of the process:
 * a manager that can take the lock knows no VMM runs for this VM (the kernel drops the lock
 * when the process dies, even by kill -9), and a second VMM for the same pid file refuses to
 * start. The file is rewritten in place, never replaced, so the lock stays on the inode others
 * open.
 *
 * <p>With a start token, the manager wrote the token into the file before spawning this
 * process; a manager that later gives up on the start (its client was killed) overwrites it
 * under the same lock, and a VMM that finds another content once it holds the lock exits
 * without touching anything, so a start given up on can never come alive afterwards.
 */
final class PidFileLock {

    /** How long a busy lock is retried: a manager only holds it for an instant (probe, token, cancel). */
    private static final long RETRY_NANOS = 1_000_000_000L;

    /** Kept reachable for the life of the process: a collected channel would be closed and drop the lock. */
    private static FileChannel held;

    /** Why the VMM must not start; the message is the one line the VMM prints. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private PidFileLock() { }

    /** Locks FILE for the rest of the process's life and writes this process's pid into it. */
    static synchronized void acquire(Path file, String startToken) throws IOException, Refused {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock = lockRetrying(ch);
            if (lock == null) {
                String holder = read(ch).trim();
                throw new Refused(file + " is locked by another jvirt-vmm" + (holder.matches("\\d+") ? " (pid " + holder + ")" : "")
                        + ": this VM is already running");
            }
            if (startToken != null && !startToken.equals(read(ch).trim())) {
                throw new Refused("start cancelled: " + file + " no longer holds this start's token (the manager gave up on it)");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            held = ch;
        } finally {
            if (held != ch) ch.close();
        }
    }

    private static FileLock lockRetrying(FileChannel ch) throws IOException {
        long end = System.nanoTime() + RETRY_NANOS;
        while (true) {
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return null; // this very process holds it already
            }
            if (l != null || System.nanoTime() > end) return l;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(256);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }
}
