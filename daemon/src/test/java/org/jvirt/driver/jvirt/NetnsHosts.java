package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jvirt.daemon.Jvirtd;

/**
 * Two "hosts" on this machine for migration tests: two network namespaces joined by a veth pair
 * (10.X.Y.1 in A, 10.X.Y.2 in B, loopback up in each), each running its own jvirtd (its own
 * --root state directories, a TCP listener on its namespace's address, migration_address
 * there too) started with {@code ip netns exec}. Clients run inside a namespace as an admin on
 * that host would ({@link Host#virsh}); {@link Host#local} reaches a daemon through its unix
 * socket from anywhere, even with the link down. {@link #close} (also run at JVM exit) kills
 * every process left in the two namespaces (jvirtd, VMMs, clients) and deletes them, the veth
 * pair with them. {@link #open} skips the test with the reason when not root or without
 * {@code ip netns}.
 */
final class NetnsHosts implements AutoCloseable {

    /** One host: a namespace, its address and veth end, a jvirtd. */
    static final class Host {
        final String name;
        final String netns;
        final String veth;
        final String address;
        final Path root;
        Process jvirtd;

        Host(String name, String netns, String veth, String address, Path root) {
            this.name = name;
            this.netns = netns;
            this.veth = veth;
            this.address = address;
            this.root = root;
        }

        /** The URI other hosts and this host's admin use: qemu+tcp://ADDRESS/system. */
        String uri() {
            return "qemu+tcp://" + address + "/system";
        }

        /** The daemon's unix socket, reachable from the test's own namespace. */
        String localUri() {
            return "qemu+unix:///system?socket=" + root.resolve("run/libvirt/libvirt-sock");
        }

        /** The real virsh run inside this host's namespace against URI. */
        Result virsh(String uri, String args) throws Exception {
            return run(List.of("ip", "netns", "exec", netns, "/usr/bin/virsh", "-c", uri), args);
        }

        /** The real virsh on this host's daemon through its unix socket (works whatever the link). */
        Result local(String args) throws Exception {
            return run(List.of("/usr/bin/virsh", "-c", localUri()), args);
        }

