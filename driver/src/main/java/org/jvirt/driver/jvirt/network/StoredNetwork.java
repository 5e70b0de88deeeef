package org.jvirt.driver.jvirt.network;

import org.jvirt.driver.objxml.NetworkDef;
import org.jvirt.driver.spi.NetworkRef;

/**
 * A network as its files say: the definition in force (the status's while active, else the
 * config's), the persistent config (null for a transient network) and its flags.
 */
record StoredNetwork(NetworkDef def, NetworkDef config, boolean active, boolean autostart) {

    boolean persistent() { return config != null; }

    String name() { return def.name(); }

    NetworkRef ref() { return new NetworkRef(def.name(), def.uuid()); }
}
