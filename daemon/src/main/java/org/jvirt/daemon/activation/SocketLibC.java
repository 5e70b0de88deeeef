package org.jvirt.daemon.activation;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** The libc calls an inherited listening socket needs (JNA direct mapping: primitive arguments only). */
final class SocketLibC {
    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private SocketLibC() { }

    static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int F_SETFD = 2, FD_CLOEXEC = 1;
    static final int SOCK_DGRAM = 2;
    static final int EINTR = 4;

    /** addr may be 0 (no peer address wanted). */
    static native int accept4(int fd, long addr, long addrlen, int flags);
    /** addr: a buffer of *addrlen bytes; addrlen: address of a socklen_t. */
    static native int getsockname(int fd, long addr, long addrlen);
    static native long read(int fd, long buf, long count);
    static native long write(int fd, long buf, long count);
    static native int shutdown(int fd, int how);
    static native int close(int fd);
    static native int fcntl(int fd, int cmd, int arg);
    static native int socket(int domain, int type, int protocol);
    static native long sendto(int fd, long buf, long len, int flags, long addr, int addrlen);
    static native String strerror(int errnum);

    static int errno() {
        return Native.getLastError();
    }
}
