package org.jvirt.driver.spi;

/** What a client holds of a domain (virDomainPtr): name, uuid and the id it had when looked up (-1 inactive). */
public record DomainRef(String name, String uuid, int id) { }
