package org.jvirt.driver.def;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.domain.devices.BootOrder;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.model.ElementNode;

/**
 * libvirt's rules for per-device {@code <boot order='N'/>} (virDomainDeviceBootParseXML and
 * virDomainDefBootOrderPostParse): N is a positive 32-bit number, written back as a plain
 * number; no two devices share one; they exclude {@code <os><boot dev>}; and only a domain with
 * neither gets the default {@code <boot dev='hd'/>}.
 */
public final class DeviceBootOrder {

    private DeviceBootOrder() { }

    /** Every device's {@code <boot>}, in document order. */
    public static List<BootOrder> of(Devices devices) {
        List<BootOrder> out = new ArrayList<>();
        if (devices == null) return out;
        for (Object dev : devices.children(Object.class)) {
            if (dev instanceof ElementNode n) {
                BootOrder b = n.child(BootOrder.class);
                if (b != null) out.add(b);
            }
        }
        return out;
    }

    /** Checks and normalizes the orders; true when some device has one. */
    static boolean apply(Domain d, boolean osBootDevices) throws LibvirtException {
        List<BootOrder> boots = of(d.getDevices());
        for (BootOrder b : boots) b.setOrder(Long.toString(parse(b.getOrder())));
        Set<String> seen = new HashSet<>();
        for (BootOrder b : boots) {
            if (!seen.add(b.getOrder())) {
                throw new LibvirtException(Error.ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, Error.ErrorDomain.VIR_FROM_DOMAIN,
                        "boot order '" + b.getOrder() + "' used for more than one device");
            }
        }
        if (!boots.isEmpty() && osBootDevices) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "per-device boot elements cannot be used together with os/boot elements");
        }
        return !boots.isEmpty();
    }

    /** virXMLPropUInt with VIR_XML_PROP_NONZERO. */
    private static long parse(String value) throws LibvirtException {
        long n = FirmwareBootSettings.number(value == null ? "" : value, false, "order", "boot");
        if (n == 0) throw invalid("Zero is not permitted");
        return n;
    }

    private static LibvirtException invalid(String why) {
        return new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN,
                "Invalid value for attribute 'order' in element 'boot': " + why);
    }
}
