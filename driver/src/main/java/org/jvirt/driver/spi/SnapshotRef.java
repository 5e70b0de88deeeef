package org.jvirt.driver.spi;

/** A snapshot handle (virDomainSnapshotPtr): its domain and name. */
public record SnapshotRef(DomainRef domain, String name) { }
