package org.jvirt.rpc;

/** RPC program numbers (remote_protocol.x, virkeepaliveprotocol.x, qemu/lxc/admin protocols). */
public final class Programs {
    private Programs() { }

    public static final int REMOTE = 0x20008086;
    public static final int REMOTE_VERSION = 1;
    public static final int QEMU = 0x20008087;
    public static final int LXC = 0x00068000;
    public static final int KEEPALIVE = 0x6b656570;
    public static final int KEEPALIVE_VERSION = 1;
    public static final int KEEPALIVE_PING = 1;
    public static final int KEEPALIVE_PONG = 2;
    public static final int ADMIN = 0x06900690;
}
