package org.jvirt.driver.test.storage;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.objxml.PoolDef;
import org.jvirt.driver.spi.StoragePoolRef;

/** One storage pool of the test driver (virStoragePoolObj): definition, sizes in bytes, volumes, flags. */
final class TestPool {

    /** testStoragePoolObjSetDefaults: every pool has 100 GiB, none of it allocated. */
    static final long DEFAULT_CAPACITY = 100L * 1024 * 1024 * 1024;

    PoolDef def;
    boolean active;
    boolean persistent;
    boolean autostart;
    long capacity = DEFAULT_CAPACITY;
    long allocation;
    final List<TestVolume> volumes = new ArrayList<>();

    TestPool(PoolDef def) {
        this.def = def;
    }

    long available() {
        return capacity - allocation;
    }

    StoragePoolRef ref() {
        return new StoragePoolRef(def.name(), def.uuid());
    }
}
