package org.jvirt.driver.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.ConsoleStream;
import org.jvirt.driver.spi.MigrationTunnel;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.MessageType;
import org.jvirt.rpc.RemoteError;
import org.jvirt.rpc.XdrException;

/**
 * A libvirt stream bound to a call (spec §6): a console (DOMAIN_OPEN_CONSOLE) or a tunnelled
 * migration (DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS). The daemon's data arrives as STREAM
 * CONTINUE frames of the call, ours leaves as such frames (written at once: the socket's
 * back-pressure is the stream's flow control); an empty CONTINUE is the daemon side's end, an
 * ERROR frame its failure, after which writes fail too. {@link #finish()} sends STREAM OK and
 * waits for the daemon's confirmation (virStreamFinish); closing aborts the stream (STREAM
 * ERROR, empty), as virsh does when the user leaves the console (virStreamAbort).
 */
final class RemoteStream implements ConsoleStream, MigrationTunnel, StreamSink {
    private static final byte[] END = new byte[0];
    /** How long a finish may wait for the daemon's confirmation. */
    private static final long FINISH_WAIT_SECONDS = 60;

    private final RpcClient rpc;
    private final int proc;
    private volatile int serial = -1;
    private final LinkedBlockingQueue<Object> incoming = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> confirmed = new CompletableFuture<>();
    private volatile LibvirtException failure;
    private volatile boolean closed;

    RemoteStream(RpcClient rpc, int proc) {
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
            LibvirtException why = RemoteErrors.rpc("stream aborted by the server");
            try {
                if (f.payload().length > 0) why = RemoteErrors.toException(RemoteError.decode(f.reader()));
            } catch (XdrException ignored) {
                // keep the generic text
            }
            failed(why);
            rpc.endStream(f.header().serial());
        } else {
            incoming.add(END); // the daemon's confirmation of our finish or abort
            confirmed.complete(null);
            rpc.endStream(f.header().serial());
        }
    }

    @Override
    public void onClosed(LibvirtException why) {
        failed(why);
    }

    private void failed(LibvirtException why) {
        failure = why;
        incoming.add(new IOException(why.getMessage()));
        confirmed.completeExceptionally(why);
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
            for (int done = 0; done < len; ) {
                LibvirtException why = failure;
                if (why != null) throw new IOException(why.getMessage());
                if (closed) throw new IOException("stream is closed");
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

    /** The daemon's failure on this stream, if it reported one. */
    LibvirtException failure() {
        return failure;
    }

    @Override
    public void finish() throws LibvirtException {
        LibvirtException why = failure;
        if (why != null) throw why;
        if (closed) throw RemoteErrors.internal("stream is closed");
        closed = true;
        rpc.sendStream(proc, serial, MessageType.STATUS_OK, new byte[0], 0, 0);
        try {
            confirmed.get(FINISH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (LibvirtException) e.getCause();
        } catch (TimeoutException e) {
            throw RemoteErrors.rpc("the daemon did not confirm the end of the stream within " + FINISH_WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RemoteErrors.internal("interrupted while finishing the stream");
        }
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (failure == null) {
            try {
                rpc.sendStream(proc, serial, MessageType.STATUS_ERROR, new byte[0], 0, 0);
            } catch (LibvirtException ignored) {
                // the connection is gone, and the stream with it
            }
        }
        incoming.add(END);
    }
}
