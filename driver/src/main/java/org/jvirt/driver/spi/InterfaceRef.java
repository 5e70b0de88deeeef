package org.jvirt.driver.spi;

/** What a client holds of a host interface (virInterfacePtr): its name and MAC address. */
public record InterfaceRef(String name, String mac) { }
