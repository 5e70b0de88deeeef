package org.jvirt.driver.jvirt.storage;

import java.nio.file.Path;
import org.jvirt.driver.jvirt.JvirtPaths;

/**
 * Where a jvirt URI keeps its storage pools, as libvirt's storage driver does: the persistent
 * configs ({@code NAME.xml}) and autostart links under the config directory's storage/, the
 * definitions of active pools (the status) under the run directory's storage/, gone after a reboot.
 */
record StoragePaths(Path configDir, Path stateDir) {

    static StoragePaths of(JvirtPaths paths) {
        return new StoragePaths(paths.configDir().resolve("storage"), paths.runDir().resolve("storage"));
    }

    Path autostartDir() { return configDir.resolve("autostart"); }

    Path config(String name) { return configDir.resolve(name + ".xml"); }

    Path autostartLink(String name) { return autostartDir().resolve(name + ".xml"); }

    Path state(String name) { return stateDir.resolve(name + ".xml"); }

    /** A running pool's volumes (names, one a line): what its last refresh found, plus those made since, less those deleted. */
    Path volumes(String name) { return stateDir.resolve(name + ".volumes"); }

    /** A stopped pool's XML as its last refresh left it (libvirt keeps that definition in memory until the next start). */
    Path lastRefresh(String name) { return stateDir.resolve(name + ".last"); }
}
