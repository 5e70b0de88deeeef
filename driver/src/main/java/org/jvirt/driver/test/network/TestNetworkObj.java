package org.jvirt.driver.test.network;

import org.jvirt.driver.objxml.NetworkDef;
import org.jvirt.driver.spi.NetworkRef;

/** One network of the test driver (virNetworkObj): its definition and flags. */
final class TestNetworkObj {

    NetworkDef def;
    boolean active;
    boolean persistent;
    boolean autostart;

    TestNetworkObj(NetworkDef def) {
        this.def = def;
    }

    NetworkRef ref() {
        return new NetworkRef(def.name(), def.uuid());
    }
}
