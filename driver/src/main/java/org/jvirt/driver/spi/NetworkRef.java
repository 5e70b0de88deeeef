package org.jvirt.driver.spi;

/** What a client holds of a virtual network (virNetworkPtr): its name and uuid. */
public record NetworkRef(String name, String uuid) { }
