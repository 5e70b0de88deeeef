package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest's serial lines as the host sees them arrive, with their arrival times: one thread per
 * unix-socket serial path (one per host) connects as soon as a VMM has made the socket, reads
 * until that VMM ends, then waits for the next one there. A migration's destination VMM makes its
 * socket when Prepare starts it, long before the guest runs there, so no line arrives unseen.
 */
final class SerialArrivals implements AutoCloseable {

    /** One line: when it arrived (System.nanoTime) and on which socket. */
    record Line(long nanos, Path socket, String text) { }

    private final List<Line> lines = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean closed;

    SerialArrivals(Path... sockets) {
        for (Path s : sockets) {
            Thread t = new Thread(() -> readLoop(s), "serial-arrivals " + s.getFileName());
            t.setDaemon(true);
            t.start();
            readers.add(t);
        }
    }

    private void readLoop(Path socket) {
        while (!closed) {
            if (!Files.exists(socket)) {
                pause(2);
                continue;
            }
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (!closed && ch.read(buf.clear()) >= 0) received(System.nanoTime(), socket, buf);
            } catch (IOException e) {
                // the VMM ended, or its socket is not ready yet: try again
            }
            pause(2);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Bytes from either socket go into one line: the guest's serial line is one stream wherever it
     * runs, and a migration may fall between two bytes of a line (the source sent "t", the
     * destination "ick 9").
     */
    private synchronized void received(long nanos, Path socket, ByteBuffer buf) {
        for (int i = 0; i < buf.position(); i++) {
            char c = (char) (buf.get(i) & 0xff);
            if (c == '\n') {
                lines.add(new Line(nanos, socket, partial.toString().replace("\r", "")));
                partial.setLength(0);
            } else {
                partial.append(c);
            }
        }
    }

    /** The lines so far, in arrival order. */
    synchronized List<Line> lines() {
        return new ArrayList<>(lines);
    }

    /** The text of the lines so far. */
    String text() {
        StringBuilder b = new StringBuilder();
        for (Line l : lines()) b.append(l.text()).append('\n');
        return b.toString();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (Thread t : readers) t.interrupt();
    }
}
