package org.jvirt.xml;

import org.jvirt.xml.io.XmlCodec;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.io.XmlParseException;
import org.jvirt.xml.domaincaps.DomainCapabilities;

/** libvirt domain capabilities XML: text to {@link DomainCapabilities} and back. */
public final class DomainCapabilitiesXml {

    private DomainCapabilitiesXml() { }

    private static final class Holder {
        static final XmlCodec<DomainCapabilities> CODEC =
                new XmlCodec<>(DomainCapabilities.class, "domainCapabilities", "domain_capabilities", XmlLimits.LIBVIRT);
    }

    public static DomainCapabilities parse(String xml) throws XmlParseException {
        return Holder.CODEC.parse(xml);
    }

    public static String format(DomainCapabilities caps) {
        return Holder.CODEC.format(caps);
    }
}
