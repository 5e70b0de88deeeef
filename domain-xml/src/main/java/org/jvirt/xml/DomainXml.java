package org.jvirt.xml;

import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.io.XmlCodec;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.io.XmlParseException;

/** libvirt domain XML: text to {@link Domain} and back. The binding is built on first use. */
public final class DomainXml {

    private DomainXml() { }

    private static final class Holder {
        static final XmlCodec<Domain> CODEC = new XmlCodec<>(Domain.class, "domain", "domain_definition", XmlLimits.LIBVIRT);
    }

    public static Domain parse(String xml) throws XmlParseException {
        return Holder.CODEC.parse(xml);
    }

    public static String format(Domain domain) {
        return Holder.CODEC.format(domain);
    }
}
