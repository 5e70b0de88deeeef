package org.jvirt.driver.objxml;

import static org.jvirt.driver.objxml.ObjectXml.attr;
import static org.jvirt.driver.objxml.ObjectXml.child;
import static org.jvirt.driver.objxml.ObjectXml.children;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * A virtual network's definition (libvirt's virNetworkDef), read from and written as libvirt's
 * network XML. What jvirt interprets (name, uuid, forward mode, bridge) is checked as
 * virNetworkDefParseXML checks it; the other elements libvirt knows are kept as given and
 * written back in libvirt's order (virNetworkDefFormatBuf); elements it does not know are dropped.
 */
public final class NetworkDef {

    private static final Set<String> FORWARD_MODES =
            Set.of("nat", "route", "open", "bridge", "private", "vepa", "passthrough", "hostdev");
    /** Modes with a bridge libvirt manages, where stp and delay apply ("isolated" = no forward). */
    private static final Set<String> MANAGED_BRIDGE_MODES = Set.of("none", "nat", "route", "open");
    private static final List<String> AFTER_BRIDGE = List.of("mtu", "mac", "domain", "dns", "vlan", "bandwidth");
    private static final List<String> AFTER_IP = List.of("route", "virtualport", "portgroup");

    private final Element root;
    private final String name;
    private final String uuid;
    private final String forwardMode;
    private final String bridgeName;

    private NetworkDef(Element root, String name, String uuid, String forwardMode, String bridgeName) {
        this.root = root;
        this.name = name;
        this.uuid = uuid;
        this.forwardMode = forwardMode;
        this.bridgeName = bridgeName;
    }

    /** Parses and checks network XML; a missing uuid is taken from fresh. */
    public static NetworkDef parse(String xml, Supplier<UUID> fresh) throws LibvirtException {
        return check(ObjectXml.parse(xml, "network", "network_definition"), fresh);
    }

