package org.jvirt.vmm.devices.net;

import static org.jvirt.vmm.devices.net.NetLibC.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.sun.jna.Memory;

/**
 * A Linux tap device (/dev/net/tun, IFF_TAP | IFF_NO_PI, with IFF_VNET_HDR and a 12-byte
 * virtio_net_hdr_v1 when offloads are wanted): opened with a given interface name or the
 * kernel's next "vnet%d", brought up, and optionally enslaved to a Linux bridge (SIOCBRADDIF),
 * as QEMU's -netdev tap with libvirt's setup. The fd is non-blocking; {@link #receive} reads, and polls only when no frame is queued.
 * Native buffers are allocated once, one for each direction.
 */
public final class TapBackend implements NetBackend {
    /** Largest frame either way: a 64 KiB TSO packet, its Ethernet header and the vnet header. */
    public static final int MAX_FRAME = 65536 + 14 + VirtioNetHeader.SIZE;

    private final int fd;
    private final String name;
    private final boolean vnetHeader;
    private final Memory rxBuf = new Memory(MAX_FRAME), txBuf = new Memory(MAX_FRAME);
    private final Memory pollFd = new Memory(8);
    private volatile boolean closed;

    private TapBackend(int fd, String name, boolean vnetHeader) {
        this.fd = fd;
        this.name = name;
        this.vnetHeader = vnetHeader;
        pollFd.setInt(0, fd);
        pollFd.setShort(4, (short) POLLIN);
    }

    /**
     * Opens (creating if needed) the tap ifname, or a new "vnet%d" when ifname is null; with
     * vnetHeader frames carry the virtio-net header; with bridge (may be null) the tap joins it.
     */
    public static TapBackend open(String ifname, boolean vnetHeader, String bridge) throws IOException {
        return open(ifname, vnetHeader, bridge, null);
    }

    /**
     * As {@link #open(String, boolean, String)}; a tap this call creates (not one that existed)
     * gets guestMac with its first byte 0xFE as its own address, as libvirt gives its taps, so
     * that a bridge never takes the tap's address for its own (it takes its ports' lowest) and
     * the host side never answers for the guest's address. guestMac null: the kernel's random one.
     */
    public static TapBackend open(String ifname, boolean vnetHeader, String bridge, byte[] guestMac) throws IOException {
        if (ifname != null) checkName(ifname, "tap");
        boolean existed = ifname != null && java.nio.file.Files.exists(java.nio.file.Path.of("/sys/class/net", ifname));
        if (bridge != null) checkName(bridge, "bridge");
        int fd = NetLibC.open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) throw new IOException("cannot open /dev/net/tun: " + lastError());
        try {
            Memory ifr = new Memory(IFREQ_SIZE);
            ifr.clear();
            putName(ifr, ifname == null ? "vnet%d" : ifname);
            ifr.setShort(IFREQ_UNION, (short) (IFF_TAP | IFF_NO_PI | (vnetHeader ? IFF_VNET_HDR : 0)));
            if (ioctl(fd, TUNSETIFF, address(ifr)) < 0) {
                throw new IOException("cannot create tap " + (ifname == null ? "vnet%d" : ifname) + ": " + lastError());
            }
            String name = ifr.getString(0, StandardCharsets.US_ASCII.name());
            if (vnetHeader) {
                Memory size = new Memory(4);
                size.setInt(0, VirtioNetHeader.SIZE);
                if (ioctl(fd, TUNSETVNETHDRSZ, address(size)) < 0) throw new IOException("tap " + name + ": TUNSETVNETHDRSZ: " + lastError());
                if (ioctl(fd, TUNSETOFFLOAD, 0) < 0) throw new IOException("tap " + name + ": TUNSETOFFLOAD: " + lastError());
            }
            if (guestMac != null && !existed) {
                byte[] own = guestMac.clone();
                own[0] = (byte) 0xFE;
                InterfaceControl.setMac(name, own);
            }
            InterfaceControl.up(name);
            if (bridge != null) InterfaceControl.addToBridge(bridge, name);
            return new TapBackend(fd, name, vnetHeader);
        } catch (IOException | RuntimeException e) {
            NetLibC.close(fd);
            throw e;
        }
    }

    private static long address(Memory m) {
        return com.sun.jna.Pointer.nativeValue(m);
    }

    static void putName(Memory ifr, String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        ifr.write(0, b, 0, b.length);
        ifr.setByte(b.length, (byte) 0);
    }

    /** A Linux interface name: 1..15 bytes, no '/', blank or ':' (dev_valid_name). */
    static void checkName(String n, String what) throws IOException {
        if (n.isEmpty() || n.length() >= IFNAMSIZ || n.equals(".") || n.equals("..")
                || !n.chars().allMatch(c -> c > 32 && c < 127 && c != '/' && c != ':')) {
            throw new IOException("bad " + what + " name '" + n + "' (1.." + (IFNAMSIZ - 1) + " characters, no '/', ':' or blanks)");
        }
    }

    @Override public boolean hasVnetHeader() { return vnetHeader; }
    @Override public String name() { return name; }

    @Override
    public int receive(byte[] buf, int offset, int timeoutMillis) throws IOException {
        if (closed) throw new IOException("tap " + name + " is closed");
        int n = readFrame(buf, offset); // while frames are queued, one read each: poll only when the tap is empty
        if (n != 0 || timeoutMillis == 0) return n;
        int r = poll(address(pollFd), 1, timeoutMillis);
        if (r < 0) {
            if (errno() == EINTR) return 0;
            throw new IOException("tap " + name + ": poll: " + lastError());
        }
        if (r == 0) return 0;
        return readFrame(buf, offset);
    }

    /** One frame from the (non-blocking) tap into buf at offset: its length, 0 when none is queued. */
    private int readFrame(byte[] buf, int offset) throws IOException {
        long n = read(fd, address(rxBuf), Math.min(buf.length - offset, MAX_FRAME));
        if (n < 0) {
            int e = errno();
            if (e == EAGAIN || e == EINTR) return 0;
            throw new IOException("tap " + name + ": read: " + strerror(e));
        }
        rxBuf.read(0, buf, offset, (int) n);
        return (int) n;
    }

    @Override
    public void send(byte[] buf, int offset, int length) throws IOException {
        if (closed) return;
        int n = Math.min(length, MAX_FRAME);
        txBuf.write(0, buf, offset, n);
        long w = write(fd, address(txBuf), n);
        if (w < 0) {
            int e = errno();
            if (e == EAGAIN || e == EINTR) return; // a full tap queue drops the frame, as a wire would
            if (e == EIO) return; // the interface is down: dropped
            throw new IOException("tap " + name + ": write: " + strerror(e));
        }
    }

    @Override
    public void setOffloads(int tunFlags) throws IOException {
        if (!vnetHeader || closed) return;
        if (ioctl(fd, TUNSETOFFLOAD, tunFlags) < 0) throw new IOException("tap " + name + ": TUNSETOFFLOAD 0x" + Integer.toHexString(tunFlags) + ": " + lastError());
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        NetLibC.close(fd); // a persistent tap made by someone else stays; ours goes with its last fd
    }
}
