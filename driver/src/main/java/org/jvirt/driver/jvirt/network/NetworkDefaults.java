package org.jvirt.driver.jvirt.network;

import static org.jvirt.driver.objxml.ObjectXml.attr;
import static org.jvirt.driver.objxml.ObjectXml.child;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.objxml.NetworkDef;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * What libvirt's network driver adds to a definition it accepts (networkValidate's
 * networkSetBridgeName and virNetworkSetBridgeMacAddr), for the modes with a bridge of its own:
 * a bridge name (the lowest free virbrN, or the definition's template with %d, skipping names
 * of other networks' bridges and of existing interfaces) and a random 52:54:00 MAC address.
 */
final class NetworkDefaults {

    /** MAX_BRIDGE_ID. */
    private static final int MAX_BRIDGE_ID = 256;

    private NetworkDefaults() { }

    /**
     * def with its defaults; others are the URI's other networks' definitions (the one of the
     * same name is not counted), exists says whether a host interface has that name.
     */
    static NetworkDef apply(NetworkDef def, List<NetworkDef> others, Predicate<String> exists) throws LibvirtException {
        if (!def.managedBridge()) return def;
        String bridge = def.bridgeName();
        String chosen;
        if (bridge != null && !bridge.contains("%d")) {
            if (inUse(bridge, def, others)) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                        "bridge name '" + bridge + "' already in use.");
            }
            chosen = bridge;
        } else {
            String template = bridge == null ? "virbr%d" : bridge;
            chosen = null;
            for (int id = 0; id <= MAX_BRIDGE_ID && chosen == null; id++) {
                String name = template.replace("%d", Integer.toString(id));
                if (!inUse(name, def, others) && !exists.test(name)) chosen = name;
            }
            if (chosen == null) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                        "Bridge generation exceeded max id " + MAX_BRIDGE_ID);
            }
        }
        String name = chosen;
        boolean needMac = child(def.document(), "mac") == null;
        return def.edited(root -> {
            Element b = child(root, "bridge");
            if (b == null) {
                b = new Element("bridge");
                root.children.add(b);
            }
            setAttr(b, "name", name);
            if (needMac) {
                Element m = new Element("mac");
                m.attributes.add(new String[] {"address", randomMac()});
                root.children.add(m);
            }
        });
    }

    private static boolean inUse(String bridge, NetworkDef def, List<NetworkDef> others) {
        for (NetworkDef o : others) if (!o.name().equals(def.name()) && bridge.equals(o.bridgeName())) return true;
        return false;
    }

    /** virMacAddrGenerate with libvirt's 52:54:00 prefix. */
    static String randomMac() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("52:54:00:%02x:%02x:%02x", r.nextInt(256), r.nextInt(256), r.nextInt(256));
    }

    static void setAttr(Element e, String name, String value) {
        for (String[] a : e.attributes) {
            if (a[0].equals(name)) {
                a[1] = value;
                return;
            }
        }
        e.attributes.add(new String[] {name, value});
    }

    /** The live definition at start: a NAT network's {@code <nat><port start='1024' end='65535'/>} as libvirt shows it running. */
    static NetworkDef live(NetworkDef def) throws LibvirtException {
        if (!def.forwardMode().equals("nat")) return def;
        return def.edited(root -> {
            Element f = child(root, "forward");
            Element nat = child(f, "nat");
            if (nat == null) {
                nat = new Element("nat");
                f.children.add(nat);
            }
            if (child(nat, "port") == null) {
                Element port = new Element("port");
                port.attributes.add(new String[] {"start", "1024"});
                port.attributes.add(new String[] {"end", "65535"});
                nat.children.add(port);
            }
        });
    }

    /** The {@code <mac address>} of the bridge, or null. */
    static String mac(NetworkDef def) {
        Element m = child(def.document(), "mac");
        return m == null ? null : attr(m, "address");
    }
}
