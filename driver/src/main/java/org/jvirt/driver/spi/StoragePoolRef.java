package org.jvirt.driver.spi;

/** What a client holds of a storage pool (virStoragePoolPtr): its name and uuid. */
public record StoragePoolRef(String name, String uuid) { }
