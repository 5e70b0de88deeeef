package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * query-vnc's answer, as QMP's VncInfo: whether a VNC server runs, where it listens (host and
 * service, the port as a string; family ipv4, ipv6 or unix; for a unix socket host is its path),
 * its auth ("none" or "vnc") and the connected clients.
 */
@JsonPropertyOrder({"enabled", "host", "family", "service", "auth", "clients"})
public record VncInfo(boolean enabled, String host, String family, String service, String auth, List<Client> clients) {

    public VncInfo {
        clients = clients == null ? List.of() : List.copyOf(clients);
    }

    /** One connected client: its address as QMP's VncClientInfo gives it. */
    @JsonPropertyOrder({"host", "family", "service"})
    public record Client(String host, String family, String service) {
    }
}
