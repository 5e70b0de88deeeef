package org.jvirt.xml;

import org.jvirt.xml.capabilities.Capabilities;
import org.jvirt.xml.io.XmlCodec;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.io.XmlParseException;

/** libvirt capabilities XML: text to {@link Capabilities} and back. */
public final class CapabilitiesXml {

    private CapabilitiesXml() { }

    private static final class Holder {
        static final XmlCodec<Capabilities> CODEC =
                new XmlCodec<>(Capabilities.class, "capabilities", "capabilities", XmlLimits.LIBVIRT);
    }

    public static Capabilities parse(String xml) throws XmlParseException {
        return Holder.CODEC.parse(xml);
    }

    public static String format(Capabilities capabilities) {
        return Holder.CODEC.format(capabilities);
    }
}
