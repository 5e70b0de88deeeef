package org.jvirt.daemon.activation;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;

/** sd_notify's datagram to systemd's notify socket (a path, or "@name" in the abstract namespace). */
final class Notify {
    private Notify() { }

    static void send(String socketPath, String message) {
        byte[] path = socketPath.getBytes(StandardCharsets.UTF_8);
        if (path.length > 107) return;
        Memory addr = new Memory(110);
        addr.clear();
        addr.setShort(0, (short) SocketLibC.AF_UNIX);
        addr.write(2, path, 0, path.length);
        if (path[0] == '@') addr.setByte(2, (byte) 0); // abstract namespace
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        Memory buf = new Memory(msg.length);
        buf.write(0, msg, 0, msg.length);
        int fd = SocketLibC.socket(SocketLibC.AF_UNIX, SocketLibC.SOCK_DGRAM | SocketLibC.SOCK_CLOEXEC, 0);
        if (fd < 0) return;
        SocketLibC.sendto(fd, com.sun.jna.Pointer.nativeValue(buf), msg.length, 0, com.sun.jna.Pointer.nativeValue(addr), 2 + path.length);
        SocketLibC.close(fd);
    }
}
