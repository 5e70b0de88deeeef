package org.jvirt.driver.remote;

import java.net.URI;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DriverConnection;
import org.jvirt.driver.spi.HypervisorDriver;

/**
 * libvirt's remote driver: URIs that name a transport ("qemu+tcp://host/system",
 * "test+unix:///default?socket=PATH", "jvirt+ssh://user@host/system") are served by a daemon
 * reached over libvirt's RPC protocol.
 */
public final class RemoteDriver implements HypervisorDriver {

    @Override
    public String name() {
        return "remote";
    }

    @Override
    public boolean accepts(URI uri) {
        return RemoteUri.isRemoteScheme(uri.getScheme());
    }

    @Override
    public DriverConnection open(URI uri, boolean readOnly) throws LibvirtException {
        return open(RemoteUri.parse(uri.toString(), uri), readOnly, Handshake.KEEPALIVE_INTERVAL, Handshake.KEEPALIVE_COUNT);
    }

    /** Opens with a keepalive of one's own (virConnectSetKeepAlive's interval and count; interval 0: none). */
    static DriverConnection open(RemoteUri uri, boolean readOnly, int keepaliveInterval, int keepaliveCount) throws LibvirtException {
        RpcClient rpc = new RpcClient(link(uri, readOnly));
        try {
            Handshake.Result opened = Handshake.run(rpc, uri, readOnly, keepaliveInterval, keepaliveCount);
            return new RemoteConnection(rpc, opened.uri(), opened.keepalive(), opened.typedParamString());
        } catch (LibvirtException e) {
            rpc.close();
            throw e;
        }
    }

    private static Link link(RemoteUri uri, boolean readOnly) throws LibvirtException {
        return switch (uri.transport()) {
            case UNIX -> SocketLink.unix(uri.unixSocket(readOnly));
            case TCP -> SocketLink.tcp(uri.host(), uri.port());
            case SSH -> SshLink.open(uri, readOnly);
            case TLS -> TlsLink.open(uri);
        };
    }
}
