package org.jvirt.driver.jvirt.network;

import java.nio.file.Path;
import org.jvirt.driver.jvirt.JvirtPaths;

/**
 * Where a jvirt URI keeps its virtual networks, laid out as libvirt's network driver does:
 * persistent configs ({@code NAME.xml}) and autostart links under the config directory's
 * networks/ (libvirt: /etc/libvirt/qemu/networks), the live definition of each active network
 * (its status) and dnsmasq's pid file under the run directory's network/ (/run/libvirt/network),
 * and dnsmasq's files under the run directory's dnsmasq/ (libvirt keeps those in
 * /var/lib/libvirt/dnsmasq): NAME.conf, NAME.hostsfile, NAME.addnhosts and the lease file
 * NAME.leases (dnsmasq's own, where libvirt's lease helper writes BRIDGE.status).
 */
record NetworkPaths(Path configDir, Path stateDir, Path dnsmasqDir) {

    static NetworkPaths of(JvirtPaths paths) {
        return new NetworkPaths(paths.configDir().resolve("networks"), paths.runDir().resolve("network"),
                paths.runDir().resolve("dnsmasq"));
    }

    Path autostartDir() { return configDir.resolve("autostart"); }

    Path config(String name) { return inside(configDir, name, ".xml"); }

    Path autostartLink(String name) { return inside(autostartDir(), name, ".xml"); }

    Path state(String name) { return inside(stateDir, name, ".xml"); }

    Path pidFile(String name) { return inside(stateDir, name, ".pid"); }

    /** Present while a start is under way: one left behind names a start whose client was killed. */
    Path startMarker(String name) { return inside(stateDir, name, ".starting"); }

    Path dnsmasqConf(String name) { return inside(dnsmasqDir, name, ".conf"); }

    Path hostsFile(String name) { return inside(dnsmasqDir, name, ".hostsfile"); }

    Path addnHosts(String name) { return inside(dnsmasqDir, name, ".addnhosts"); }

    Path leases(String name) { return inside(dnsmasqDir, name, ".leases"); }

    /** dir/NAME+suffix; a name that is not a plain file name never becomes a path. */
    private static Path inside(Path dir, String name, String suffix) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("network name is not a file name: " + name);
        }
        return dir.resolve(name + suffix);
    }
}
