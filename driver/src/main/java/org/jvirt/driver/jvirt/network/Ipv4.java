package org.jvirt.driver.jvirt.network;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/** An IPv4 address as an int, with the subnet arithmetic the network driver needs. */
record Ipv4(int bits) {

    static Ipv4 parse(String text) throws LibvirtException {
        Ipv4 a = parseOrNull(text);
        if (a == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                    "Failed to parse IPv4 address '" + text + "'");
        }
        return a;
    }

    /** Dotted quad, or null when text is not one (an IPv6 address among them). */
    static Ipv4 parseOrNull(String text) {
        if (text == null) return null;
        String[] p = text.trim().split("\\.", -1);
        if (p.length != 4) return null;
        int v = 0;
        for (String s : p) {
            if (!s.matches("[0-9]{1,3}")) return null;
            int b = Integer.parseInt(s);
            if (b > 255) return null;
            v = (v << 8) | b;
        }
        return new Ipv4(v);
    }

    static int prefixOf(Ipv4 netmask) {
        return Integer.bitCount(netmask.bits);
    }

    static Ipv4 netmask(int prefix) {
        return new Ipv4(prefix == 0 ? 0 : -1 << (32 - prefix));
    }

    Ipv4 network(int prefix) { return new Ipv4(bits & netmask(prefix).bits); }

    Ipv4 broadcast(int prefix) { return new Ipv4(bits | ~netmask(prefix).bits); }

    boolean inSubnet(Ipv4 other, int prefix) { return network(prefix).equals(other.network(prefix)); }

    long unsigned() { return bits & 0xffffffffL; }

    @Override
    public String toString() {
        return ((bits >>> 24) & 255) + "." + ((bits >>> 16) & 255) + "." + ((bits >>> 8) & 255) + "." + (bits & 255);
    }
}
