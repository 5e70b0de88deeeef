package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Graphics;
import org.jvirt.xml.domain.devices.GraphicsListen;

/**
 * A domain's {@code <graphics type='vnc'>} at start, as libvirt's qemu driver sets it up
 * (qemuProcessGraphicsSetupListen, qemuProcessVNCAllocatePorts): the listen address (QEMU's
 * default vnc_listen 127.0.0.1, a network's address, or a unix socket, by default in the run
 * directory), the port (autoport: the first free one from 5900 up, as virPortAllocator hands
 * them out: not held by another running domain of this URI and bindable), written into the live
 * definition; then jvirt-vmm's --vnc, and the password given through the control socket
 * (set_password, expire_password) before the guest runs, never on the command line.
 */
final class VncGraphics {

    /** qemu.conf's remote_display_port_min and _max. */
    static final int PORT_MIN = 5900;
    static final int PORT_MAX = 65535;
    /** qemu.conf's vnc_listen. */
    static final String DEFAULT_LISTEN = "127.0.0.1";

    /** How a listen type='network' finds its address (JvirtNetworks.listenAddress). */
    interface NetworkAddresses {
        String of(String network) throws LibvirtException;
    }

    private VncGraphics() { }

    /** The domain's VNC graphics (DeviceChecks allows one), or null. */
    static Graphics vnc(Devices devices) {
        if (devices == null) return null;
        for (Graphics g : devices.getGraphics()) if ("vnc".equals(g.getType())) return g;
        return null;
    }

    /**
     * Fills the live definition's VNC listen and port. usedPorts: ports other running domains
     * of the URI show in their live XML. socketPath: libvirt's default socket for this domain.
     */
    static void prepare(DomainDefinition live, Set<Integer> usedPorts, Path socketPath, NetworkAddresses networks) throws LibvirtException {
        Graphics g = vnc(live.model().getDevices());
        if (g == null) return;
        List<GraphicsListen> listens = g.children(GraphicsListen.class);
        GraphicsListen l = listens.isEmpty() ? null : listens.get(0);
        String type = l == null ? "address" : l.getType();
        if ("socket".equals(type)) {
            if (l.getSocket() == null) l.setSocket(socketPath.toString()); // auto-generated: not shown as graphics' socket
            return;
        }
        String address;
        if ("network".equals(type)) {
            address = networks.of(l.getNetwork());
            // libvirt writes the address before the network
            String network = l.getNetwork();
            l.setNetwork(null);
            l.setAddress(address);
            l.setNetwork(network);
        } else {
            address = l != null && l.getAddress() != null ? l.getAddress() : g.getListen() != null ? g.getListen() : DEFAULT_LISTEN;
            if (l != null) l.setAddress(address);
        }
        g.setListen(address);
        if ("yes".equals(g.getAutoport()) || g.getPort() == null || g.getPort().equals("-1")) {
            g.setPort(Integer.toString(allocate(usedPorts)));
        }
    }

    /** virPortAllocatorAcquire: the first port from 5900 that no domain holds and that can be bound. */
    static int allocate(Set<Integer> used) throws LibvirtException {
        for (int p = PORT_MIN; p <= PORT_MAX; p++) {
            if (used.contains(p)) continue;
            if (bindable(p)) return p;
        }
        throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NONE,
                "Unable to find an unused port in range 'display' (" + PORT_MIN + "-" + PORT_MAX + ")");
    }

    /** Whether the port is free on the wildcard address, as virPortAllocator checks (IPv4 and IPv6). */
    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The ports the VNC graphics of running domains show in their live XML. */
    static Set<Integer> usedPorts(List<StoredDomain> running) {
        Set<Integer> used = new HashSet<>();
        for (StoredDomain o : running) {
            try {
                Graphics g = vnc(o.liveDef().model().getDevices());
                if (g != null && g.getPort() != null) used.add(Integer.parseInt(g.getPort().trim()));
            } catch (RuntimeException e) {
                // a damaged status file holds no port
            }
        }
        return used;
    }

    /** jvirt-vmm's --vnc for the prepared live definition, or null without VNC graphics. */
    static LaunchSpec.Vnc launch(Devices devices) {
        Graphics g = vnc(devices);
        if (g == null) return null;
        List<GraphicsListen> listens = g.children(GraphicsListen.class);
        LaunchSpec.VncShare share = switch (g.getSharePolicy() == null ? "" : g.getSharePolicy()) {
            case "force-shared" -> LaunchSpec.VncShare.FORCE_SHARED;
            case "ignore" -> LaunchSpec.VncShare.IGNORE;
            default -> LaunchSpec.VncShare.ALLOW_EXCLUSIVE;
        };
        boolean password = g.getPasswd() != null;
        if (!listens.isEmpty() && "socket".equals(listens.get(0).getType())) {
            return new LaunchSpec.Vnc(null, 0, Path.of(listens.get(0).getSocket()), share, password);
        }
        return new LaunchSpec.Vnc(g.getListen(), Integer.parseInt(g.getPort().trim()), null, share, password);
    }

    /**
     * qemuDomainChangeGraphicsPasswords at start: set_password (connected: keep unless the
     * graphics says) then expire_password (never, now when passwdValidTo has passed, else its time).
     */
    static List<Command<?>> passwordCommands(Devices devices, long nowSeconds) throws LibvirtException {
        Graphics g = vnc(devices);
        List<Command<?>> out = new ArrayList<>();
        if (g == null || g.getPasswd() == null) return out;
        out.add(new Command.SetPassword("vnc", g.getPasswd(), g.getConnected() == null ? "keep" : g.getConnected()));
        String expire = "never";
        if (g.getPasswdValidTo() != null) {
            long validTo = validTo(g.getPasswdValidTo());
            expire = validTo <= nowSeconds ? "now" : Long.toString(validTo);
        }
        out.add(new Command.ExpirePassword("vnc", expire));
        return out;
    }

    /** passwdValidTo as libvirt reads it (checked at define). */
    static long validTo(String text) throws LibvirtException {
        return org.jvirt.driver.def.GraphicsDefaults.validTo(text);
    }
}
