package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.UnsupportedConfig.nameOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.jvirt.UnsupportedConfig.Findings;
import org.jvirt.vmm.protocol.launch.LaunchSpec;
import org.jvirt.vmm.protocol.launch.PciAddress;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Interface;
import org.jvirt.xml.domain.devices.InterfaceDriver;
import org.jvirt.xml.domain.devices.InterfaceSource;
import org.jvirt.xml.domain.devices.InterfaceTarget;

/**
 * {@code <interface>} devices against jvirt-vmm's virtio-net on a tap, mapped as libvirt maps
 * them for QEMU: type 'ethernet' (a tap of its own), 'bridge' (a tap enslaved to the named Linux
 * bridge) and 'network' (a tap on the bridge of the named jvirt network, which must be active).
 * The tap is named by {@code <target dev>}, or generated as libvirt does ("vnetN"; a configured
 * name starting with "vnet" is libvirt's own and is generated again); {@code managed='no'} uses
 * a tap that exists already. The started domain's live XML carries the tap's name and, for a
 * network, its bridge, as libvirt's does. Type 'user' is passt's, with or without
 * {@code <backend type='passt'/>} (jvirt has no slirp): jvirt-vmm's virtio-net on passt's socket.
 */
final class NicDevices {

    /** The prefix of the tap names libvirt generates (VIR_NET_GENERATED_VNET_PREFIX). */
    static final String GENERATED_PREFIX = "vnet";

    /** What jvirt-vmm understands of an interface; other children are named in the refusal. */
    private static final Set<String> CHILDREN = Set.of("mac", "source", "target", "model", "driver", "link", "alias", "address");
    private static final Set<String> TYPES = Set.of("ethernet", "bridge", "network", "user");
    /** What passt takes of a user interface besides (PasstArguments). */
    private static final Set<String> USER_CHILDREN = Set.of("backend", "portForward", "ip", "mtu");
    private static final Set<String> MODELS = Set.of("virtio", "virtio-non-transitional");

    /** The bridges of the URI's virtual networks (JvirtNetworks.bridgeForInterface). */
    interface Networks {
        /** The active network's bridge, or libvirt's error for a missing or inactive network. */
        String bridgeFor(String network) throws LibvirtException;
    }

    /** Starts the passt of a user interface (PasstProcess.start) and gives its socket. */
    interface Passt {
        Path start(Interface i, String alias) throws LibvirtException;
    }

    private NicDevices() { }

    /** Adds to f what jvirt-vmm cannot provide of interface i. */
    static void check(Interface i, Findings f) {
        String type = i.getType();
        String mac = i.getMac() == null ? null : i.getMac().getAddress();
        String what = "interface type='" + type + "'";
        if (!TYPES.contains(type)) {
            f.refuse(what + (mac == null ? "" : " (mac " + mac + ")"));
            return;
        }
        if (mac != null) what += " (mac " + mac + ")";
        List<String> why = new ArrayList<>();
        String model = i.getModel() == null ? null : i.getModel().getType();
        if (!MODELS.contains(model)) why.add("model '" + model + "'");
        InterfaceSource src = i.getSource();
        if ("network".equals(type) && (src == null || src.getNetwork() == null)) why.add("no source network");
        if ("bridge".equals(type) && (src == null || src.getBridge() == null)) why.add("no source bridge");
        if (i.getLink() != null && !"up".equals(i.getLink().getState()) && !"down".equals(i.getLink().getState())) {
            why.add("link state '" + i.getLink().getState() + "'");
        }
        InterfaceDriver d = i.getDriver();
        if (d != null) {
            if (d.getQueues() != null && !"1".equals(d.getQueues())) why.add("driver queues='" + d.getQueues() + "'");
            if (d.getName() != null && !"qemu".equals(d.getName()) && !"vhost".equals(d.getName())) why.add("driver name='" + d.getName() + "'");
        }
        boolean user = "user".equals(type);
        if (user) {
            for (org.w3c.dom.Element b : org.jvirt.driver.jvirt.network.PasstArguments.children(i, "backend")) {
                String bt = b.getAttribute("type");
                if (!bt.isEmpty() && !bt.equals("passt") && !bt.equals("default")) why.add("backend type='" + bt + "'");
            }
        }
        for (Object child : i.children(Object.class)) {
            String n = nameOf(child);
            if (!CHILDREN.contains(n) && !(user && USER_CHILDREN.contains(n))) why.add("<" + n + ">");
        }
        if (!why.isEmpty()) {
            String whyText = String.join(", ", why);
            f.refuse(mac == null ? what + " (" + whyText + ")" : what.substring(0, what.length() - 1) + ": " + whyText + ")");
        } else if (d != null && "vhost".equals(d.getName())) {
            f.omit(what + " driver name='vhost'", "no vhost-net: jvirt-vmm moves the frames on its own I/O thread");
        }
    }

