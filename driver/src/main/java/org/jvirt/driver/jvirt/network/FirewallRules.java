package org.jvirt.driver.jvirt.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.objxml.NetworkDef;

/**
 * libvirt 9.0's iptables rules for a network (src/network/bridge_driver_linux.c and
 * util/viriptables.c), in its private chains: filter LIBVIRT_INP, LIBVIRT_OUT, LIBVIRT_FWX,
 * LIBVIRT_FWI, LIBVIRT_FWO, nat and mangle LIBVIRT_PRT, made (with their jumps from the built-in
 * chains) when missing. A network's rules go at the top of each chain, in the order
 * {@code iptables-save} shows them under the real libvirtd; destroy deletes exactly those.
 * IPv6 (ip6tables) is not done yet, nor a {@code <forward dev>}.
 */
final class FirewallRules {

    private FirewallRules() { }

    /** One rule: the table, the chain and the match and target arguments. */
    record Rule(String table, String chain, List<String> spec) { }

    static List<Rule> forNetwork(NetworkDef def, List<IpDef> ips) {
        List<Rule> r = new ArrayList<>();
        String br = def.bridgeName();
        String mode = def.forwardMode();
        // an open network gets no rules at all (VIR_NETWORK_FORWARD_OPEN)
        if (!def.managedBridge() || br == null || mode.equals("open")) return r;
        // networkAddGeneralIPv4FirewallRules: DNS and DHCP to the host, and the bridge's own traffic
        for (String proto : List.of("udp", "tcp")) r.add(rule("filter", "LIBVIRT_INP", "-i", br, "-p", proto, "-m", proto, "--dport", "53", "-j", "ACCEPT"));
        for (String proto : List.of("udp", "tcp")) r.add(rule("filter", "LIBVIRT_INP", "-i", br, "-p", proto, "-m", proto, "--dport", "67", "-j", "ACCEPT"));
        for (String proto : List.of("udp", "tcp")) r.add(rule("filter", "LIBVIRT_OUT", "-o", br, "-p", proto, "-m", proto, "--dport", "53", "-j", "ACCEPT"));
        for (String proto : List.of("udp", "tcp")) r.add(rule("filter", "LIBVIRT_OUT", "-o", br, "-p", proto, "-m", proto, "--dport", "68", "-j", "ACCEPT"));
        r.add(rule("filter", "LIBVIRT_FWX", "-i", br, "-o", br, "-j", "ACCEPT"));
        for (IpDef ip : ips) {
            if (mode.equals("nat")) {
                r.add(rule("filter", "LIBVIRT_FWO", "-s", ip.subnet(), "-i", br, "-j", "ACCEPT"));
                r.add(rule("filter", "LIBVIRT_FWI", "-d", ip.subnet(), "-o", br, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"));
                String net = ip.subnet();
                r.add(rule("nat", "LIBVIRT_PRT", "-s", net, "-d", "224.0.0.0/24", "-j", "RETURN"));
                r.add(rule("nat", "LIBVIRT_PRT", "-s", net, "-d", "255.255.255.255/32", "-j", "RETURN"));
                r.add(rule("nat", "LIBVIRT_PRT", "-s", net, "!", "-d", net, "-p", "tcp", "-j", "MASQUERADE", "--to-ports", "1024-65535"));
                r.add(rule("nat", "LIBVIRT_PRT", "-s", net, "!", "-d", net, "-p", "udp", "-j", "MASQUERADE", "--to-ports", "1024-65535"));
                r.add(rule("nat", "LIBVIRT_PRT", "-s", net, "!", "-d", net, "-j", "MASQUERADE"));
            } else if (mode.equals("route")) {
                r.add(rule("filter", "LIBVIRT_FWO", "-s", ip.subnet(), "-i", br, "-j", "ACCEPT"));
                r.add(rule("filter", "LIBVIRT_FWI", "-d", ip.subnet(), "-o", br, "-j", "ACCEPT"));
            }
        }
        // what no rule above accepts is refused (networkAddGeneralIPv4FirewallRules' rejects)
        r.add(rule("filter", "LIBVIRT_FWO", "-i", br, "-j", "REJECT", "--reject-with", "icmp-port-unreachable"));
        r.add(rule("filter", "LIBVIRT_FWI", "-o", br, "-j", "REJECT", "--reject-with", "icmp-port-unreachable"));
        if (DnsmasqConf.dhcpIp(ips) != null) {
            r.add(rule("mangle", "LIBVIRT_PRT", "-o", br, "-p", "udp", "-m", "udp", "--dport", "68", "-j", "CHECKSUM", "--checksum-fill"));
        }
        return r;
    }

    private static Rule rule(String table, String chain, String... spec) {
        return new Rule(table, chain, List.of(spec));
    }

    /** Adds the rules, this network's block at the top of each chain in the order given. */
    static void add(List<Rule> rules) throws LibvirtException {
        if (rules.isEmpty()) return;
        ensureChains();
        Map<String, Integer> position = new HashMap<>();
        List<Rule> added = new ArrayList<>();
        try {
            for (Rule r : rules) {
                int at = position.merge(r.table() + " " + r.chain(), 1, Integer::sum);
                List<String> cmd = new ArrayList<>(List.of(iptables(), "-w", "-t", r.table(), "-I", r.chain(), Integer.toString(at)));
                cmd.addAll(r.spec());
                HostCommand.run(cmd);
                added.add(r);
            }
        } catch (LibvirtException e) {
            remove(added);
            throw e;
        }
    }

    /** Deletes the rules; one already gone is passed over. */
    static void remove(List<Rule> rules) {
        for (Rule r : rules) {
            List<String> cmd = new ArrayList<>(List.of(iptables(), "-w", "-t", r.table(), "-D", r.chain()));
            cmd.addAll(r.spec());
            try {
                HostCommand.probe(cmd);
            } catch (LibvirtException e) {
                // nothing to remove
            }
        }
    }

    /** iptablesSetupPrivateChains: the private chains and the jumps to them, when missing. */
    private static void ensureChains() throws LibvirtException {
        record Chain(String table, String parent, String name) { }
        // in the order the jumps end up at the top of their parents (each inserted before the previous)
        List<Chain> chains = List.of(new Chain("filter", "INPUT", "LIBVIRT_INP"), new Chain("filter", "OUTPUT", "LIBVIRT_OUT"),
                new Chain("filter", "FORWARD", "LIBVIRT_FWO"), new Chain("filter", "FORWARD", "LIBVIRT_FWI"),
                new Chain("filter", "FORWARD", "LIBVIRT_FWX"), new Chain("nat", "POSTROUTING", "LIBVIRT_PRT"),
                new Chain("mangle", "POSTROUTING", "LIBVIRT_PRT"));
        for (Chain c : chains) {
            if (HostCommand.probe(List.of(iptables(), "-w", "-t", c.table(), "-n", "-L", c.name())).exit() == 0) continue;
            HostCommand.run(List.of(iptables(), "-w", "-t", c.table(), "-N", c.name()));
            HostCommand.run(List.of(iptables(), "-w", "-t", c.table(), "-I", c.parent(), "1", "-j", c.name()));
        }
    }

    private static String iptables() {
        return HostCommand.tool("iptables");
    }

    /** net.ipv4.ip_forward=1 in this namespace, for NAT and routed networks (networkEnableIPForwarding). */
    static void enableForwarding() throws LibvirtException {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_forward"), "1\n");
        } catch (java.io.IOException e) {
            throw new LibvirtException(org.jvirt.driver.api.Error.ErrorNumber.VIR_ERR_SYSTEM_ERROR,
                    org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_NETWORK, "cannot enable /proc/sys/net/ipv4/ip_forward: " + e.getMessage());
        }
    }
}
