package org.jvirt.xml;

/** Parses and serializes a document of a corpus kind with the matching codec. */
final class RoundTrip {
    static String of(String kind, String xml) throws Exception {
        return switch (kind) {
            case "domain" -> DomainXml.format(DomainXml.parse(xml));
            case "snapshot" -> SnapshotXml.format(SnapshotXml.parse(xml));
            case "capabilities" -> CapabilitiesXml.format(CapabilitiesXml.parse(xml));
            case "domaincaps" -> DomainCapabilitiesXml.format(DomainCapabilitiesXml.parse(xml));
            default -> throw new IllegalArgumentException("unknown corpus kind " + kind);
        };
    }

    private RoundTrip() { }
}
