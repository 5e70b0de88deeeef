package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.MigrationTunnel;

/**
 * The destination's end of a tunnelled migration (libvirt's qemuMigrationDstPrepareTunnel, which
 * gives QEMU a pipe for -incoming): a connection to the incoming VMM's loopback listener; what
 * the stream brings is written to it, what the VMM answers goes back on the stream.
 */
final class IncomingTunnel implements MigrationTunnel {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private IncomingTunnel(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the VMM, which starts listening shortly after its control socket is up; alive: whether it still runs. */
    static IncomingTunnel connect(String host, int port, Duration wait, java.util.function.BooleanSupplier alive) throws LibvirtException {
        long end = System.nanoTime() + wait.toNanos();
        IOException last = null;
        while (System.nanoTime() < end && alive.getAsBoolean()) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(host, port), 1000);
                s.setTcpNoDelay(true);
                return new IncomingTunnel(s);
            } catch (IOException e) {
                last = e;
                try {
                    s.close();
                    Thread.sleep(20);
                } catch (IOException | InterruptedException ignored) {
                    if (Thread.interrupted()) break;
                }
            }
        }
        throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                "cannot connect the tunnel to the incoming VMM at " + host + ":" + port + (last != null ? ": " + last.getMessage() : ""));
    }

    @Override public OutputStream output() { return out; }

    @Override public InputStream input() { return in; }

    /**
     * All sent: the VMM sees the end of its input. The source finishes only after its VMM had the
     * answer, which came through this connection, so nothing is left to read on it.
     */
    @Override
    public void finish() throws LibvirtException {
        try (socket) {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "tunnelled migration failed to finish: " + e.getMessage());
        }
    }

    @Override
    public void abort() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
