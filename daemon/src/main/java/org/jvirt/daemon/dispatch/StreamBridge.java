package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.DOMAIN_OPEN_CONSOLE;
import static org.jvirt.rpc.RemoteProcedure.STORAGE_VOL_DOWNLOAD;
import static org.jvirt.rpc.RemoteProcedure.STORAGE_VOL_UPLOAD;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jvirt.daemon.session.ClientSession;
import org.jvirt.daemon.session.StreamSink;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.spi.ConsoleStream;
import org.jvirt.rpc.Limits;
import org.jvirt.rpc.MessageHeader;

/**
 * A stream opened by a call (spec §6) between the client and a pair of the driver's byte
 * streams: a console (DOMAIN_OPEN_CONSOLE; the guest goes on when it closes), a volume's
 * upload or download (STORAGE_VOL_UPLOAD, _DOWNLOAD) or a tunnelled migration's destination
 * end (MigrationProcedures). The reply first, then what the driver side
 * gives as STREAM CONTINUE frames of at most libvirtd's chunk, from one pump thread per stream
 * that waits while the client is behind, and an empty CONTINUE at its end; the client's data
 * is written to the driver side as it arrives (a write that blocks stops the session's reading:
 * TCP's back-pressure, the protocol's only flow control); the client's finish or abort ends it.
 */
final class StreamBridge implements StreamSink {
    /** How the driver side of the stream ends. */
    interface Ends {
        /** The client finished: all its data was written. */
        void finish() throws Exception;

        /** The client aborted, went away, or the stream failed. Never throws. */
        void abort();
    }

    private final ClientSession session;
    private final MessageHeader call;
    private final InputStream from;
    private final OutputStream to;
    private final String what;
    private final Ends ends;
    private final SessionState state;
    private volatile boolean closed;

    private StreamBridge(ClientSession session, MessageHeader call, InputStream from, OutputStream to, String what, Ends ends,
                         SessionState state) {
        this.session = session;
        this.call = call;
        this.from = from;
        this.to = to;
        this.what = what;
        this.ends = ends;
        this.state = state;
    }

    static void register(ProcedureTable t) {
        t.add(DOMAIN_OPEN_CONSOLE, "virDomainOpenConsole", Access.WRITE, c -> {
            Domain d = c.domain();
            String dev = c.readOptionalString("dev_name");
            int flags = c.readInt();
            ConsoleStream console = d.openConsole(dev, flags);
            open(c, console.input(), console.output(), "console", new Ends() {
                @Override public void finish() { console.close(); }

                @Override public void abort() { console.close(); }
            }, "jvirtd-console " + d.getName());
        });
        // remote_storage_vol_upload_args / _download_args: vol, offset, length (uhyper), flags
        t.add(STORAGE_VOL_UPLOAD, "virStorageVolUpload", Access.WRITE, c -> {
            var v = c.storageVol();
            long offset = c.args.readHyper();
            long length = c.args.readHyper();
            OutputStream into = v.upload(offset, length, c.readInt());
            // only the client sends: no pump, the volume's file is closed (and synced) at the client's finish
            open(c, null, into, "volume", closing(into), null);
        });
        t.add(STORAGE_VOL_DOWNLOAD, "virStorageVolDownload", Access.WRITE, c -> {
            var v = c.storageVol();
            long offset = c.args.readHyper();
            long length = c.args.readHyper();
            InputStream from = v.download(offset, length, c.readInt());
            open(c, from, OutputStream.nullOutputStream(), "volume", closing(from), "jvirtd-download " + v.getName());
        });
    }

    /** Ends that close the driver's stream either way (also for other families' download streams). */
    static Ends closingEnds(java.io.Closeable stream) {
        return closing(stream);
    }

    /** Ends that close the driver's stream either way. */
    private static Ends closing(java.io.Closeable stream) {
        return new Ends() {
            @Override public void finish() throws IOException { stream.close(); }

            @Override
            public void abort() {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // nothing more to do for a stream the client gave up
                }
            }
        };
    }

    /** Binds the stream to the call, sends the call's reply (c.ret as the procedure wrote it) and starts the pump (none without from). */
    static void open(Call c, InputStream from, OutputStream to, String what, Ends ends, String threadName) {
        StreamBridge b = new StreamBridge(c.session, c.header, from, to, what, ends, c.state);
        c.state.streams.add(b);
        c.session.openStream(c.header, b);
        c.session.reply(c.header, c.ret);
        c.replied = true;
        if (from == null) return;
        Thread pump = new Thread(b::pump, threadName);
        pump.setDaemon(true);
        pump.start();
    }

    private void pump() {
        byte[] buf = new byte[Limits.STREAM_CHUNK];
        try {
            while (!closed) {
                int n = from.read(buf);
                if (n < 0) {
                    session.streamData(call, buf, 0, 0); // end of data: an empty CONTINUE
                    break;
                }
                if (n > 0 && !session.streamData(call, buf, 0, n)) break;
            }
        } catch (IOException e) {
            if (!closed) session.streamError(call, WireErrors.internal(what + " closed: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    @Override
    public void data(byte[] bytes) {
        if (closed) return;
        try {
            to.write(bytes);
            to.flush();
        } catch (IOException e) {
            session.streamError(call, WireErrors.internal("cannot write to the " + what + ": " + e.getMessage()));
            close();
        }
    }

    @Override
    public void end(boolean aborted) {
        if (closed) return;
        closed = true;
        state.streams.remove(this);
        if (aborted) {
            ends.abort();
            return;
        }
        try {
            ends.finish();
        } catch (Exception e) {
            ends.abort(); // the session confirms the finish anyway; what failed shows in the next call (Finish)
        }
    }

    void close() {
        if (closed) return;
        closed = true;
        state.streams.remove(this);
        ends.abort();
    }
}
