package org.jvirt.driver.jvirt.network;

import java.util.List;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;

/**
 * The Linux bridge of a network, in the network namespace of this process, made with iproute2's
 * {@code ip} as libvirt makes it over netlink (networkStartNetworkVirtual): STP on, forward
 * delay 0, the network's MAC address, each IPv4 address with its broadcast, then up.
 */
final class BridgeDevice {

    private BridgeDevice() { }

    /**
     * True when this namespace has an interface of that name (virNetDevExists). Read from
     * /proc/self/net/dev, which lists every interface of the reader's network namespace, down or
     * without addresses too (java.net.NetworkInterface misses those).
     */
    static boolean exists(String name) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/net/dev"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(name)) return true;
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** IFNAMSIZ - 1 characters of a kernel interface name, none that ip(8) or iptables could take for an option. */
    static void checkName(String name) throws LibvirtException {
        if (name == null || !name.matches("[A-Za-z0-9_.:+@=][A-Za-z0-9_.:+@=-]{0,14}") || name.equals(".") || name.equals("..")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_NETWORK,
                    "bridge name '" + name + "' is not a usable interface name (at most 15 letters, digits and _.:+@=-, not starting with '-')");
        }
    }

    static void create(String name, String mac, List<IpDef> ips) throws LibvirtException {
        checkName(name);
        if (exists(name)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                    "error creating bridge interface " + name + ": File exists");
        }
        String ip = HostCommand.tool("ip");
        HostCommand.run(List.of(ip, "link", "add", name, "type", "bridge", "forward_delay", "0", "stp_state", "1"));
        try {
            disableIpv6(name);
            if (mac != null) HostCommand.run(List.of(ip, "link", "set", "dev", name, "address", mac));
            for (IpDef d : ips) {
                HostCommand.run(List.of(ip, "addr", "add", d.address() + "/" + d.prefix(), "broadcast",
                        d.address().broadcast(d.prefix()).toString(), "dev", name));
            }
            HostCommand.run(List.of(ip, "link", "set", "dev", name, "up"));
        } catch (LibvirtException e) {
            remove(name);
            throw e;
        }
    }

    /**
     * networkSetIPv6Sysctls for a network without IPv6 addresses (jvirt does not do IPv6 yet):
     * disable_ipv6, so the bridge has no link-local address either, as under libvirt.
     */
    private static void disableIpv6(String name) throws LibvirtException {
        java.nio.file.Path knob = java.nio.file.Path.of("/proc/sys/net/ipv6/conf", name, "disable_ipv6");
        if (!java.nio.file.Files.exists(knob)) return; // a kernel without IPv6
        try {
            java.nio.file.Files.writeString(knob, "1\n");
        } catch (java.io.IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                    "cannot write to '" + knob + "' to disable IPv6 on bridge " + name + ": " + e.getMessage());
        }
    }

    /** Takes the bridge down and deletes it; a bridge already gone is fine. */
    static void remove(String name) throws LibvirtException {
        if (!exists(name)) return;
        String ip = HostCommand.tool("ip");
        HostCommand.probe(List.of(ip, "link", "set", "dev", name, "down"));
        HostCommand.run(List.of(ip, "link", "del", name));
    }
}
