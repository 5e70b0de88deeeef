package org.jvirt.driver.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;

/**
 * One interface of a running domain with its addresses (virDomainInterface), shaped as
 * libvirt-java's: name, hwAddr and addrs. Each address also keeps libvirt's text of it
 * ({@link InterfaceAddress#text}), which virsh prints, and its type (0 IPv4, 1 IPv6).
 */
public class DomainInterface {

    public static final int IP_ADDR_TYPE_IPV4 = 0;
    public static final int IP_ADDR_TYPE_IPV6 = 1;

    /** One address with its prefix length (virDomainIPAddress). */
    public static class InterfaceAddress {
        public final InetAddress address;
        public final int prefixLength;
        /** The address as the driver wrote it (virsh prints this one). */
        public final String text;
        public final int type;

        public InterfaceAddress(InetAddress addr, int prefixLength) {
            this.address = addr;
            this.prefixLength = prefixLength;
            this.text = addr.getHostAddress();
            this.type = addr.getAddress().length == 4 ? IP_ADDR_TYPE_IPV4 : IP_ADDR_TYPE_IPV6;
        }

        /** From libvirt's three fields; the text must be an IP literal (no name lookup is made). */
        public InterfaceAddress(int type, String text, int prefixLength) {
            if (type != IP_ADDR_TYPE_IPV4 && type != IP_ADDR_TYPE_IPV6) {
                throw new IllegalArgumentException("Unsupported address type " + type);
            }
            if (text == null || !text.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?")) {
                throw new IllegalArgumentException("Invalid IP address '" + text + "'");
            }
            try {
                this.address = InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("Invalid IP address '" + text + "'");
            }
            this.type = type;
            this.text = text;
            this.prefixLength = prefixLength;
        }
    }

    public String name;
    public String hwAddr;
    public Collection<InterfaceAddress> addrs;

    public DomainInterface() {
        addrs = List.of();
    }

    public DomainInterface(String name, String hwAddr, Collection<InterfaceAddress> addrs) {
        this.name = name;
        this.hwAddr = hwAddr;
        this.addrs = List.copyOf(addrs);
    }
}
