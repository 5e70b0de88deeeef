package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.DomainMigration.TUNNELLED;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.TypedParameter;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.driver.spi.MigrationPhase;
import org.jvirt.driver.spi.MigrationTunnel;

/**
 * Tunnelled migration (virsh migrate --p2p --tunnelled): the guest's bytes travel inside the
 * libvirt connection between the two daemons as a stream, as libvirt's qemuMigrationDstPrepareTunnel
 * and qemuMigrationSrcPerformTunnel have them. The VMMs still speak TCP: each daemon joins its
 * VMM to the stream on a loopback port (IncomingTunnel on the destination, TunnelForwarder on
 * the source).
 */
final class TunnelledMigration {
    /** How long the incoming VMM may take to listen once started. */
    static final Duration CONNECT_WAIT = Duration.ofSeconds(30);

    private final DomainMigration migration;

    TunnelledMigration(DomainMigration migration) {
        this.migration = migration;
    }

    /** Destination: the VMM waits on a loopback port; this host's end of the stream is a connection to it. */
    MigrationPhase.PreparedTunnel prepare(List<TypedParameter> params, byte[] cookieIn, int flags) throws LibvirtException {
        if ((flags & TUNNELLED) == 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU, "PrepareTunnel called but no TUNNELLED flag set");
        }
        DomainMigration.checkOffline(flags);
        // a loopback port of the kernel's choosing (libvirt gives QEMU a pipe); the migration range stays for native migrations
        int port = loopbackPort();
        MigrationPhase.Prepared p = migration.prepare(params, cookieIn, flags, "127.0.0.1", port);
        String name = DomainMigration.cookieField(p.cookie(), "name");
        try {
            return new MigrationPhase.PreparedTunnel(p.cookie(), IncomingTunnel.connect("127.0.0.1", port, CONNECT_WAIT, () -> migration.activeNow(name)));
        } catch (LibvirtException e) {
            migration.stopIncoming(name);
            throw e;
        }
    }

    /** Source: the VMM sends to a local port whose bytes go into the stream; any failure aborts the stream. */
    byte[] perform(DomainRef d, MigrationTunnel tunnel, List<TypedParameter> params, int flags) throws LibvirtException {
        try (TunnelForwarder forward = TunnelForwarder.open(tunnel)) {
            byte[] cookie;
            try {
                cookie = migration.performTo(d, forward.uri(), params, flags);
            } catch (LibvirtException e) {
                forward.abort();
                throw e;
            }
            forward.finish();
            return cookie;
        } catch (LibvirtException e) {
            tunnel.abort();
            throw e;
        }
    }

    private static int loopbackPort() throws LibvirtException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw JvirtErrors.io(e);
        }
    }
}
