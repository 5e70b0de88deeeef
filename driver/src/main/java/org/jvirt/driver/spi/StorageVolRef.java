package org.jvirt.driver.spi;

/** What a client holds of a storage volume (virStorageVolPtr): its pool's name, its name and key. */
public record StorageVolRef(String pool, String name, String key) { }
