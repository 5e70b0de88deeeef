package org.jvirt.driver.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/**
 * A UNIX or TCP socket. The streams call the channel directly: Channels.newInputStream would
 * hold the channel's blocking lock while it waits for data, blocking every writer.
 */
final class SocketLink implements Link {
    private final SocketChannel channel;
    private final boolean secure;
    private final InputStream in;
    private final OutputStream out;

    private SocketLink(SocketChannel channel, boolean secure) {
        this.channel = channel;
        this.secure = secure;
        this.in = org.jvirt.rpc.ChannelStreams.input(channel);
        this.out = org.jvirt.rpc.ChannelStreams.output(channel);
    }

    /** Connects to a UNIX socket; a UNIX socket is local, so libvirt counts it as secure. */
    static SocketLink unix(String path) throws LibvirtException {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
            return new SocketLink(ch, true);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw systemError("Failed to connect socket to '" + path + "': " + reason(e));
        }
    }

    static SocketLink tcp(String host, int port) throws LibvirtException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw systemError("Unable to resolve address '" + host + "' service '" + port + "': Name or service not known");
        }
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(address);
            ch.socket().setTcpNoDelay(true);
            return new SocketLink(ch, false);
        } catch (IOException e) {
            closeQuietly(ch);
            throw systemError("unable to connect to server at '" + host + ":" + port + "': " + reason(e));
        }
    }

    /** The strerror text libvirt appends, from what Java says. */
    static String reason(Exception e) {
        if (e instanceof ConnectException) return "Connection refused";
        if (e instanceof UnknownHostException) return "Name or service not known";
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SocketException && m.contains("(")) m = m.substring(0, m.indexOf('(')).trim();
        return m;
    }

    static LibvirtException systemError(String message) {
        return LibvirtException.unprefixed(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_RPC, message);
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do for a channel that never connected
        }
    }

    @Override public InputStream in() { return in; }

    @Override public OutputStream out() { return out; }

    @Override public boolean isSecure() { return secure; }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
