package org.jvirt.driver.jvirt.network;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of a test's own ({@code ip netns add}): everything that makes bridges,
 * addresses, firewall rules or runs dnsmasq runs inside one, so nothing touches the host's own
 * interfaces or firewall. {@link #close} (also at JVM exit) kills what still runs in it
 * (dnsmasq among them) and deletes it. {@link #open} skips the test with the reason when not
 * root or without network namespaces.
 */
final class NetNamespace implements AutoCloseable {

    /** bin/jvirsh of this tree (the tests run in driver/). */
    static final Path JVIRSH = Path.of("..").toAbsolutePath().normalize().resolve("bin/jvirsh");

    record Result(int exit, String out) { }

    final String name;
    private final Thread cleanup;

    private NetNamespace(String name) {
        this.name = name;
        this.cleanup = new Thread(this::remove, "netns-cleanup-" + name);
        Runtime.getRuntime().addShutdownHook(cleanup);
    }

    static NetNamespace open(String tag) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: the network tests make network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "ip (iproute2) is not installed");
        String name = "jvnet-" + tag + "-" + Long.toString(ProcessHandle.current().pid() % 100000, 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(1296), 36);
        Result r = run(List.of("ip", "netns", "add", name), null);
        assumeTrue(r.exit() == 0, "network namespaces are not available here: " + r.out().trim());
        NetNamespace ns = new NetNamespace(name);
        ns.sh("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Whether bin/jvirsh can run (the tree's jars are built). */
    static boolean jvirshBuilt() {
        Path target = JVIRSH.getParent().getParent().resolve("virsh-compat/target");
        try (var jars = Files.list(target)) {
            return Files.isExecutable(JVIRSH) && jars.anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }

    /** A command inside this namespace; stdout and stderr together. */
    Result exec(Path dir, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return run(full, dir);
    }

    /** As {@link #exec}, failing the test on a non-zero exit; returns the output. */
    String sh(String... cmd) throws Exception {
        Result r = exec(null, cmd);
        if (r.exit() != 0) throw new AssertionError(String.join(" ", cmd) + " failed in " + name + ": " + r.out());
        return r.out();
    }

    /** bin/jvirsh inside this namespace. */
    Result jvirsh(Path dir, String uri, List<String> args) throws Exception {
        return jvirsh(dir, uri, List.of(), args);
    }

    /** bin/jvirsh inside this namespace, its command line after prefix (an env setting, say). */
    Result jvirsh(Path dir, String uri, List<String> prefix, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(JVIRSH.toString(), "-c", uri));
        cmd.addAll(args);
        return exec(dir, cmd.toArray(String[]::new));
    }

    /** A process started inside the namespace (for a client to kill). */
    Process start(Path dir, List<String> cmd) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(cmd);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().put("LC_ALL", "C");
        return pb.start();
    }

    static Result run(List<String> cmd, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end in 120 s: " + cmd + ": " + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** The pids of the processes in this namespace. */
    List<Long> pids() throws Exception {
        List<Long> out = new ArrayList<>();
        for (String line : run(List.of("ip", "netns", "pids", name), null).out().split("\n")) {
            if (line.strip().matches("\\d+")) out.add(Long.parseLong(line.strip()));
        }
        return out;
    }

    /** The command lines of the processes in this namespace. */
    List<String> commandLines() throws Exception {
        List<String> out = new ArrayList<>();
        for (long pid : pids()) {
            try {
                out.add(Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ').trim());
            } catch (IOException e) {
                // ended meanwhile
            }
        }
        return out;
    }

    /** The pids of the processes in this namespace whose command line contains word. */
    List<Long> pidsOf(String word) throws Exception {
        List<Long> out = new ArrayList<>();
        for (long pid : pids()) {
            try {
                if (Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ').contains(word)) out.add(pid);
            } catch (IOException e) {
                // ended meanwhile
            }
        }
        return out;
    }

    private void remove() {
        try {
            for (int round = 0; round < 3; round++) {
                List<Long> pids = pids();
                if (pids.isEmpty()) break;
                for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                Thread.sleep(200);
            }
            run(List.of("ip", "netns", "del", name), null);
        } catch (Exception e) {
            System.err.println("could not remove network namespace " + name + ": " + e);
        }
    }

    @Override
    public void close() {
        remove();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }
}
