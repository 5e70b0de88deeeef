package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.JvirtErrors.io;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DeviceLookup;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.def.NetDefaults;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Interface;
import org.jvirt.xml.domain.devices.InterfaceSource;
import org.jvirt.xml.domain.devices.Link;

/**
 * virDomainUpdateDeviceFlags of an {@code <interface>} (what virsh's domif-setlink sends),
 * found by its MAC address (and PCI address and alias when given) as virDomainNetFindIdx finds it. In the persistent definition the
 * element replaces the old one, as qemuDomainUpdateDeviceConfig does; on a running domain only
 * the link state may change (qemuDomainChangeNet: the VMM's NIC netN gets set_link, and the live
 * XML records the new {@code <link state>}); any other change is refused in libvirt's words.
 */
final class NicLinkChanges {

    /** The children a running jvirt NIC's element has; the checks above cover each. */
    private static final java.util.Set<String> LIVE_CHILDREN = java.util.Set.of("mac", "source", "target", "model", "driver", "link",
            "alias", "address");

    private static final int KNOWN_FLAGS = Flags.Affect.LIVE | Flags.Affect.CONFIG | Flags.DeviceModify.FORCE;

    private final DomainStore store;

    /** Sets the link of a running domain's NIC (net0, net1, ... in document order). */
    interface LiveLink {
        void set(StoredDomain o, String nicId, boolean up) throws LibvirtException;
    }

    private final LiveLink live;

    NicLinkChanges(DomainStore store, LiveLink live) {
        this.store = store;
        this.live = live;
    }

    NicLinkChanges(DomainStore store) {
        this(store, NicLinkChanges::setLink);
    }

