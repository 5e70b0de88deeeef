package org.jvirt.driver.jvirt.network;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllNetworks;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.NetworkDHCPLease;
import org.jvirt.driver.jvirt.JvirtPaths;
import org.jvirt.driver.jvirt.storage.UriLock;
import org.jvirt.driver.objxml.NetworkDef;
import org.jvirt.driver.objxml.SchemaCheck;
import org.jvirt.driver.objxml.Uuids;
import org.jvirt.driver.spi.CheckFlags;
import org.jvirt.driver.spi.NetworkDriver;
import org.jvirt.driver.spi.NetworkRef;

/**
 * libvirt's network driver (src/network/bridge_driver.c) for a jvirt URI. The files are the
 * truth ({@link NetworkStore}: configs, autostart links, status files of active networks), so
 * every client of the URI in any process sees the same networks and a client that exits takes
 * nothing down: an active network is its bridge, its daemonized dnsmasq and its iptables rules,
 * in the network namespace of the process that started it. Changes hold the URI's lock.
 */
public final class JvirtNetworks implements NetworkDriver {

    /** VIR_NETWORK_UPDATE_SECTION_IP_DHCP_HOST and the names virsh gives the sections (for messages). */
    static final int SECTION_IP_DHCP_HOST = 4;
    private static final List<String> SECTIONS = List.of("none", "bridge", "domain", "ip", "ip-dhcp-host", "ip-dhcp-range",
            "forward", "forward-interface", "forward-pf", "portgroup", "dns-host", "dns-txt", "dns-srv");
    private static final int UPDATE_LIVE = 1, UPDATE_CONFIG = 2;

    private final NetworkStore store;
    private final NetworkPaths paths;
    private final Supplier<UUID> uuids;
    private final UriLock lock;
    /** Whether a host interface has this name (a stand-in in tests). */
    private final Predicate<String> interfaceExists;

    public JvirtNetworks(JvirtPaths paths, Supplier<UUID> uuids, UriLock lock) {
        this.paths = NetworkPaths.of(paths);
        this.store = new NetworkStore(this.paths);
        this.uuids = uuids;
        this.lock = lock;
        this.interfaceExists = BridgeDevice::exists;
    }

