package org.jvirt.xml;

import org.jvirt.xml.io.XmlCodec;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.io.XmlParseException;
import org.jvirt.xml.snapshot.DomainSnapshot;

/** libvirt domain snapshot XML: text to {@link DomainSnapshot} and back. */
public final class SnapshotXml {

    private SnapshotXml() { }

    private static final class Holder {
        static final XmlCodec<DomainSnapshot> CODEC =
                new XmlCodec<>(DomainSnapshot.class, "domainsnapshot", "domain_snapshot", XmlLimits.LIBVIRT);
    }

    public static DomainSnapshot parse(String xml) throws XmlParseException {
        return Holder.CODEC.parse(xml);
    }

    public static String format(DomainSnapshot snapshot) {
        return Holder.CODEC.format(snapshot);
    }
}