    private static NetworkDef check(Element root, Supplier<UUID> fresh) throws LibvirtException {
        String name = ObjectXml.childText(root, "name");
        if (name == null) throw new LibvirtException(ErrorNumber.VIR_ERR_NO_NAME, ErrorDomain.VIR_FROM_NETWORK, null);
        if (name.contains("/")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_NETWORK, "invalid char in name: /");
        }
        String uuid = ObjectXml.uuid(root, fresh, ErrorNumber.VIR_ERR_INTERNAL_ERROR);
        Element forward = child(root, "forward");
        String mode = "none";
        if (forward != null) {
            mode = attr(forward, "mode") == null ? "nat" : attr(forward, "mode");
            if (!FORWARD_MODES.contains(mode)) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_NETWORK,
                        "unknown forwarding type '" + mode + "'");
            }
        }
        Element bridge = child(root, "bridge");
        if (bridge != null && !MANAGED_BRIDGE_MODES.contains(mode)
                && ((attr(bridge, "stp") != null) || (attr(bridge, "delay") != null) || (attr(bridge, "zone") != null))) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                    "bridge delay/stp/zone options only allowed in route, nat, and isolated mode, not in "
                            + mode + " (network '" + name + "')");
        }
        if (Set.of("nat", "route", "open").contains(mode) && child(root, "ip") == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                    mode + " forwarding requested, but no IP address provided for network '" + name + "'");
        }
        return new NetworkDef(root, name, uuid, mode, bridge == null ? null : attr(bridge, "name"));
    }

    public String name() { return name; }

    /** The forward mode: "none" (isolated, no {@code <forward>}), nat, route, open, bridge, ... */
    public String forwardMode() { return forwardMode; }

    /** True for the modes whose bridge libvirt makes and manages (isolated, nat, route, open). */
    public boolean managedBridge() { return MANAGED_BRIDGE_MODES.contains(forwardMode); }

    /**
     * A copy of this definition changed by edit, which gets the copy's document (mutable) and
     * may add, change or remove elements; the result is checked again as a parse checks it.
     */
    public NetworkDef edited(Edit edit) throws LibvirtException {
        Element copy = ObjectXml.parse(format(), "network", "network_definition");
        edit.apply(copy);
        return check(copy, () -> UUID.fromString(uuid));
    }

    /** A change to a network's document (see {@link #edited}). */
    public interface Edit {
        void apply(Element root) throws LibvirtException;
    }

    /** The document as read (for reading only: change a copy through {@link #edited}). */
    public Element document() { return root; }

    public String uuid() { return uuid; }

    /** The bridge's name, or null when the definition names none. */
    public String bridgeName() { return bridgeName; }

    /** The XML as virNetworkDefFormat writes it. */
    public String format() {
        XmlOut o = new XmlOut();
        StringBuilder head = new StringBuilder("network");
        for (String a : List.of("ipv6", "trustGuestRxFilters")) head.append(XmlOut.attr(a, attr(root, a)));
        o.open(head.toString());
        o.element("name", name);
        o.element("uuid", uuid);
        formatMetadata(o);
        formatForward(o);
        formatBridge(o);
        copyAll(o, AFTER_BRIDGE);
        for (Element ip : children(root)) if (ip.name.equals("ip")) formatIp(o, ip);
        copyAll(o, AFTER_IP);
        o.close("network");
        return o.toString();
    }

    private void copyAll(XmlOut o, List<String> names) {
        for (String n : names) {
            for (Element c : children(root)) if (c.name.equals(n)) o.copy(c);
        }
    }

    /** libvirt keeps the namespaced elements of {@code <metadata>}, written as libxml2 dumps them. */
    private void formatMetadata(XmlOut o) {
        Element m = child(root, "metadata");
        if (m == null) return;
        List<Element> kept = children(m).stream().filter(c -> c.name.contains(":") || attr(c, "xmlns") != null).toList();
        if (kept.isEmpty()) return;
        o.open("metadata");
        for (Element c : kept) o.dump(c);
        o.close("metadata");
    }

    /**
     * virNetworkForwardDefFormat: dev is the first forward interface (the dev attribute makes
     * one when there is no {@code <interface>}), then driver, pf, nat and the interfaces.
     */
    private void formatForward(XmlOut o) {
        Element f = child(root, "forward");
        if (f == null) return;
        List<Element> ifaces = children(f).stream().filter(c -> c.name.equals("interface")).toList();
        String dev = attr(f, "dev");
        if (dev == null && !ifaces.isEmpty()) dev = attr(ifaces.get(0), "dev");
        String head = "forward" + XmlOut.attr("dev", dev) + XmlOut.attr("mode", forwardMode)
                + XmlOut.attr("managed", attr(f, "managed"));
        List<Element> body = new java.util.ArrayList<>();
        for (String n : List.of("driver", "pf", "nat")) {
            for (Element c : children(f)) if (c.name.equals(n)) body.add(c);
        }
        if (body.isEmpty() && ifaces.isEmpty() && dev == null) {
            o.line("<" + head + "/>");
            return;
        }
        o.open(head);
        for (Element c : body) o.copy(c);
        if (ifaces.isEmpty() && dev != null) o.line("<interface dev='" + XmlOut.escape(dev) + "'/>");
        for (Element c : ifaces) o.copy(c);
        o.close("forward");
    }

    private void formatBridge(XmlOut o) {
        Element b = child(root, "bridge");
        boolean managed = MANAGED_BRIDGE_MODES.contains(forwardMode);
        if (!managed && (b == null || !(attr(b, "name") != null))) return;
        StringBuilder line = new StringBuilder("<bridge").append(XmlOut.attr("name", bridgeName));
        if (b != null) {
            line.append(XmlOut.attr("macTableManager", attr(b, "macTableManager"))).append(XmlOut.attr("zone", attr(b, "zone")));
        }
        if (managed) {
            // stp is on unless it says "off"; delay defaults to 0
            boolean stp = b == null || !"off".equals(attr(b, "stp"));
            String delay = b == null || attr(b, "delay") == null ? "0" : attr(b, "delay");
            line.append(" stp='").append(stp ? "on" : "off").append("' delay='").append(delay).append('\'');
        }
        o.line(line.append("/>").toString());
    }

    /** virNetworkIPDefFormat: attributes in its order, and always an open and a close tag. */
    private static void formatIp(XmlOut o, Element ip) {
        StringBuilder head = new StringBuilder("ip");
        for (String a : List.of("family", "address", "netmask", "prefix", "localPtr")) head.append(XmlOut.attr(a, attr(ip, a)));
        o.open(head.toString());
        for (Element c : children(ip)) o.copy(c);
        o.close("ip");
    }
}
