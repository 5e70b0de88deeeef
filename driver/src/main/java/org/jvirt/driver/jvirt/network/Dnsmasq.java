package org.jvirt.driver.jvirt.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.objxml.NetworkDef;

/**
 * A network's dnsmasq, as libvirt runs it: its own configuration file, daemonized (it outlives
 * the client that started it), found again through the pid file the configuration names. jvirt
 * passes dnsmasq's own lease file (--dhcp-leasefile) where libvirt runs its lease helper, and
 * keeps dnsmasq as the URI's user (see {@link #start}).
 */
final class Dnsmasq {

    private Dnsmasq() { }

    /** Writes NAME.conf, NAME.hostsfile and NAME.addnhosts and starts dnsmasq on them. */
    static void start(NetworkDef def, List<IpDef> ips, NetworkPaths paths) throws LibvirtException {
        String name = def.name();
        writeFiles(def, ips, paths);
        NetworkStore.delete(paths.pidFile(name));
        try {
            Files.createDirectories(paths.stateDir());
            Path leases = paths.leases(name);
            if (!Files.exists(leases)) Files.createFile(leases);
        } catch (IOException e) {
            throw NetworkStore.io(e);
        }
        // --user=root: dnsmasq reads its hosts files (at start and on SIGHUP) as the user it runs
        // as, and the URI's run directory is its owner's alone (0700), where libvirt's
        // /var/lib/libvirt/dnsmasq is world-readable for the dnsmasq user nobody
        HostCommand.run(List.of(HostCommand.tool("dnsmasq"), "--conf-file=" + paths.dnsmasqConf(name),
                "--dhcp-leasefile=" + paths.leases(name), "--user=" + currentUser()));
    }

    /** The user this process runs as (root for a network that makes bridges), for dnsmasq's --user. */
    private static String currentUser() {
        String u = System.getProperty("user.name");
        return u == null || u.isEmpty() ? "root" : u;
    }

    static void writeFiles(NetworkDef def, List<IpDef> ips, NetworkPaths paths) throws LibvirtException {
        String name = def.name();
        NetworkStore.write(paths.dnsmasqConf(name), DnsmasqConf.contents(def, ips, paths));
        NetworkStore.write(paths.hostsFile(name), DnsmasqConf.hostsFile(ips));
        NetworkStore.write(paths.addnHosts(name), DnsmasqConf.addnHosts(def));
    }

    /** The running dnsmasq of this network (its pid file's process, started on this network's configuration), if any. */
    static Optional<ProcessHandle> running(String name, NetworkPaths paths) {
        try {
            String pid = Files.readString(paths.pidFile(name)).trim();
            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(pid));
            if (p.isEmpty() || !p.get().isAlive()) return Optional.empty();
            // a pid reused by another process is not ours: check its command line
            String cmdline = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
            return cmdline.contains("--conf-file=" + paths.dnsmasqConf(name)) ? p : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Rewrites the hosts file and has dnsmasq read it again (SIGHUP), as networkRefreshDhcpDaemon. */
    static void refresh(NetworkDef def, List<IpDef> ips, NetworkPaths paths) throws LibvirtException {
        writeFiles(def, ips, paths);
        Optional<ProcessHandle> p = running(def.name(), paths);
        if (p.isPresent()) HostCommand.probe(List.of(HostCommand.tool("kill"), "-HUP", Long.toString(p.get().pid())));
    }

    /** Stops the network's dnsmasq (SIGTERM, waiting up to 5 s, then SIGKILL) and removes its pid file. */
    static void stop(String name, NetworkPaths paths) throws LibvirtException {
        Optional<ProcessHandle> p = running(name, paths);
        if (p.isPresent()) {
            p.get().destroy();
            try {
                p.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.get().destroyForcibly();
            }
        }
        NetworkStore.delete(paths.pidFile(name));
    }

    /** The files of an undefined network. */
    static void deleteFiles(String name, NetworkPaths paths) throws LibvirtException {
        for (Path f : List.of(paths.dnsmasqConf(name), paths.hostsFile(name), paths.addnHosts(name), paths.leases(name))) {
            NetworkStore.delete(f);
        }
    }
}
