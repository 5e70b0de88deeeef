package org.jvirt.xml.cli;

import org.jvirt.xml.CapabilitiesXml;
import org.jvirt.xml.DomainCapabilitiesXml;
import org.jvirt.xml.DomainXml;
import org.jvirt.xml.SnapshotXml;
import org.jvirt.xml.io.XmlParseException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The libvirt document kinds the check command knows, by root element, with codec and schema. */
enum DocumentKind {
    DOMAIN("domain", "domain.rng"),
    SNAPSHOT("domainsnapshot", "domainsnapshot.rng"),
    CAPABILITIES("capabilities", "capability.rng"),
    DOMAIN_CAPABILITIES("domainCapabilities", "domaincaps.rng");

    final String root;
    final String schema;

    DocumentKind(String root, String schema) {
        this.root = root;
        this.schema = schema;
    }

    private static final Pattern FIRST_ELEMENT = Pattern.compile("<([A-Za-z_][\\w.-]*)[\\s/>]");

    /** The kind by the first element's name (skipping declaration, comments and PIs). */
    static DocumentKind of(String xml) throws XmlParseException {
        Matcher m = FIRST_ELEMENT.matcher(xml.replaceAll("(?s)<\\?.*?\\?>|<!--.*?-->", ""));
        String root = m.find() ? m.group(1) : "";
        for (DocumentKind k : values()) if (k.root.equals(root)) return k;
        throw new XmlParseException("not a libvirt domain, snapshot, capabilities or domain capabilities document"
                + (root.isEmpty() ? "" : " (root element <" + root + ">)"), -1, -1);
    }

    String roundTrip(String xml) throws XmlParseException {
        return switch (this) {
            case DOMAIN -> DomainXml.format(DomainXml.parse(xml));
            case SNAPSHOT -> SnapshotXml.format(SnapshotXml.parse(xml));
            case CAPABILITIES -> CapabilitiesXml.format(CapabilitiesXml.parse(xml));
            case DOMAIN_CAPABILITIES -> DomainCapabilitiesXml.format(DomainCapabilitiesXml.parse(xml));
        };
    }
}
