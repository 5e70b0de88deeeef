package org.jvirt.driver.jvirt;

import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.xml.domain.Domain;

/** A domain as found on disk: its config (null if transient) and status (null if inactive). */
record StoredDomain(String name, DomainDefinition config, DomainStatus status) {

    boolean active() { return status != null; }

    boolean persistent() { return config != null; }

    String uuid() { return config != null ? config.uuid() : liveDef().uuid(); }

    DomainDefinition liveDef() { return DomainDefinition.of(parseStored(status.liveXml())); }

    /** The definition in effect now: the live one while running. */
    DomainDefinition current() { return status != null ? liveDef() : config; }

    DomainRef ref() { return new DomainRef(name, uuid(), status == null ? -1 : status.id()); }

    /** Parses XML the driver itself wrote: failing to is a bug or a hand-edited file, not a user error. */
    static Domain parseStored(String xml) {
        try {
            return DomainDefinition.parse(xml);
        } catch (LibvirtException e) {
            throw new IllegalStateException("stored domain XML does not parse: " + e.getMessage(), e);
        }
    }
}
