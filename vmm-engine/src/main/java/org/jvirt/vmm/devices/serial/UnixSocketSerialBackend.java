package org.jvirt.vmm.devices.serial;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.vmm.access.PeerCredentials;
import org.jvirt.vmm.access.PrivateSocket;

/**
 * A console on a unix-domain socket: a client (e.g. {@code socat - UNIX-CONNECT:path}) that
 * connects sees guest output and its bytes are typed into the guest. One client at a time;
 * a second one waits in the listen backlog until the first disconnects.
 *
 * <p>The vCPU thread never blocks on the socket: output goes into a ring of
 * {@link #BACKLOG_SIZE} bytes that a writer thread drains. With no client, or a slow one, the
 * oldest bytes are overwritten, so a client connecting late still sees the recent output.
 *
 * <p>The socket file is 0600 whatever the umask, and a client of another uid than this
 * process's and root is refused (SO_PEERCRED), as on the control socket.
 */
public final class UnixSocketSerialBackend implements SerialBackend {

    public static final int BACKLOG_SIZE = 64 * 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final PeerCredentials peers;
    private final byte[] ring = new byte[BACKLOG_SIZE];
    private int ringHead, ringCount;
    private SocketChannel client; // guarded by ring
    private volatile SerialInput input;
    private volatile boolean closed;
    private final Thread acceptThread;
    private final Thread writerThread;

    public UnixSocketSerialBackend(Path path) throws IOException {
        this.path = path;
        if (Files.isRegularFile(path) || Files.isDirectory(path))
            throw new IOException(path + " exists and is not a socket");
        peers = PeerCredentials.ofThisProcess();
        server = PrivateSocket.bind(path, 1); // replaces a stale socket from an earlier run
        acceptThread = new Thread(this::acceptLoop, "serial-console-accept " + path.getFileName());
        writerThread = new Thread(this::writeLoop, "serial-console-writer " + path.getFileName());
        acceptThread.setDaemon(true);
        writerThread.setDaemon(true);
        acceptThread.start();
        writerThread.start();
    }

    public Path path() {
        return path;
    }

    @Override
    public void attach(SerialInput input) {
        synchronized (ring) {
            this.input = input;
            ring.notifyAll();
        }
    }

    @Override
    public void write(int b) {
        synchronized (ring) {
            if (ringCount == BACKLOG_SIZE) { // overwrite the oldest byte
                ringHead = (ringHead + 1) % BACKLOG_SIZE;
                ringCount--;
            }
            ring[(ringHead + ringCount) % BACKLOG_SIZE] = (byte) b;
            ringCount++;
            if (client != null) ring.notifyAll();
        }
    }

    /** True while a console client is connected. */
    public boolean isClientConnected() {
        synchronized (ring) {
            return client != null;
        }
    }

    private void acceptLoop() {
        ByteBuffer buf = ByteBuffer.allocate(1024);
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) System.err.println("serial console " + path + ": accept failed: " + e);
                return;
            }
            String refused = peers.refusal(c);
            if (refused != null) {
                System.err.println("serial console " + path + ": " + refused);
                disconnect(c);
                continue;
            }
            synchronized (ring) {
                client = c;
                ring.notifyAll();
            }
            try (c) {
                while (!closed) {
                    buf.clear();
                    if (c.read(buf) < 0) break;
                    SerialInput in = awaitInput();
                    in.receiveFully(buf.array(), 0, buf.position());
                }
            } catch (ClosedChannelException e) {
                // client went away or we are closing
            } catch (IOException e) {
                if (!closed) System.err.println("serial console " + path + ": client read failed: " + e);
            } catch (InterruptedException e) {
                return;
            } finally {
                disconnect(c);
            }
        }
    }

    private SerialInput awaitInput() throws InterruptedException {
        synchronized (ring) {
            while (input == null) ring.wait();
            return input;
        }
    }

    private void writeLoop() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (!closed) {
            SocketChannel c;
            synchronized (ring) {
                try {
                    while (!closed && (client == null || ringCount == 0)) ring.wait();
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) return;
                c = client;
                buf.clear();
                int n = Math.min(ringCount, buf.capacity());
                for (int i = 0; i < n; i++) buf.put(ring[(ringHead + i) % BACKLOG_SIZE]);
                ringHead = (ringHead + n) % BACKLOG_SIZE;
                ringCount -= n;
            }
            buf.flip();
            try {
                while (buf.hasRemaining()) c.write(buf);
            } catch (IOException e) {
                disconnect(c);
            }
        }
    }

    private void disconnect(SocketChannel c) {
        synchronized (ring) {
            if (client == c) client = null;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        SocketChannel c;
        synchronized (ring) {
            c = client;
            ring.notifyAll();
        }
        if (c != null) disconnect(c);
        acceptThread.interrupt();
        writerThread.interrupt();
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
