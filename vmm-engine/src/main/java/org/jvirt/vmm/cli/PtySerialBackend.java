package org.jvirt.vmm.cli;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.jvirt.vmm.devices.serial.SerialBackend;
import org.jvirt.vmm.devices.serial.SerialInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A console on a pseudo-terminal, as QEMU's {@code -serial pty}: the VMM holds the master,
 * a console client opens the slave ({@link #slavePath()}, e.g. /dev/pts/3). The slave is put
 * in raw mode without echo so that guest output is not echoed back as input.
 *
 * <p>The vCPU thread only puts bytes into a ring; a writer thread drains it into the master
 * (non-blocking: with nobody reading, the oldest bytes are dropped once the ring is full), and
 * a reader thread polls the master for what a client types.
 */
final class PtySerialBackend implements SerialBackend {

    static final int RING_SIZE = 64 * 1024;

    private final int master;
    private final String slavePath;
    private final byte[] ring = new byte[RING_SIZE];
    private int ringHead, ringCount; // guarded by ring
    private volatile SerialInput input;
    private volatile boolean closed;
    private final Thread reader;
    private final Thread writer;

    private PtySerialBackend(int master, String slavePath) {
        this.master = master;
        this.slavePath = slavePath;
        this.reader = new Thread(this::readLoop, "serial-pty-reader");
        this.writer = new Thread(this::writeLoop, "serial-pty-writer");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    /** Opens a new pty pair; fails with the libc error. */
    static PtySerialBackend open() throws IOException {
        int fd = PtyLibC.posix_openpt(PtyLibC.O_RDWR | PtyLibC.O_NOCTTY);
        if (fd < 0) throw new IOException("posix_openpt: " + PtyLibC.strerror(PtyLibC.errno()));
        if (PtyLibC.grantpt(fd) < 0) {
            int err = PtyLibC.errno();
            PtyLibC.close(fd);
            throw new IOException("grantpt: " + PtyLibC.strerror(err));
        }
        String slave = PtyLibC.ptsname(fd);
        try {
            // grantpt leaves the slave 0620 group tty (write(1) and wall); the console is ours alone.
            // Done while the slave is still locked, so nobody can open it in between.
            Files.setPosixFilePermissions(Path.of(slave), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            PtyLibC.close(fd);
            throw new IOException("chmod 0600 " + slave + ": " + e.getMessage(), e);
        }
        if (PtyLibC.unlockpt(fd) < 0) {
            int err = PtyLibC.errno();
            PtyLibC.close(fd);
            throw new IOException("unlockpt: " + PtyLibC.strerror(err));
        }
        int fl = PtyLibC.fcntl(fd, PtyLibC.F_GETFL, 0);
        PtyLibC.fcntl(fd, PtyLibC.F_SETFL, fl | PtyLibC.O_NONBLOCK);
        makeRaw(slave);
        PtySerialBackend b = new PtySerialBackend(fd, slave);
        b.reader.start();
        b.writer.start();
        return b;
    }

    /** termios raw mode on the pair (termios is shared by master and slave); stty keeps JNA free of struct layouts. */
    private static void makeRaw(String slave) throws IOException {
        try {
            Process p = new ProcessBuilder("stty", "-F", slave, "raw", "-echo")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("stty -F " + slave + " raw -echo failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    Path slavePath() {
        return Path.of(slavePath);
    }

    @Override
    public void attach(SerialInput input) {
        this.input = input;
    }

    @Override
    public void write(int b) {
        synchronized (ring) {
            if (ringCount == RING_SIZE) {
                ringHead = (ringHead + 1) % RING_SIZE;
                ringCount--;
            }
            ring[(ringHead + ringCount) % RING_SIZE] = (byte) b;
            ringCount++;
            ring.notifyAll();
        }
    }

    private void writeLoop() {
        Memory buf = new Memory(4096);
        byte[] chunk = new byte[4096];
        while (!closed) {
            int n;
            synchronized (ring) {
                try {
                    while (!closed && ringCount == 0) ring.wait();
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) return;
                n = Math.min(ringCount, chunk.length);
                for (int i = 0; i < n; i++) chunk[i] = ring[(ringHead + i) % RING_SIZE];
            }
            buf.write(0, chunk, 0, n);
            long w = PtyLibC.write(master, Pointer.nativeValue(buf), n);
            if (w > 0) {
                synchronized (ring) {
                    // the ring may have dropped old bytes meanwhile; consume at most what is left
                    int done = (int) Math.min(w, ringCount);
                    ringHead = (ringHead + done) % RING_SIZE;
                    ringCount -= done;
                }
            } else if (!sleep(10)) {
                return; // EAGAIN (nobody reads) or EIO: retry later
            }
        }
    }

    private void readLoop() {
        Memory pfd = new Memory(8);
        Memory buf = new Memory(1024);
        byte[] data = new byte[1024];
        while (!closed) {
            pfd.setInt(0, master);
            pfd.setShort(4, (short) PtyLibC.POLLIN);
            pfd.setShort(6, (short) 0);
            int r = PtyLibC.poll(Pointer.nativeValue(pfd), 1, 250);
            if (r <= 0) continue;
            short revents = pfd.getShort(6);
            if ((revents & PtyLibC.POLLIN) != 0) {
                long n = PtyLibC.read(master, Pointer.nativeValue(buf), data.length);
                if (n > 0) {
                    buf.read(0, data, 0, (int) n);
                    SerialInput in = input;
                    if (in != null) {
                        try {
                            in.receiveFully(data, 0, (int) n);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    continue;
                }
            }
            // POLLHUP: no client has the slave open; wait instead of spinning
            if (!sleep(100)) return;
        }
    }

    private boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (ring) {
            ring.notifyAll();
        }
        reader.interrupt();
        writer.interrupt();
        try {
            reader.join(1000);
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PtyLibC.close(master);
    }
}