        /**
         * A virsh process started inside this namespace (for a migration to fault while it runs),
         * its keepalive 2 s x 3 (virsh -k -K; default 5 s x 5) so that a peer cut off is given up
         * on sooner.
         */
        Process startVirsh(String uri, String args, Path output) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns, "/usr/bin/virsh", "-k", "2", "-K", "3", "-c", uri));
            cmd.addAll(List.of(args.split(" ")));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            p.getOutputStream().close();
            return p;
        }

        /** The pids of the jvirt-vmm processes running in this namespace. */
        List<Long> vmmPids() throws Exception {
            List<Long> out = new ArrayList<>();
            for (long pid : netnsPids(netns)) {
                try {
                    String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
                    if (cmdline.contains("org.jvirt.vmm.cli.JvirtVmmMain")) out.add(pid);
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
            return out;
        }

        /** The link to the other host: down (a cut cable) or up. */
        void link(boolean up) throws Exception {
            sh("ip", "netns", "exec", netns, "ip", "link", "set", veth, up ? "up" : "down");
        }

        @Override
        public String toString() {
            return name + " (" + netns + ", " + address + ")";
        }
    }

    record Result(int exit, String out) { }

    final Host a;
    final Host b;
    private final Thread cleanupAtExit;

    private NetnsHosts(Host a, Host b) {
        this.a = a;
        this.b = b;
        this.cleanupAtExit = new Thread(this::removeQuietly, "netns-hosts-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupAtExit);
    }

    /** Creates the two namespaces and starts a jvirtd in each (roots DIR/a and DIR/b); skips when it cannot. */
    static NetnsHosts open(Path dir) throws Exception {
        assumeTrue(HostInfo.uid() == 0, "not root: the two-host migration tests make network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/virsh")), "the real virsh (libvirt-clients) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "ip (iproute2) is not installed");
        assumeTrue(Files.exists(JvirtTestSupport.GUESTS.resolve("ticker.elf")), "test guests not built (make -C test-fixtures/guests)");
        String tag = Long.toString(ProcessHandle.current().pid() % 100000, 36) + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);
        int subnet = ThreadLocalRandom.current().nextInt(1, 250);
        Host a = new Host("A", "jvmig-" + tag + "-a", "jv" + tag + "a", "10.231." + subnet + ".1", Files.createDirectories(dir.resolve("a")));
        Host b = new Host("B", "jvmig-" + tag + "-b", "jv" + tag + "b", "10.231." + subnet + ".2", Files.createDirectories(dir.resolve("b")));
        Result probe = run(List.of("ip", "netns", "add", a.netns), "");
        assumeTrue(probe.exit() == 0, "ip netns is not available here: " + probe.out().trim());
        NetnsHosts hosts = new NetnsHosts(a, b);
        try {
            sh("ip", "netns", "add", b.netns);
            Result veth = run(List.of("ip", "link", "add", a.veth, "type", "veth", "peer", "name", b.veth), "");
            assumeTrue(veth.exit() == 0, "no veth pair here (ip link add type veth): " + veth.out().trim());
            for (Host h : List.of(a, b)) {
                sh("ip", "link", "set", h.veth, "netns", h.netns);
                sh("ip", "netns", "exec", h.netns, "ip", "addr", "add", h.address + "/24", "dev", h.veth);
                sh("ip", "netns", "exec", h.netns, "ip", "link", "set", h.veth, "up");
                sh("ip", "netns", "exec", h.netns, "ip", "link", "set", "lo", "up");
            }
            for (Host h : List.of(a, b)) startJvirtd(h);
            for (Host h : List.of(a, b)) awaitDaemon(h);
        } catch (Throwable t) {
            hosts.close();
            throw t;
        }
        return hosts;
    }

    private static void startJvirtd(Host h) throws Exception {
        Path etc = Files.createDirectories(h.root.resolve("etc"));
        Files.writeString(etc.resolve("jvirtd.conf"), "listen_tcp = 1\nlisten_tls = 0\nauth_tcp = \"none\"\nlisten_addr = \"" + h.address + "\"\n"
                + "migration_address = \"" + h.address + "\"\n", StandardCharsets.UTF_8);
        Path vmm = JvirtTestSupport.vmmScript(h.root);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of("ip", "netns", "exec", h.netns, java, "-Djvirt.vmm=" + vmm, "-cp", System.getProperty("java.class.path"),
                Jvirtd.class.getName(), "--root", h.root.toString(), "--listen");
        h.jvirtd = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(h.root.resolve("jvirtd.out").toFile()).start();
    }

    private static void awaitDaemon(Host h) throws Exception {
        for (int i = 0; i < 600; i++) {
            if (!h.jvirtd.isAlive()) throw new AssertionError("jvirtd on " + h + " exited: " + Files.readString(h.root.resolve("jvirtd.out")));
            if (Files.exists(h.root.resolve("run/libvirt/libvirt-sock")) && h.virsh(h.uri(), "uri").exit() == 0) return;
            Thread.sleep(100);
        }
        throw new AssertionError("jvirtd on " + h + " did not serve " + h.uri() + ": " + Files.readString(h.root.resolve("jvirtd.out")));
    }

    static List<Long> netnsPids(String netns) throws Exception {
        Result r = run(List.of("ip", "netns", "pids", netns), "");
        List<Long> out = new ArrayList<>();
        for (String line : r.out().split("\n")) if (line.strip().matches("\\d+")) out.add(Long.parseLong(line.strip()));
        return out;
    }

    static Result run(List<String> command, String args) throws Exception {
        List<String> cmd = new ArrayList<>(command);
        if (!args.isEmpty()) cmd.addAll(List.of(args.split(" ")));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end in 180 s: " + cmd + ": " + out);
        }
        return new Result(p.exitValue(), out);
    }

    private static void sh(String... cmd) throws Exception {
        Result r = run(List.of(cmd), "");
        if (r.exit() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + r.out().trim());
    }

    /** Kills what runs in the namespaces (jvirtd first, so it starts nothing new) and deletes them. */
    private void removeQuietly() {
        for (Host h : List.of(a, b)) {
            if (h.jvirtd != null) h.jvirtd.destroyForcibly();
        }
        for (Host h : List.of(a, b)) {
            try {
                for (int round = 0; round < 20; round++) {
                    List<Long> pids = netnsPids(h.netns);
                    if (pids.isEmpty()) break;
                    for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    Thread.sleep(100);
                }
                run(List.of("ip", "netns", "del", h.netns), "");
            } catch (Exception e) {
                System.err.println("cleaning up " + h + ": " + e);
            }
        }
    }

    @Override
    public void close() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }
}
