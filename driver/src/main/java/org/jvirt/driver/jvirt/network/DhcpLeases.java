package org.jvirt.driver.jvirt.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NetworkDHCPLease;
import org.jvirt.driver.objxml.NetworkDef;

/**
 * A network's DHCP leases (networkGetDHCPLeases), read from dnsmasq's lease file: one line per
 * lease, "EXPIRY MAC IP HOSTNAME CLIENTID", '*' for an unknown hostname or client id. As
 * libvirt: expired leases are left out, the interface is the bridge, the prefix that of the
 * network's address whose subnet holds the lease; a MAC filter compares without case.
 */
final class DhcpLeases {

    private DhcpLeases() { }

    static List<NetworkDHCPLease> read(NetworkDef def, List<IpDef> ips, NetworkPaths paths, String mac, long now)
            throws LibvirtException {
        List<NetworkDHCPLease> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(paths.leases(def.name()));
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw NetworkStore.io(e);
        }
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || f[0].equals("duid")) continue;
            long expiry;
            try {
                expiry = Long.parseLong(f[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            // 0 is a lease that never expires
            if (expiry != 0 && expiry < now) continue;
            if (mac != null && !mac.equalsIgnoreCase(f[1])) continue;
            Ipv4 addr = Ipv4.parseOrNull(f[2]);
            if (addr == null) continue;
            int prefix = 0;
            for (IpDef ip : ips) if (ip.address().inSubnet(addr, ip.prefix())) prefix = ip.prefix();
            String hostname = f[3].equals("*") ? null : f[3];
            String clientId = f.length < 5 || f[4].equals("*") ? null : f[4];
            out.add(new NetworkDHCPLease(def.bridgeName(), expiry, 0, f[1], null, f[2], prefix, hostname, clientId));
        }
        return out;
    }
}
