package org.jvirt.xml.domain;

import org.jvirt.xml.model.XmlValueException;
import org.jvirt.xml.units.Uuids;

/**
 * The checks libvirt's parser makes on every domain before any driver sees it, with libvirt's
 * messages: a name must be there, a uuid must be well formed, memory amounts must be valid
 * numbers in known units, and the domain needs a type.
 */
public final class DomainRules {

    private DomainRules() { }

    /** Throws XmlValueException (libvirt's message, the element and its line) for the first problem. */
    public static void check(Domain d) {
        if (d.getType() == null || d.getType().isBlank())
            throw new XmlValueException("domain", "", d.sourceLocation(), "missing domain type attribute");
        String name = d.getName();
        if (name == null || name.isEmpty())
            throw new RuleViolation("missing name information", d.sourceLocation());
        String uuid = d.getUuid();
        if (uuid != null && Uuids.parseOrNull(uuid) == null) {
            Uuid u = d.child(Uuid.class);
            throw new RuleViolation("malformed uuid element", u == null ? null : u.sourceLocation());
        }
        for (ScaledMemory m : new ScaledMemory[]{d.getMemory(), d.getCurrentMemory(), d.getMaxMemory()})
            if (m != null) m.bytes();
        Vcpu v = d.getVcpu();
        if (v != null) {
            String t = v.trimmed();
            if (t == null || !t.matches("\\d+") || Long.parseLong(t) == 0 && !t.isEmpty() && t.length() > 19)
                throw new XmlValueException("vcpu", String.valueOf(t), v.sourceLocation(), "invalid vCPU count");
        }
    }

    /** A rule libvirt words without naming a value ("missing name information"). */
    public static final class RuleViolation extends RuntimeException {
        private final org.jvirt.xml.model.SourceLocation location;

        RuleViolation(String message, org.jvirt.xml.model.SourceLocation location) {
            super(message);
            this.location = location;
        }

        public org.jvirt.xml.model.SourceLocation location() {
            return location;
        }
    }
}
