package org.jvirt.vmm.devices.net;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The libc calls a tap and a unix stream socket need, by JNA direct mapping (primitive arguments: no allocation per
 * call). Numbers from Linux's uapi headers (linux/if_tun.h, linux/sockios.h, net/if.h) on x86-64.
 */
final class NetLibC {
    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private NetLibC() { }

    static final int O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    static final int AF_INET = 2, SOCK_DGRAM = 2;
    static final int POLLIN = 0x1, POLLOUT = 0x4;
    static final int EINTR = 4, EIO = 5, EAGAIN = 11;
    /** Unix stream sockets (passt's): sys/socket.h, fcntl.h. */
    static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_CLOEXEC = 0x80000, MSG_NOSIGNAL = 0x4000, SHUT_RDWR = 2;
    static final int F_GETFL = 3, F_SETFL = 4;
    /** struct sockaddr_un: sa_family_t (2 bytes), then sun_path[108]. */
    static final int SOCKADDR_UN_SIZE = 110, SUN_PATH_MAX = 107;

    /** _IOW('T', 202, int) etc. (linux/if_tun.h). */
    static final long TUNSETIFF = 0x400454caL, TUNSETOFFLOAD = 0x400454d0L, TUNSETVNETHDRSZ = 0x400454d8L;
    static final int IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_VNET_HDR = 0x4000;
    static final int TUN_F_CSUM = 0x01, TUN_F_TSO4 = 0x02, TUN_F_TSO6 = 0x04, TUN_F_TSO_ECN = 0x08;
    /** linux/sockios.h. */
    static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914, SIOCGIFINDEX = 0x8933, SIOCBRADDIF = 0x89a2,
            SIOCSIFHWADDR = 0x8924;
    /** sa_family of an Ethernet hardware address (ifr_hwaddr). */
    static final short ARPHRD_ETHER = 1;
    static final int IFF_UP = 0x1;
    /** struct ifreq: char ifr_name[IFNAMSIZ = 16], then a union (ifr_flags: short, ifr_ifindex: int) at 16; 40 bytes. */
    static final int IFNAMSIZ = 16, IFREQ_SIZE = 40, IFREQ_UNION = 16;

    static native int open(String path, int flags);
    static native int close(int fd);
    static native int ioctl(int fd, long request, long arg);
    static native int socket(int domain, int type, int protocol);
    /** fds: address of struct pollfd[nfds] (int fd; short events; short revents). */
    static native int poll(long fds, long nfds, int timeoutMillis);
    static native long read(int fd, long buf, long count);
    static native long write(int fd, long buf, long count);
    static native String strerror(int errnum);
    static native int connect(int fd, long addr, int addrlen);
    static native long send(int fd, long buf, long count, int flags);
    static native int shutdown(int fd, int how);
    static native int fcntl(int fd, int cmd, int arg);
    static native int socketpair(int domain, int type, int protocol, int[] fds);

    static int errno() {
        return Native.getLastError();
    }

    static String lastError() {
        return strerror(errno());
    }
}
