package org.jvirt.driver.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.ConsoleStream;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.RemoteError;
import org.jvirt.rpc.XdrException;

/**
 * A console as a libvirt stream (spec §6): guest output arrives as STREAM CONTINUE frames of
 * the DOMAIN_OPEN_CONSOLE call, keystrokes leave as such frames; an empty CONTINUE is the
 * guest side's end, an ERROR frame the daemon's failure. Closing aborts the stream (STREAM
 * ERROR, empty), as virsh does when the user leaves the console.
 */
final class RemoteConsole implements ConsoleStream, StreamSink {
    private static final byte[] END = new byte[0];

    private final RpcClient rpc;
    private final int proc;
    private volatile int serial = -1;
    private final LinkedBlockingQueue<Object> incoming = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    RemoteConsole(RpcClient rpc, int proc) {
        this.rpc = rpc;
        this.proc = proc;
    }

    void opened(int callSerial) {
        serial = callSerial;
    }

    @Override
    public void onFrame(Frame f) {
        int status = f.header().status();
        if (status == MessageType.STATUS_CONTINUE) {
            incoming.add(f.payload().length == 0 ? END : f.payload());
        } else if (status == MessageType.STATUS_ERROR) {
            String message = "stream aborted by the server";
            try {
                if (f.payload().length > 0) message = RemoteErrors.toException(RemoteError.decode(f.reader())).getMessage();
            } catch (XdrException ignored) {
                // keep the generic text
            }
            incoming.add(new IOException(message));
            rpc.endStream(f.header().serial());
        } else {
            incoming.add(END); // the daemon's confirmation of our finish or abort
            rpc.endStream(f.header().serial());
        }
    }

    @Override
    public void onClosed(LibvirtException why) {
        incoming.add(new IOException(why.getMessage()));
    }

    private final InputStream input = new InputStream() {
        private byte[] chunk = new byte[0];
        private int pos;
        private boolean eof;
        private IOException failure;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (pos >= chunk.length) {
                if (failure != null) throw failure;
                if (eof) return -1;
                Object next;
                try {
                    next = incoming.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException();
                }
                if (next instanceof IOException e) {
                    failure = e;
                } else if (next == END) {
                    eof = true;
                } else {
                    chunk = (byte[]) next;
                    pos = 0;
                }
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return chunk.length - pos;
        }
    };

    private final OutputStream output = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("stream is closed");
            for (int done = 0; done < len; ) {
                int n = Math.min(len - done, Limits.STREAM_CHUNK);
                try {
                    rpc.sendStream(proc, serial, MessageType.STATUS_CONTINUE, b, off + done, n);
                } catch (LibvirtException e) {
                    throw new IOException(e.getMessage());
                }
                done += n;
            }
        }
    };

    @Override public InputStream input() { return input; }

    @Override public OutputStream output() { return output; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            rpc.sendStream(proc, serial, MessageType.STATUS_ERROR, new byte[0], 0, 0);
        } catch (LibvirtException ignored) {
            // the connection is gone, and the stream with it
        }
        incoming.add(END);
    }
}
