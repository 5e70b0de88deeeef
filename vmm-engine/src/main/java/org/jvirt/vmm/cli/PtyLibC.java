package org.jvirt.vmm.cli;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/** The libc calls a pseudo-terminal console needs (JNA direct mapping: primitive arguments only). */
final class PtyLibC {
    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private PtyLibC() { }

    static final int O_RDWR = 2, O_NOCTTY = 0x100, O_NONBLOCK = 0x800;
    static final int F_GETFL = 3, F_SETFL = 4;
    static final int POLLIN = 0x1, POLLHUP = 0x10;
    static final int EAGAIN = 11, EINTR = 4, EIO = 5;

    static native int posix_openpt(int flags);
    static native int grantpt(int fd);
    static native int unlockpt(int fd);
    static native String ptsname(int fd);
    static native int fcntl(int fd, int cmd, int arg);
    /** fds: address of struct pollfd[nfds] (int fd; short events; short revents). */
    static native int poll(long fds, long nfds, int timeoutMillis);
    static native long read(int fd, long buf, long count);
    static native long write(int fd, long buf, long count);
    static native int close(int fd);
    static native String strerror(int errnum);

    static int errno() {
        return Native.getLastError();
    }
}