    private static LibvirtException invalid(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_INVALID, ErrorDomain.VIR_FROM_NETWORK, message);
    }

    private StoredNetwork find(NetworkRef ref) throws LibvirtException {
        StoredNetwork n = store.load(ref.name());
        if (n == null || !n.def().uuid().equals(ref.uuid())) {
            throw NetworkStore.noNetwork("no network with matching uuid '" + ref.uuid() + "' (" + ref.name() + ")");
        }
        return n;
    }

    // ---------------------------------------------------------------- lists and lookups

    @Override
    public List<NetworkRef> listAll(int flags) throws LibvirtException {
        CheckFlags.check(flags, 0x3f, "virConnectListAllNetworks");
        List<NetworkRef> out = new ArrayList<>();
        for (StoredNetwork n : store.all()) if (matches(n, flags)) out.add(n.ref());
        return out;
    }

    /** virNetworkObjMatch: each pair of filter bits, when either is set, must hold. */
    private static boolean matches(StoredNetwork n, int f) {
        if ((f & (ListAllNetworks.ACTIVE | ListAllNetworks.INACTIVE)) != 0
                && !((n.active() && (f & ListAllNetworks.ACTIVE) != 0) || (!n.active() && (f & ListAllNetworks.INACTIVE) != 0))) return false;
        if ((f & (ListAllNetworks.PERSISTENT | ListAllNetworks.TRANSIENT)) != 0
                && !((n.persistent() && (f & ListAllNetworks.PERSISTENT) != 0) || (!n.persistent() && (f & ListAllNetworks.TRANSIENT) != 0))) return false;
        return (f & (ListAllNetworks.AUTOSTART | ListAllNetworks.NO_AUTOSTART)) == 0
                || (n.autostart() && (f & ListAllNetworks.AUTOSTART) != 0) || (!n.autostart() && (f & ListAllNetworks.NO_AUTOSTART) != 0);
    }

    @Override
    public int numOfNetworks() throws LibvirtException {
        return (int) store.all().stream().filter(StoredNetwork::active).count();
    }

    @Override
    public int numOfDefinedNetworks() throws LibvirtException {
        return (int) store.all().stream().filter(n -> !n.active()).count();
    }

    @Override
    public NetworkRef lookupByName(String name) throws LibvirtException {
        return store.byName(name).ref();
    }

    @Override
    public NetworkRef lookupByUUID(String uuid) throws LibvirtException {
        String canonical = Uuids.canonical(uuid);
        StoredNetwork n = canonical == null ? null : store.byUuid(canonical);
        if (n == null) throw NetworkStore.noNetwork("no network with matching uuid '" + uuid + "'");
        return n.ref();
    }

    // ---------------------------------------------------------------- define, create, start, stop

    /**
     * virNetworkObjListAssignDef's checks: a uuid taken by another name, or a name taken by
     * another uuid, is refused; the same name and uuid is that network. Returns it, or null.
     */
    private StoredNetwork existing(NetworkDef def) throws LibvirtException {
        List<StoredNetwork> all = store.all();
        for (StoredNetwork n : all) {
            if (n.def().uuid().equals(def.uuid())) {
                if (!n.name().equals(def.name())) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_NETWORK,
                            "network '" + n.name() + "' is already defined with uuid " + n.def().uuid());
                }
                return n;
            }
        }
        for (StoredNetwork n : all) {
            if (n.name().equals(def.name())) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_NETWORK,
                        "network '" + n.name() + "' already exists with uuid " + n.def().uuid());
            }
        }
        return null;
    }

    /** Parses (validating against network.rng when flags ask) and fills in the defaults. */
    private NetworkDef accept(String xml, int flags, String function) throws LibvirtException {
        CheckFlags.check(flags, 1, function);
        if ((flags & 1) != 0) SchemaCheck.validate(xml, "network.rng");
        NetworkDef def = NetworkDef.parse(xml, uuids);
        List<NetworkDef> others = new ArrayList<>();
        for (StoredNetwork n : store.all()) {
            others.add(n.def());
            if (n.config() != null) others.add(n.config());
        }
        existing(def);
        return NetworkDefaults.apply(def, others, interfaceExists);
    }

    @Override
    public NetworkRef defineXML(String xml, int flags) throws LibvirtException {
        try (UriLock.Held h = lock.acquire()) {
            NetworkDef def = accept(xml, flags, "networkDefineXMLFlags");
            // a running network keeps its live definition; the new one applies at its next start
            store.writeConfig(def);
            return new NetworkRef(def.name(), def.uuid());
        }
    }

    @Override
    public NetworkRef createXML(String xml, int flags) throws LibvirtException {
        try (UriLock.Held h = lock.acquire()) {
            NetworkDef def = accept(xml, flags, "networkCreateXMLFlags");
            StoredNetwork old = existing(def);
            if (old != null && old.active()) throw invalid("network is already active as '" + old.name() + "'");
            start(def);
            return new NetworkRef(def.name(), def.uuid());
        }
    }

    @Override
    public void create(NetworkRef ref) throws LibvirtException {
        try (UriLock.Held h = lock.acquire()) {
            StoredNetwork n = find(ref);
            if (n.active()) throw invalid("network is already active");
            start(n.config());
        }
    }

    /** networkStartNetwork: by forward mode, then the status file that makes it active. */
    private void start(NetworkDef config) throws LibvirtException {
        NetworkDef live = NetworkDefaults.live(config);
        java.nio.file.Path marker = paths.startMarker(live.name());
        if (java.nio.file.Files.exists(marker)) {
            // a client was killed while it started this network: undo what it may have made
            String half = readQuietly(marker);
            try {
                NetworkDef made = half == null ? live : NetworkDef.parse(half, uuids);
                if (made.managedBridge()) stopVirtual(made);
            } catch (LibvirtException e) {
                System.err.println("jvirt: network '" + live.name() + "': cleaning up a killed start: " + e.getMessage());
            }
        }
        NetworkStore.write(marker, live.format());
        if (live.managedBridge()) startVirtual(live);
        // forward mode bridge (and the other modes on host devices): nothing to make, as libvirt's
        // networkStartNetworkExternal for an existing host bridge
        store.writeState(live);
        NetworkStore.delete(marker);
    }

    private static String readQuietly(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** networkStartNetworkVirtual: bridge with the addresses, forwarding, firewall rules, dnsmasq. */
    private void startVirtual(NetworkDef def) throws LibvirtException {
        List<IpDef> ips = IpDef.of(def);
        try {
            BridgeDevice.create(def.bridgeName(), NetworkDefaults.mac(def), ips);
        } catch (LibvirtException e) {
            // nothing of ours was made (an interface of that name may be another's: never undo it)
            NetworkStore.delete(paths.startMarker(def.name()));
            throw e;
        }
        List<FirewallRules.Rule> rules = FirewallRules.forNetwork(def, ips);
        try {
            FirewallRules.add(rules);
            if (!ips.isEmpty() && (def.forwardMode().equals("nat") || def.forwardMode().equals("route"))) {
                FirewallRules.enableForwarding();
            }
            // networkStartDhcpDaemon: dnsmasq when there is DHCP or DNS to serve on an address
            if (!ips.isEmpty() && (DnsmasqConf.wantDns(def) || DnsmasqConf.dhcpIp(ips) != null)) Dnsmasq.start(def, ips, paths);
        } catch (LibvirtException e) {
            Dnsmasq.stop(def.name(), paths);
            FirewallRules.remove(rules);
            BridgeDevice.remove(def.bridgeName());
            NetworkStore.delete(paths.startMarker(def.name()));
            throw e;
        }
    }

    /** networkShutdownNetworkVirtual: dnsmasq, the rules and the bridge go. */
    private void stopVirtual(NetworkDef def) throws LibvirtException {
        Dnsmasq.stop(def.name(), paths);
        FirewallRules.remove(FirewallRules.forNetwork(def, IpDef.of(def)));
        BridgeDevice.remove(def.bridgeName());
    }

    @Override
    public void destroy(NetworkRef ref) throws LibvirtException {
        try (UriLock.Held h = lock.acquire()) {
            StoredNetwork n = find(ref);
            if (!n.active()) throw invalid("network '" + n.name() + "' is not active");
            if (n.def().managedBridge()) stopVirtual(n.def());
            store.deleteState(n.name());
            if (!n.persistent()) Dnsmasq.deleteFiles(n.name(), paths);
        }
    }

    @Override
    public void undefine(NetworkRef ref) throws LibvirtException {
        try (UriLock.Held h = lock.acquire()) {
            StoredNetwork n = find(ref);
            if (!n.persistent()) throw invalid("can't undefine transient network");
            store.deleteConfig(n.name());
            // an active network goes on, transient, until destroyed
            if (!n.active()) Dnsmasq.deleteFiles(n.name(), paths);
        }
    }

    // ---------------------------------------------------------------- queries and settings

    @Override
    public String getXMLDesc(NetworkRef ref, int flags) throws LibvirtException {
        CheckFlags.check(flags, 1, "networkGetXMLDesc");
        StoredNetwork n = find(ref);
        NetworkDef def = (flags & 1) != 0 && n.config() != null ? n.config() : n.def();
        return def.format();
    }

    @Override
    public String getBridgeName(NetworkRef ref) throws LibvirtException {
        StoredNetwork n = find(ref);
        if (n.def().bridgeName() == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_NETWORK,
                    "network '" + n.name() + "' does not have a bridge name.");
        }
        return n.def().bridgeName();
    }

    @Override public boolean getAutostart(NetworkRef ref) throws LibvirtException { return find(ref).autostart(); }

    @Override
    public void setAutostart(NetworkRef ref, boolean on) throws LibvirtException {
        try (UriLock.Held h = lock.acquire()) {
            StoredNetwork n = find(ref);
            if (!n.persistent()) {
                throw invalid("cannot set autostart for transient network");
            }
            store.setAutostart(n.name(), on);
        }
    }

    @Override public boolean isActive(NetworkRef ref) throws LibvirtException { return find(ref).active(); }

    @Override public boolean isPersistent(NetworkRef ref) throws LibvirtException { return find(ref).persistent(); }

    @Override
    public List<NetworkDHCPLease> getDHCPLeases(NetworkRef ref, String mac, int flags) throws LibvirtException {
        CheckFlags.check(flags, 0, "networkGetDHCPLeases");
        StoredNetwork n = find(ref);
        return DhcpLeases.read(n.def(), IpDef.of(n.def()), paths, mac, System.currentTimeMillis() / 1000);
    }

    @Override
    public void update(NetworkRef ref, int command, int section, int parentIndex, String xml, int flags) throws LibvirtException {
        CheckFlags.check(flags, UPDATE_LIVE | UPDATE_CONFIG, "networkUpdate");
        try (UriLock.Held h = lock.acquire()) {
            StoredNetwork n = find(ref);
            if (section != SECTION_IP_DHCP_HOST) {
                String what = section >= 0 && section < SECTIONS.size() ? SECTIONS.get(section) : Integer.toString(section);
                throw new LibvirtException(ErrorNumber.VIR_ERR_NO_SUPPORT, ErrorDomain.VIR_FROM_NETWORK,
                        "can't update '" + what + "' section of network '" + n.name() + "': not supported by jvirt yet");
            }
            if ((flags & (UPDATE_LIVE | UPDATE_CONFIG)) == 0) flags |= n.active() ? UPDATE_LIVE : UPDATE_CONFIG;
            if ((flags & UPDATE_LIVE) != 0 && !n.active()) throw invalid("network is not running");
            if ((flags & UPDATE_CONFIG) != 0 && !n.persistent()) throw invalid("cannot change persistent config of a transient network");
            NetworkDef live = (flags & UPDATE_LIVE) != 0 ? DhcpHostUpdate.apply(n.def(), command, parentIndex, xml) : null;
            NetworkDef config = (flags & UPDATE_CONFIG) != 0 ? DhcpHostUpdate.apply(n.config(), command, parentIndex, xml) : null;
            if (config != null) store.writeConfig(config);
            if (live != null) {
                store.writeState(live);
                if (Dnsmasq.running(live.name(), paths).isPresent()) Dnsmasq.refresh(live, IpDef.of(live), paths);
            }
        }
    }

    // ---------------------------------------------------------------- for the rest of the driver

    /**
     * The bridge a domain's {@code <interface type='network'>} joins: the network's bridge while
     * it is active, or libvirt's error for a missing network ("Network not found: no network with
     * matching name 'x'") or an inactive one ("network 'x' is not active").
     */
    public String bridgeForInterface(String network) throws LibvirtException {
        StoredNetwork n = store.byName(network);
        if (!n.active()) throw invalid("network '" + n.name() + "' is not active");
        return getBridgeName(n.ref());
    }

    /**
     * The address a {@code <graphics><listen type='network'>} listens on: the network's first
     * IPv4 address, as libvirt's networkGetNetworkAddress gives it for a virtual network.
     */
    public String listenAddress(String network) throws LibvirtException {
        StoredNetwork n = store.byName(network);
        if (!n.active()) throw invalid("network '" + n.name() + "' is not active");
        for (IpDef ip : IpDef.of(n.def())) return ip.address().toString();
        throw new LibvirtException(org.jvirt.driver.api.Error.ErrorNumber.VIR_ERR_INTERNAL_ERROR,
                org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_NETWORK, "network '" + n.name() + "' doesn't have an IPv4 address");
    }

    /**
     * After a host boot: no network is active any more (stale status files of a run directory
     * that outlived the boot are dropped), then the autostart networks start, as libvirtd's
     * network driver does when it starts. Failures are reported on stderr and passed over.
     */
    public void autostartAfterBoot() throws LibvirtException {
        List<String> names = new ArrayList<>();
        try (UriLock.Held h = lock.acquire()) {
            for (StoredNetwork n : store.all()) {
                if (n.active()) {
                    // after a real boot there is nothing left of it; a run directory kept across
                    // boots (an embed root) may still name a dnsmasq, and a host that kept its
                    // namespace its bridge and rules: all go, so that it can start again
                    try {
                        if (n.def().managedBridge()) stopVirtual(n.def());
                    } catch (LibvirtException e) {
                        System.err.println("jvirt: network '" + n.name() + "': " + e.getMessage());
                    }
                    Dnsmasq.stop(n.name(), paths);
                    store.deleteState(n.name());
                    if (!n.persistent()) Dnsmasq.deleteFiles(n.name(), paths);
                }
                if (n.persistent() && n.autostart()) names.add(n.name());
            }
        }
        for (String name : names) {
            try (UriLock.Held h = lock.acquire()) {
                StoredNetwork n = store.load(name);
                if (n != null && n.persistent() && !n.active()) start(n.config());
            } catch (LibvirtException e) {
                System.err.println("jvirt: autostart of network '" + name + "' failed: " + e.getMessage());
            }
        }
    }

    /**
     * jvirt:///system's first open: the {@code default} network of Debian's
     * libvirt-daemon-config-network (192.168.122.0/24, NAT, virbr0), defined and marked autostart,
     * once: only when the URI has no networks directory yet.
     */
    public void defineDefaultOnce() throws LibvirtException {
        if (java.nio.file.Files.exists(paths.configDir())) return;
        try (UriLock.Held h = lock.acquire()) {
            if (java.nio.file.Files.exists(paths.configDir())) return;
            NetworkDef def = accept(DEFAULT_XML, 0, "networkDefineXMLFlags");
            store.writeConfig(def);
            store.setAutostart(def.name(), true);
        }
    }

    /** libvirt's src/network/default.xml.in, as Debian installs it to /etc/libvirt/qemu/networks/default.xml. */
    static final String DEFAULT_XML = "<network>\n  <name>default</name>\n  <bridge name='virbr0'/>\n  <forward/>\n"
            + "  <ip address='192.168.122.1' netmask='255.255.255.0'>\n    <dhcp>\n"
            + "      <range start='192.168.122.2' end='192.168.122.254'/>\n    </dhcp>\n  </ip>\n</network>\n";
}
