package org.jvirt.vmm.vnc;

import org.jvirt.vmm.access.PrivateSocket;
import org.jvirt.vmm.devices.display.Frame;
import org.jvirt.vmm.devices.input.InputSink;
import org.jvirt.vmm.protocol.VncInfo;
import org.jvirt.vmm.protocol.launch.LaunchSpec;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Inet6Address;
import java.net.StandardProtocolFamily;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * jvirt-vmm's VNC server (--vnc): listens on TCP or a unix socket (0600, as the control socket),
 * an acceptor thread hands each connection to a {@link VncClient} thread of its own. The guest
 * never waits on a client: a client only calls the display's render (through a short-lived
 * shared frame, so many clients render once) and the InputSink. At most {@link Limits#maxClients}
 * connections: past that the oldest one still in its handshake is dropped (QEMU's
 * connections= rule), or the new one if none is.
 */
public final class VncServer implements AutoCloseable {

    /** Bounds on what clients may hold: connections, and how long a handshake may take. */
    public record Limits(int maxClients, long handshakeTimeoutMs) {
        public static final Limits DEFAULT = new Limits(16, 10_000);
    }

    private static final long FRAME_REUSE_NANOS = 10_000_000L;

    private final ServerSocketChannel listener;
    private final LaunchSpec.Vnc spec;
    private final String desktopName;
    private final Supplier<Frame> display;
    private final InputSink input;
    private final Limits limits;
    private final Path unixPath;
    final VncPassword password = new VncPassword();
    private final List<VncClient> clients = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;
    private Frame frame;
    private long frameAt;
    private int clientNumber;

    private VncServer(ServerSocketChannel listener, LaunchSpec.Vnc spec, String vmName, Supplier<Frame> display, InputSink input, Limits limits) {
        this.listener = listener;
        this.spec = spec;
        this.desktopName = vmName == null ? "QEMU" : "QEMU (" + vmName + ")"; // QEMU's own ServerInit name
        this.display = display;
        this.input = input;
        this.limits = limits;
        this.unixPath = spec.socket() == null ? null : spec.socket().toAbsolutePath();
        this.acceptor = new Thread(this::acceptLoop, "vnc-acceptor");
        acceptor.setDaemon(true);
    }

    /**
     * Binds where spec says and starts accepting. A bind failure is an IOException worded as
     * QEMU words it ("Failed to bind socket: Address already in use").
     */
    public static VncServer start(LaunchSpec.Vnc spec, String vmName, Supplier<Frame> display, InputSink input, Limits limits) throws IOException {
        ServerSocketChannel ch;
        if (spec.socket() != null) {
            try {
                ch = PrivateSocket.bind(spec.socket(), 16);
            } catch (IOException e) {
                throw new IOException("Failed to bind socket to " + spec.socket() + ": " + reason(e), e);
            }
        } else {
            InetAddress addr;
            try {
                addr = InetAddress.getByName(spec.host());
            } catch (IOException e) {
                throw new IOException("address resolution failed for " + spec.host() + ":" + spec.port() + ": Name or service not known", e);
            }
            ch = ServerSocketChannel.open(addr instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            try {
                ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(new InetSocketAddress(addr, spec.port()), 16);
            } catch (IOException e) {
                ch.close();
                String why = reason(e);
                // QEMU 7.2's inet_listen_saddr: a port in use is "no available port", other errors "Failed to bind socket"
                throw new IOException((why.equals("Address already in use") ? "Failed to find an available port: " : "Failed to bind socket: ") + why, e);
            }
        }
        VncServer s = new VncServer(ch, spec, vmName, display, input, limits);
        s.acceptor.start();
        return s;
    }

    public static VncServer start(LaunchSpec.Vnc spec, String vmName, Supplier<Frame> display, InputSink input) throws IOException {
        return start(spec, vmName, display, input, Limits.DEFAULT);
    }

    /** The OS's words for e (Java's messages are strerror's, sometimes after a prefix). */
    private static String reason(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int colon = m.lastIndexOf(": ");
        if (e instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        return colon >= 0 ? m.substring(colon + 2) : m.replace(" (Bind failed)", "");
    }

    /** The TCP port listened on (useful with port 0), or -1 for a unix socket. */
    public int port() {
        try {
            return listener.getLocalAddress() instanceof InetSocketAddress a ? a.getPort() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) return;
                log("accept failed: " + e.getMessage());
                try { Thread.sleep(100); } catch (InterruptedException ie) { return; }
                continue;
            }
            VncClient c;
            synchronized (this) {
                if (closed) { quietClose(ch); return; }
                if (clients.size() >= limits.maxClients()) {
                    VncClient oldest = clients.stream().filter(x -> !x.initialized()).findFirst().orElse(null);
                    if (oldest == null) {
                        log("refused a connection: " + limits.maxClients() + " clients already connected");
                        quietClose(ch);
                        continue;
                    }
                    clients.remove(oldest);
                    oldest.disconnect();
                }
                c = new VncClient(this, ch, ++clientNumber);
                clients.add(c);
            }
            Thread t = new Thread(c, "vnc-client-" + c.number());
            t.setDaemon(true);
            t.start();
        }
    }

    private static void quietClose(SocketChannel ch) {
        try { ch.close(); } catch (IOException ignored) { /* gone */ }
    }

    // ---- what clients ask of the server

    String desktopName() { return desktopName; }

    InputSink input() { return input; }

    /** The guest's keyboard LEDs (QEMU's bits), for clients that take the LED state pseudo-encoding. */
    int leds() { return leds.getAsInt(); }

    private volatile java.util.function.IntSupplier leds = () -> 0;

    /** Follows the router's keyboard LEDs: each change reaches the clients that take the LED state (QEMU's kbd_leds). */
    public void followLeds(org.jvirt.vmm.devices.input.InputRouter router) {
        leds = router::leds;
        router.onLedsChanged(state -> {
            List<VncClient> now;
            synchronized (this) {
                now = new ArrayList<>(clients);
            }
            for (VncClient c : now) c.wakeup();
        });
    }

    long handshakeTimeoutMs() { return limits.handshakeTimeoutMs(); }

    boolean passwordAuth() { return spec.password(); }

    /** The picture now; a frame rendered in the last 10 ms is shared, so N clients render about once. */
    synchronized Frame frame() {
        long now = System.nanoTime();
        if (frame == null || now - frameAt > FRAME_REUSE_NANOS) {
            frame = display.get();
            frameAt = now;
        }
        return frame;
    }

    /**
     * ClientInit's share flag under the policy, as QEMU's protocol_client_init: allow-exclusive
     * disconnects the others for an exclusive client and refuses a shared one while an
     * exclusive one is in; force-shared refuses exclusive clients; ignore lets all in.
     * Returns false when this client is to be disconnected.
     */
    synchronized boolean admit(VncClient c, boolean shared) {
        switch (spec.share()) {
            case ALLOW_EXCLUSIVE -> {
                if (!shared) {
                    for (VncClient other : List.copyOf(clients)) {
                        if (other != c && other.initialized()) other.disconnect();
                    }
                } else if (clients.stream().anyMatch(o -> o != c && o.initialized() && o.exclusive())) {
                    return false;
                }
            }
            case FORCE_SHARED -> {
                if (!shared) return false;
            }
            case IGNORE -> { }
        }
        c.admitted(!shared);
        return true;
    }

    synchronized void remove(VncClient c) {
        clients.remove(c);
    }

    // ---- the control socket's commands

    /** set_password: QEMU's "Could not set password" when the server was not started with password=on. */
    public void setPassword(String pw) {
        if (!spec.password()) throw new IllegalArgumentException("Could not set password");
        password.set(pw);
    }

    /** expire_password's time (now, never, +SECONDS, SECONDS since the epoch); taken without password=on too, as QEMU 7.2 does. */
    public void expirePassword(String time) {
        password.expireAt(VncPassword.parseExpiry(time));
    }

    /** query-vnc's answer. */
    public synchronized VncInfo info() {
        List<VncInfo.Client> cs = clients.stream().map(VncClient::info).toList();
        String auth = spec.password() ? "vnc" : "none";
        if (unixPath != null) return new VncInfo(true, unixPath.toString(), "unix", "", auth, cs);
        try {
            InetSocketAddress a = (InetSocketAddress) listener.getLocalAddress();
            return new VncInfo(true, a.getAddress().getHostAddress(), family(a.getAddress()), Integer.toString(a.getPort()), auth, cs);
        } catch (IOException e) {
            return new VncInfo(true, spec.host(), "ipv4", Integer.toString(spec.port()), auth, cs);
        }
    }

    static String family(InetAddress a) {
        return a instanceof Inet6Address ? "ipv6" : "ipv4";
    }

    synchronized int clientCount() { return clients.size(); }

    @Override
    public void close() {
        List<VncClient> open;
        synchronized (this) {
            if (closed) return;
            closed = true;
            open = List.copyOf(clients);
            clients.clear();
        }
        try { listener.close(); } catch (IOException ignored) { /* closing */ }
        for (VncClient c : open) c.disconnect();
        if (unixPath != null) {
            try { Files.deleteIfExists(unixPath); } catch (IOException ignored) { /* best effort, as QEMU */ }
        }
    }

    static void log(String line) {
        System.err.println("jvirt-vmm: vnc: " + line);
    }
}
