package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.MigrationTunnel;
import org.jvirt.rpc.Limits;

/**
 * The source's end of a tunnelled migration (libvirt's qemuMigrationSrcPerformTunnel, which
 * hands QEMU a pipe and copies it into the stream): the source VMM's jvirt-migrate connects to a
 * loopback port this owns ({@link #uri()}); what it sends goes into the stream in chunks of at
 * most a stream frame, and what the destination's VMM answers comes back to it. The stream's
 * writes block while the destination is behind, so the VMM is held back by its socket.
 */
final class TunnelForwarder implements AutoCloseable {
    /** How long the VMM may take to connect once asked to migrate. */
    static final int ACCEPT_TIMEOUT_MS = 30_000;

    private final MigrationTunnel tunnel;
    private final ServerSocket listener;
    private final Thread pump;
    private volatile Socket vmm;
    private volatile IOException failure;
    private volatile boolean closed;

    private TunnelForwarder(MigrationTunnel tunnel, ServerSocket listener) {
        this.tunnel = tunnel;
        this.listener = listener;
        this.pump = new Thread(this::pump, "jvirt-migration-tunnel");
        pump.setDaemon(true);
    }

    /** Listens on a loopback port and waits there for the VMM (on a thread of its own). */
    static TunnelForwarder open(MigrationTunnel tunnel) throws LibvirtException {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            s.setSoTimeout(ACCEPT_TIMEOUT_MS);
            TunnelForwarder f = new TunnelForwarder(tunnel, s);
            f.pump.start();
            return f;
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "cannot create socket for tunnelled migration: " + e.getMessage());
        }
    }

    /** Where the VMM sends the migration. */
    String uri() {
        return "tcp:127.0.0.1:" + listener.getLocalPort();
    }

    private void pump() {
        try (Socket s = listener.accept()) {
            vmm = s;
            listener.close();
            s.setTcpNoDelay(true);
            Thread back = new Thread(() -> answers(s), "jvirt-migration-tunnel-answers");
            back.setDaemon(true);
            back.start();
            copy(s.getInputStream(), tunnel.output());
        } catch (SocketTimeoutException e) {
            failure = new IOException("the VMM did not connect to the tunnel within " + ACCEPT_TIMEOUT_MS / 1000 + " s");
        } catch (IOException e) {
            if (!closed) failure = e;
        }
    }

    /** The destination VMM's answers, to the source VMM; a failed stream ends the VMM's connection, so that it stops at once. */
    private void answers(Socket s) {
        try {
            copy(tunnel.input(), s.getOutputStream());
        } catch (IOException e) {
            if (!closed) {
                failure = e;
                closeQuietly(s);
            }
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[Limits.STREAM_CHUNK];
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (n == 0) continue;
            out.write(buf, 0, n);
            out.flush();
        }
    }

    /** After a migration that succeeded: waits until all the VMM sent went into the stream, then finishes the stream. */
    void finish() throws LibvirtException {
        try {
            pump.join(ACCEPT_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        IOException why = failure;
        if (pump.isAlive() || why != null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "tunnelled migration failed: " + (why != null ? why.getMessage() : "the VMM did not close its end"));
        }
        closed = true;
        tunnel.finish();
    }

    /** What went wrong on the tunnel, if anything did (for the error of a failed migration). */
    IOException failure() {
        return failure;
    }

    /** The migration failed: the stream is aborted and the VMM's connection closed. */
    void abort() {
        if (closed) return;
        closed = true;
        tunnel.abort();
        close();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        Socket s = vmm;
        if (s != null) closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
