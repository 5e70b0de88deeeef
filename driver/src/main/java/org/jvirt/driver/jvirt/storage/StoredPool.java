package org.jvirt.driver.jvirt.storage;

import java.nio.file.Path;
import org.jvirt.driver.objxml.PoolDef;
import org.jvirt.driver.spi.StoragePoolRef;

/** A pool as its files say: the definition in force (the status's while active), and its flags. */
record StoredPool(PoolDef def, boolean active, boolean persistent, boolean autostart) {

    StoragePoolRef ref() { return new StoragePoolRef(def.name(), def.uuid()); }

    String name() { return def.name(); }

    Path dir() { return Path.of(def.targetPath()); }
}
