package org.jvirt.daemon.activation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jvirt.daemon.transport.Listener;

/**
 * The listeners systemd passed to this process, by name as libvirtd's units name them:
 * jvirtd.socket (read-write unix), jvirtd-ro.socket (read-only unix), jvirtd-tcp.socket (plain
 * TCP). A socket named otherwise, or jvirtd-tls.socket (TLS over an inherited socket is not
 * done yet), is refused at start rather than ignored.
 */
public final class SocketActivation {
    private SocketActivation() { }

    /** The first fd systemd passes (SD_LISTEN_FDS_START). */
    static final int FIRST_FD = 3;

    /** The passed listeners, or an empty list when this process was not socket-activated. */
    public static List<Listener> listeners(Map<String, String> env) throws IOException {
        String pid = env.get("LISTEN_PID");
        String fds = env.get("LISTEN_FDS");
        if (pid == null || fds == null || !pid.equals(String.valueOf(ProcessHandle.current().pid()))) return List.of();
        int n;
        try {
            n = Integer.parseInt(fds);
        } catch (NumberFormatException e) {
            throw new IOException("invalid LISTEN_FDS '" + fds + "'");
        }
        String[] names = env.getOrDefault("LISTEN_FDNAMES", "").split(":", -1);
        List<Listener> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int fd = FIRST_FD + i;
            String name = i < names.length && !names[i].isEmpty() ? names[i] : "unknown";
            int family = ActivatedListener.family(fd);
            boolean unix = family == SocketLibC.AF_UNIX;
            switch (name) {
                case "jvirtd.socket", "libvirtd.socket" -> out.add(new ActivatedListener(fd, name, false, true));
                case "jvirtd-ro.socket", "libvirtd-ro.socket" -> out.add(new ActivatedListener(fd, name, true, true));
                case "jvirtd-tcp.socket", "libvirtd-tcp.socket" -> {
                    if (unix) throw new IOException("socket '" + name + "' (fd " + fd + ") is a unix socket, expected TCP");
                    out.add(new ActivatedListener(fd, name, false, false));
                }
                case "jvirtd-tls.socket", "libvirtd-tls.socket" -> throw new IOException(
                        "socket activation of the TLS listener is not supported yet: remove " + name + " and set listen_tls in jvirtd.conf");
                default -> throw new IOException("unexpected socket '" + name + "' (fd " + fd + ") passed by systemd");
            }
        }
        return out;
    }

    /** Tells systemd (Type=notify) the daemon serves: READY=1 to $NOTIFY_SOCKET; nothing when unset. */
    public static void notifyReady(Map<String, String> env) {
        String sock = env.get("NOTIFY_SOCKET");
        if (sock == null || sock.isEmpty()) return;
        Notify.send(sock, "READY=1\nMAINPID=" + ProcessHandle.current().pid());
    }
}
