package org.jvirt.driver.test.storage;

import org.jvirt.driver.objxml.VolumeDef;
import org.jvirt.driver.spi.StorageVolRef;

/** One volume of a test pool: its definition and the path (also its key) the pool gave it. */
record TestVolume(TestPool pool, VolumeDef def, String path) {

    StorageVolRef ref() {
        return new StorageVolRef(pool.def.name(), def.name(), path);
    }
}