    void update(DomainRef d, String xml, int flags) throws LibvirtException {
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags & ~KNOWN_FLAGS) + ") in function qemuDomainUpdateDeviceFlags");
        }
        try (DomainLocks.Held h = store.locks().domain(d.name())) {
            StoredDomain o = store.obj(d);
            boolean[] which = DomainTuning.impact(o, flags);
            DomainDefinition config = null;
            if (which[1]) { // the persistent definition first, as libvirt: a refusal there leaves the guest alone
                config = o.config();
                Interface wanted = parse(xml);
                List<Interface> nets = DeviceLookup.interfaces(config);
                config.model().getDevices().replaceChild(nets.get(indexByMac(nets, wanted)), wanted);
            }
            if (which[0]) {
                Interface wanted = parse(xml);
                DomainDefinition now = o.liveDef();
                List<Interface> nets = DeviceLookup.interfaces(now);
                int at = indexByMac(nets, wanted);
                Interface orig = nets.get(at);
                checkOnlyLinkChanges(orig, wanted);
                String before = linkState(orig), after = linkState(wanted);
                if (!before.equals(after)) {
                    live.set(o, "net" + at, after.equals("up"));
                    Link link = new Link();
                    link.setState(after);
                    orig.setLink(link);
                    DomainStatus s = o.status();
                    AtomicFiles.write(store.paths().status(o.name()), s.withLiveXml(now.format(s.id())).format());
                }
            }
            if (config != null) AtomicFiles.write(store.paths().config(o.name()), config.format(-1));
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** The one {@code <interface>} of xml, parsed as a device of a domain. */
    static Interface parse(String xml) throws LibvirtException {
        Domain wrapper = DomainDefinition.parse("<domain type='kvm'><name>device</name><memory>1024</memory><os><type>hvm</type></os><devices>"
                + xml.replaceFirst("^\\s*<\\?xml[^>]*\\?>", "") + "</devices></domain>");
        return wrapper.getDevices().getInterfaces().get(0);
    }

    /**
     * virDomainNetFindIdx: the interface with the MAC, the PCI address and the alias the
     * element gives (each only when given).
     */
    static int indexByMac(List<Interface> nets, Interface wanted) throws LibvirtException {
        String given = wanted.getMac() == null ? null : wanted.getMac().getAddress();
        byte[] bytes = given == null ? null : NetDefaults.parse(given);
        String mac = bytes == null ? null : NetDefaults.format(bytes);
        String pci = pci(wanted);
        String alias = wanted.getAlias() == null ? null : wanted.getAlias().getName();
        int match = -1;
        for (int i = 0; i < nets.size(); i++) {
            Interface n = nets.get(i);
            if (mac != null && (n.getMac() == null || !mac.equalsIgnoreCase(n.getMac().getAddress()))) continue;
            if (pci != null && !pci.equals(pci(n))) continue;
            if (alias != null && (n.getAlias() == null || !alias.equals(n.getAlias().getName()))) continue;
            if (match >= 0) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_DOMAIN,
                        "multiple devices matching MAC address " + (mac == null ? "" : mac) + " found");
            }
            match = i;
        }
        if (match < 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_DEVICE_MISSING, ErrorDomain.VIR_FROM_DOMAIN,
                    "no device found at address '" + (pci == null ? "" : pci) + "' matching MAC address '" + (mac == null ? "" : mac)
                            + "' and alias '" + (alias == null ? "" : alias) + "'");
        }
        return match;
    }

    /** A PCI address as libvirt writes one (virPCIDeviceAddressAsString), or null. */
    private static String pci(Interface i) {
        org.jvirt.xml.domain.devices.DeviceAddress a = i.getAddress();
        if (a == null || !"pci".equals(a.getType())) return null;
        try {
            return String.format("%04x:%02x:%02x.%d", num(a.getDomain()), num(a.getBus()), num(a.getSlot()), num(a.getFunction()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long num(String s) {
        if (s == null) return 0;
        return s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
    }

    /** up unless the element says down (virDomainNetDef's linkstate, DEFAULT being up). */
    static String linkState(Interface i) {
        return i.getLink() != null && "down".equals(i.getLink().getState()) ? "down" : "up";
    }

    /**
     * qemuDomainChangeNet's refusals for what jvirt-vmm cannot change on a running NIC: the
     * type, the source, the model, the driver's attributes, a tap name given and different, and
     * any element a running jvirt NIC does not have.
     */
    static void checkOnlyLinkChanges(Interface orig, Interface wanted) throws LibvirtException {
        String type = wanted.getType();
        if (!Objects.equals(orig.getType(), type) || !sameSource(orig.getSource(), wanted.getSource())) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "unable to change config on '" + type + "' network type");
        }
        String oldModel = orig.getModel() == null ? null : orig.getModel().getType();
        String newModel = wanted.getModel() == null ? null : wanted.getModel().getType();
        if (!Objects.equals(oldModel, newModel)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot modify network device model from " + oldModel + " to " + newModel);
        }
        var oldDriver = orig.getDriver() == null ? java.util.Map.of() : orig.getDriver().attributes();
        var newDriver = wanted.getDriver() == null ? java.util.Map.of() : wanted.getDriver().attributes();
        if (!oldDriver.equals(newDriver)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot modify virtio network device driver attributes");
        }
        // what a running jvirt NIC can have is the above (NicDevices refuses the rest at start): anything new in the
        // element is a change it cannot make, refused rather than left unapplied
        for (Object child : wanted.children(Object.class)) {
            String n = UnsupportedConfig.nameOf(child);
            if (!LIVE_CHILDREN.contains(n)) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                        "unable to change config on '" + type + "' network type: <" + n + "> cannot change on a running jvirt NIC");
            }
        }
        String newDev = wanted.getTarget() == null ? null : wanted.getTarget().getDev();
        String oldDev = orig.getTarget() == null ? null : orig.getTarget().getDev();
        if (newDev != null && !newDev.equals(oldDev)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot modify network device tap name");
        }
    }

    /** The same network, bridge or device; a network's bridge only when the new element names one. */
    private static boolean sameSource(InterfaceSource a, InterfaceSource b) {
        if (a == null || b == null) return a == b;
        return Objects.equals(a.getNetwork(), b.getNetwork()) && Objects.equals(a.getDev(), b.getDev())
                && (b.getBridge() == null && a.getNetwork() != null || Objects.equals(a.getBridge(), b.getBridge()));
    }

    /** QMP's set_link on the VMM's control socket; a refusal reported as libvirt reports a failed monitor command. */
    private static void setLink(StoredDomain o, String nicId, boolean up) throws LibvirtException {
        try (ControlClient c = ControlClient.connect(Path.of(o.status().monitor()), Duration.ofSeconds(30))) {
            c.call(new Command.SetLink(nicId, up));
        } catch (ControlClient.CommandFailed e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "Couldn't set link state on interface: " + nicId);
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "cannot set the link of domain '" + o.name() + "': " + e.getMessage());
        }
    }
}
