package org.jvirt.driver.jvirt;

import static org.jvirt.driver.jvirt.JvirtErrors.io;

import java.io.IOException;
import java.util.Objects;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DeviceLookup;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.Disk;
import org.jvirt.xml.domain.devices.DiskSource;
import org.jvirt.xml.io.SecureXml;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.model.SourceTree;

/**
 * virDomainUpdateDeviceFlags for what jvirt can change: an interface's link state
 * ({@link NicLinkChanges}) and the medium of a cdrom (what virsh's change-media sends), in the persistent definition and, on a running domain, in the VMM's
 * ATAPI drive (qemuDomainUpdateDeviceConfig, qemuDomainChangeDiskLive). Other devices are
 * refused with libvirt's words.
 */
final class MediaChanges {

    private static final int KNOWN_FLAGS = Flags.Affect.LIVE | Flags.Affect.CONFIG | Flags.DeviceModify.FORCE;

    private final DomainStore store;
    private final JvirtPaths paths;
    private final LiveMedia live;
    private final NicLinkChanges nics;

    /** Changes the medium of a running domain's drive. */
    interface LiveMedia {
        void change(StoredDomain o, DomainDefinition live, Disk drive, String newSource, boolean force) throws LibvirtException;
    }

    MediaChanges(DomainStore store, LiveMedia live) {
        this.store = store;
        this.paths = store.paths();
        this.live = live;
        this.nics = new NicLinkChanges(store);
    }

    void update(DomainRef d, String xml, int flags) throws LibvirtException {
        if (rootOf(xml).equals("interface")) { // domif-setlink's link state
            nics.update(d, xml, flags);
            return;
        }
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                    "unsupported flags (0x" + Integer.toHexString(flags & ~KNOWN_FLAGS) + ") in function qemuDomainUpdateDeviceFlags");
        }
        try (DomainLocks.Held h = store.locks().domain(d.name())) {
            StoredDomain o = store.obj(d);
            boolean[] which = DomainTuning.impact(o, flags);
            Disk wanted = parseDisk(xml, which[1] ? "persistent" : "live");
            DomainDefinition config = null;
            if (which[1]) { // the persistent definition first, as libvirt: a refusal there leaves the guest alone
                config = o.config();
                Disk orig = byTarget(config, wanted);
                if (orig == null) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_QEMU,
                            "target " + wanted.getTarget().getDev() + " doesn't exist.");
                }
                checkChangeable(orig, wanted);
                setMedium(orig, wanted);
            }
            if (which[0]) {
                DomainDefinition now = o.liveDef();
                Disk orig = byTarget(now, wanted);
                if (orig == null) {
                    throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                            "No disk with target '" + wanted.getTarget().getDev() + "'");
                }
                checkChangeable(orig, wanted);
                String before = DeviceLookup.sourcePath(orig), after = DeviceLookup.sourcePath(wanted);
                if (!Objects.equals(before, after)) {
                    if (!"cdrom".equals(orig.getDevice()) && !"floppy".equals(orig.getDevice())) {
                        throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                                "disk source can be changed only in removable drives");
                    }
                    live.change(o, now, orig, after, (flags & Flags.DeviceModify.FORCE) != 0);
                    setMedium(orig, wanted);
                    DomainStatus s = o.status();
                    AtomicFiles.write(paths.status(o.name()), s.withLiveXml(now.format(s.id())).format());
                }
            }
            if (config != null) AtomicFiles.write(paths.config(o.name()), config.format(-1));
        } catch (IOException e) {
            throw io(e);
        }
    }

    /** The device element's name, the XML checked well-formed and within libvirt's limits. */
    private static String rootOf(String xml) throws LibvirtException {
        try {
            return SecureXml.scan(xml, "(device_definition)", XmlLimits.LIBVIRT).root.name;
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_XML, e.getMessage());
        }
    }

    /** The one {@code <disk>} of xml, parsed as libvirt parses a device; any other device is refused. */
    private static Disk parseDisk(String xml, String scope) throws LibvirtException {
        String root = rootOf(xml);
        if (!root.equals("disk")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                    scope + " update of device '" + (root.equals("interface") ? "net" : root) + "' is not supported");
        }
        // the element alone was checked well-formed: inside a domain it can only be that one device
        Domain wrapper = DomainDefinition.parse("<domain type='kvm'><name>device</name><memory>1024</memory><os><type>hvm</type></os><devices>"
                + xml.replaceFirst("^\\s*<\\?xml[^>]*\\?>", "") + "</devices></domain>");
        Disk disk = wrapper.getDevices().getDisks().get(0);
        if (disk.getTarget() == null || disk.getTarget().getDev() == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_NO_TARGET, ErrorDomain.VIR_FROM_DOMAIN,
                    DeviceLookup.sourcePath(disk) == null ? "" : DeviceLookup.sourcePath(disk));
        }
        return disk;
    }

    private static Disk byTarget(DomainDefinition def, Disk wanted) {
        for (Disk d : DeviceLookup.disks(def)) {
            if (d.getTarget() != null && wanted.getTarget().getDev().equals(d.getTarget().getDev())) return d;
        }
        return null;
    }

    /** qemuDomainDiskChangeSupported for what a medium change could disturb: the device and its bus. */
    private static void checkChangeable(Disk orig, Disk wanted) throws LibvirtException {
        String od = orig.getDevice() == null ? "disk" : orig.getDevice(), wd = wanted.getDevice() == null ? "disk" : wanted.getDevice();
        if (!od.equals(wd)) throw cannotModify("device type");
        String wb = wanted.getTarget().getBus();
        if (wb != null && !wb.equals(orig.getTarget().getBus())) throw cannotModify("target bus");
    }

    private static LibvirtException cannotModify(String field) {
        return new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED, ErrorDomain.VIR_FROM_QEMU,
                "cannot modify field '" + field + "' of the disk");
    }

    /** The drive's source and type become the wanted disk's (no source: the tray is empty). */
    private static void setMedium(Disk orig, Disk wanted) {
        DiskSource s = wanted.getSource();
        if (s != null && s.getFile() == null && s.getDev() == null) s = null;
        orig.setSource(s);
        orig.setType(wanted.getType() == null ? "file" : wanted.getType());
    }
}
