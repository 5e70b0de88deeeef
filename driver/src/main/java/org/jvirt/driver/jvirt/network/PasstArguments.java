package org.jvirt.driver.jvirt.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.devices.Interface;
import org.w3c.dom.Element;

/**
 * passt's command line for an {@code <interface type='user'>} (with or without
 * {@code <backend type='passt'/>}), option for option and in the order libvirt 9.0.0's
 * qemuPasstStart (src/qemu/qemu_passt.c) builds it:
 * {@code passt --one-off --socket SOCKET --mac-addr MAC [--mtu N] [--interface DEV]
 * [--log-file FILE] [--address ADDR [--netmask PREFIX]]... [--tcp-ports|--udp-ports SPEC]...}.
 * As in 9.0.0 the interface's MAC goes to --mac-addr (passt's own address towards the guest;
 * libvirt dropped the option in 9.1), a portForward's dev is written only after an address
 * ("ADDR%DEV/"), the netmask only for IPv4, and a range is "[~]START[-END][:TO[-TO+END-START]]",
 * ranges joined by ',' and "all" without any.
 */
public final class PasstArguments {

    private PasstArguments() { }

    /** The arguments after the program name, for a passt listening on socket. */
    public static List<String> of(Interface iface, Path socket) throws LibvirtException {
        List<String> a = new ArrayList<>(List.of("--one-off", "--socket", socket.toString()));
        String mac = iface.getMac() == null ? null : iface.getMac().getAddress();
        if (mac == null) throw internal("interface type='user' has no MAC address");
        a.add("--mac-addr");
        a.add(mac.toLowerCase(java.util.Locale.ROOT)); // virMacAddrFormat: lowercase hex
        if (iface.getMtu() != null && iface.getMtu().getSize() != null) {
            long mtu = unsigned(iface.getMtu().getSize(), "mtu size");
            if (mtu != 0) {
                a.add("--mtu");
                a.add(Long.toString(mtu));
            }
        }
        if (iface.getSource() != null && iface.getSource().getDev() != null) {
            a.add("--interface");
            a.add(iface.getSource().getDev());
        }
        for (Element backend : children(iface, "backend")) {
            String log = backend.getAttribute("logFile");
            if (!log.isEmpty()) {
                a.add("--log-file");
                a.add(log);
            }
        }
        for (Element ip : children(iface, "ip")) {
            InetAddress addr = address(ip.getAttribute("address"), "ip address");
            a.add("--address");
            a.add(format(addr));
            String prefix = ip.getAttribute("prefix");
            if (!prefix.isEmpty() && unsigned(prefix, "ip prefix") != 0 && addr.getAddress().length == 4) {
                a.add("--netmask");
                a.add(Long.toString(unsigned(prefix, "ip prefix")));
            }
        }
        for (Element pf : children(iface, "portForward")) {
            String proto = pf.getAttribute("proto");
            if (proto.equals("tcp")) a.add("--tcp-ports");
            else if (proto.equals("udp")) a.add("--udp-ports");
            else throw internal("Invalid portForward proto value " + proto);
            a.add(portSpec(pf));
        }
        return a;
    }

    /** "[ADDR[%DEV]/](all|RANGE[,RANGE]...)" as 9.0.0 writes a portForward. */
    private static String portSpec(Element pf) throws LibvirtException {
        StringBuilder b = new StringBuilder();
        if (!pf.getAttribute("address").isEmpty()) {
            b.append(format(address(pf.getAttribute("address"), "portForward address")));
            if (!pf.getAttribute("dev").isEmpty()) b.append('%').append(pf.getAttribute("dev"));
            b.append('/');
        }
        List<Element> ranges = childElements(pf, "range");
        if (ranges.isEmpty()) return b.append("all").toString();
        for (int r = 0; r < ranges.size(); r++) {
            Element range = ranges.get(r);
            if (r > 0) b.append(',');
            if ("yes".equals(range.getAttribute("exclude"))) b.append('~');
            long start = port(range, "start"), end = port(range, "end"), to = port(range, "to");
            if (start == 0) throw internal("portForward range has no start port");
            b.append(start);
            if (end != 0) b.append('-').append(end);
            if (to != 0) {
                b.append(':').append(to);
                if (end != 0) b.append('-').append(end + to - start);
            }
        }
        return b.toString();
    }

    private static long port(Element range, String attr) throws LibvirtException {
        String v = range.getAttribute(attr);
        if (v.isEmpty()) return 0;
        long p = unsigned(v, "portForward range " + attr);
        if (p > 65535) throw internal("portForward range " + attr + " '" + v + "' is not a port");
        return p;
    }

    /** The interface's children of that name among those the XML model has no type for (backend, portForward, ip). */
    public static List<Element> children(Interface iface, String name) {
        List<Element> out = new ArrayList<>();
        for (Element e : iface.unknownChildren()) if (name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) out.add(e);
        return out;
    }

    private static List<Element> childElements(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getTagName())) out.add(e);
        }
        return out;
    }

    private static long unsigned(String v, String what) throws LibvirtException {
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0 || n > 0xFFFF_FFFFL) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw internal("invalid " + what + " '" + v + "'");
        }
    }

    /** A numeric IPv4 or IPv6 address (never a host name: nothing is looked up). */
    private static InetAddress address(String v, String what) throws LibvirtException {
        boolean numeric = v.matches("[0-9.]+") || (v.contains(":") && v.matches("[0-9A-Fa-f:.]+"));
        try {
            if (numeric) return InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            // fall through
        }
        throw internal("invalid " + what + " '" + v + "'");
    }

    /** As inet_ntop (virSocketAddrFormat): dotted quad, or RFC 5952's shortest IPv6 form. */
    static String format(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) return a.getHostAddress();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        if (bestLen < 2) bestStart = -1;
        if (bestStart == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xFFFF))) { // IPv4-compatible / -mapped, as glibc prints them
            String v4 = (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF);
            return bestLen == 6 ? "::" + v4 : "::ffff:" + v4;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(w[i]));
        }
        return s.toString();
    }

    static LibvirtException internal(String what) {
        return new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NONE, what);
    }
}
