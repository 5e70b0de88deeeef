package org.jvirt.daemon.activation;

import com.sun.jna.Memory;
import java.io.IOException;
import org.jvirt.daemon.transport.Listener;

/** A listening socket systemd passed (unix or TCP), accepting through libc. */
final class ActivatedListener implements Listener {
    private final int fd;
    private final String name;
    private final boolean readOnly;
    private final boolean unix;
    private volatile boolean closed;

    ActivatedListener(int fd, String name, boolean readOnly, boolean unix) {
        this.fd = fd;
        this.name = name;
        this.readOnly = readOnly;
        this.unix = unix;
    }

    /** AF_UNIX, AF_INET or AF_INET6 of the socket, from getsockname. */
    static int family(int fd) throws IOException {
        Memory addr = new Memory(128);
        Memory len = new Memory(4);
        len.setInt(0, 128);
        if (SocketLibC.getsockname(fd, com.sun.jna.Pointer.nativeValue(addr), com.sun.jna.Pointer.nativeValue(len)) != 0) {
            throw new IOException("fd " + fd + " is not a socket: " + SocketLibC.strerror(SocketLibC.errno()));
        }
        return addr.getShort(0) & 0xffff;
    }

    @Override
    public void start(Handler handler) {
        SocketLibC.fcntl(fd, SocketLibC.F_SETFD, SocketLibC.FD_CLOEXEC); // jvirt-vmm children must not inherit it
        Thread t = new Thread(() -> {
            int n = 0;
            while (!closed) {
                int c = SocketLibC.accept4(fd, 0, 0, SocketLibC.SOCK_CLOEXEC);
                if (c < 0) {
                    if (closed) return;
                    if (SocketLibC.errno() == SocketLibC.EINTR) continue;
                    try {
                        Thread.sleep(100); // EMFILE and the like: do not spin
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                handler.accepted(new FdTransport(c, name + "#" + (++n), unix), readOnly);
            }
        }, "jvirtd-accept-" + name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public String describe() {
        return "systemd:" + name + (readOnly ? " (read-only)" : "");
    }

    @Override
    public void close() {
        closed = true;
        SocketLibC.shutdown(fd, 2);
        SocketLibC.close(fd);
    }
}