    /**
     * The NICs of the domain (checked by {@link #check}), in document order, with their taps
     * named and their bridges found; the live definition's interfaces get {@code <target dev>}
     * and, for networks, {@code <source bridge>}. Names are the lowest "vnetN" free on the host
     * and not taken by another interface of this domain. addresses: each interface's PCI address
     * in document order (VmmCommand.Built#nicAddresses).
     */
    static List<LaunchSpec.Nic> resolve(Devices live, List<PciAddress> addresses, Networks networks, Path sysClassNet) throws LibvirtException {
        return resolve(live, addresses, networks, sysClassNet, (i, alias) -> {
            throw JvirtErrors.internal("no passt for interface " + alias);
        });
    }

    /**
     * As above; a user interface (always passt: jvirt has no slirp) gets its passt started by
     * passt under libvirt's alias netN (N its place among the interfaces) and is a
     * {@code --nic stream} on its socket.
     */
    static List<LaunchSpec.Nic> resolve(Devices live, List<PciAddress> addresses, Networks networks, Path sysClassNet, Passt passt)
            throws LibvirtException {
        List<LaunchSpec.Nic> nics = new ArrayList<>();
        if (live == null) return nics;
        Set<String> taken = new HashSet<>();
        List<Interface> interfaces = live.getInterfaces();
        for (int n = 0; n < interfaces.size(); n++) {
            Interface i = interfaces.get(n);
            if ("user".equals(i.getType())) {
                String mac = i.getMac() == null ? null : i.getMac().getAddress();
                nics.add(LaunchSpec.Nic.stream(passt.start(i, "net" + n), mac).withAddress(addresses.get(n)));
                continue;
            }
            String bridge = switch (i.getType()) {
                case "bridge" -> i.getSource().getBridge();
                case "network" -> {
                    String br = networks.bridgeFor(i.getSource().getNetwork());
                    i.getSource().setBridge(br);
                    yield br;
                }
                default -> null;
            };
            InterfaceTarget target = i.getTarget();
            String dev = target == null ? null : target.getDev();
            boolean unmanaged = target != null && "no".equals(target.getManaged());
            if (unmanaged) {
                if (dev == null) throw JvirtErrors.internal("target dev must be supplied when managed='no'");
                if (!Files.exists(sysClassNet.resolve(dev))) throw JvirtErrors.internal("target managed='no' but specified dev doesn't exist");
            } else if (dev == null || dev.startsWith(GENERATED_PREFIX)) {
                dev = freeName(sysClassNet, taken);
                if (target == null) {
                    target = new InterfaceTarget();
                    i.setTarget(target);
                }
                target.setDev(dev);
            }
            taken.add(dev);
            String mac = i.getMac() == null ? null : i.getMac().getAddress();
            nics.add(new LaunchSpec.Nic(dev, bridge, mac, true, addresses.get(n)));
        }
        return nics;
    }

    /** The VMM's names (net0, net1, ... in document order) of the interfaces whose {@code <link state='down'/>}. */
    static List<String> linksDown(Devices devices) {
        List<String> down = new ArrayList<>();
        List<Interface> interfaces = devices == null ? List.of() : devices.getInterfaces();
        for (int n = 0; n < interfaces.size(); n++) {
            Interface i = interfaces.get(n);
            if (i.getLink() != null && "down".equals(i.getLink().getState())) down.add("net" + n);
        }
        return down;
    }

    /** The lowest vnetN that is no interface of the host's and not in taken. */
    private static String freeName(Path sysClassNet, Set<String> taken) {
        for (int n = 0; ; n++) {
            String name = GENERATED_PREFIX + n;
            if (!taken.contains(name) && !Files.exists(sysClassNet.resolve(name))) return name;
        }
    }
}
