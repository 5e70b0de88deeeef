package org.jvirt.vmm.devices.net;

import static org.jvirt.vmm.devices.net.NetLibC.*;

import java.io.IOException;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/** The interface ioctls a tap needs, on a throwaway AF_INET socket: its MAC (SIOCSIFHWADDR), bring up (SIOCSIFFLAGS), join a bridge (SIOCBRADDIF). */
final class InterfaceControl {
    private InterfaceControl() { }

    /** Sets IFF_UP on interface name. */
    static void up(String name) throws IOException {
        int s = socket();
        try {
            Memory ifr = ifreq(name);
            if (ioctl(s, SIOCGIFFLAGS, Pointer.nativeValue(ifr)) < 0) throw new IOException("interface " + name + ": SIOCGIFFLAGS: " + lastError());
            ifr.setShort(IFREQ_UNION, (short) (ifr.getShort(IFREQ_UNION) | IFF_UP));
            if (ioctl(s, SIOCSIFFLAGS, Pointer.nativeValue(ifr)) < 0) throw new IOException("cannot bring interface " + name + " up: " + lastError());
        } finally {
            NetLibC.close(s);
        }
    }

    /** Sets interface name's own hardware address (SIOCSIFHWADDR). */
    static void setMac(String name, byte[] mac) throws IOException {
        int s = socket();
        try {
            Memory ifr = ifreq(name);
            ifr.setShort(IFREQ_UNION, ARPHRD_ETHER);
            ifr.write(IFREQ_UNION + 2, mac, 0, 6);
            if (ioctl(s, SIOCSIFHWADDR, Pointer.nativeValue(ifr)) < 0) throw new IOException("cannot set the MAC address of " + name + ": " + lastError());
        } finally {
            NetLibC.close(s);
        }
    }

    /** Enslaves interface port to Linux bridge (brctl addif bridge port). */
    static void addToBridge(String bridge, String port) throws IOException {
        int s = socket();
        try {
            Memory ifr = ifreq(port);
            if (ioctl(s, SIOCGIFINDEX, Pointer.nativeValue(ifr)) < 0) throw new IOException("interface " + port + ": SIOCGIFINDEX: " + lastError());
            int index = ifr.getInt(IFREQ_UNION);
            Memory br = ifreq(bridge);
            br.setInt(IFREQ_UNION, index);
            if (ioctl(s, SIOCBRADDIF, Pointer.nativeValue(br)) < 0) {
                throw new IOException("cannot add tap " + port + " to bridge " + bridge + ": " + lastError());
            }
        } finally {
            NetLibC.close(s);
        }
    }

    private static Memory ifreq(String name) {
        Memory ifr = new Memory(IFREQ_SIZE);
        ifr.clear();
        TapBackend.putName(ifr, name);
        return ifr;
    }

    private static int socket() throws IOException {
        int s = NetLibC.socket(AF_INET, SOCK_DGRAM, 0);
        if (s < 0) throw new IOException("socket: " + lastError());
        return s;
    }
}
