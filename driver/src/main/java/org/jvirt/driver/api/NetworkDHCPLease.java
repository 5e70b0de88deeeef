package org.jvirt.driver.api;

/**
 * One DHCP lease of a virtual network (virNetworkDHCPLease): expiry in seconds since the
 * epoch, type 0 for IPv4 and 1 for IPv6, and the client's identity (hostname, clientid may be null).
 */
public record NetworkDHCPLease(String iface, long expiryTime, int type, String mac, String iaid, String ipaddr,
                               int prefix, String hostname, String clientid) { }
