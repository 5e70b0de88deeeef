package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.testing.GuestImages;

/**
 * A network namespace of a test's own (jvirt-t-RANDOM), so that taps, bridges and addresses
 * never touch the host's interfaces; jvirt-vmm processes run inside it through `ip netns exec`.
 * {@link #close} kills what it started and deletes the namespace (its taps and bridges go with it).
 */
final class NetNamespace implements AutoCloseable {
    final String name = "jvirt-t-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFFL);
    private final List<Process> processes = new ArrayList<>();

    /** Skips the test (with the reason) when not root or without ip/ping/netns. */
    static NetNamespace create() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "skipped: network namespaces need root");
        assumeTrue(GuestImages.onPath("ip") && GuestImages.onPath("ping"), "skipped: needs ip (iproute2) and ping (iputils-ping)");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "skipped: no /dev/net/tun");
        NetNamespace ns = new NetNamespace();
        Process p = new ProcessBuilder("ip", "netns", "add", ns.name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor() == 0, "skipped: ip netns add failed: " + out.trim());
        ns.run("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Runs a command in the namespace; returns its exit status (output to the test's stdout). */
    int exec(String... cmd) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(cmd));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        System.out.print(out);
        return p.exitValue();
    }

    /** Runs a command in the namespace that must succeed; returns its output. */
    String output(String... cmd) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(cmd));
        Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
        return out;
    }

    /** Runs a command in the namespace that must succeed. */
    void run(String... cmd) throws Exception {
        assertEquals(0, exec(cmd), String.join(" ", cmd));
    }

    /** ping -c count -W 2 to address in the namespace: true when every echo was answered. */
    boolean ping(String address, int count) throws Exception {
        return exec("ping", "-c", Integer.toString(count), "-i", "0.3", "-W", "2", address) == 0;
    }

    /** Starts jvirt-vmm (this test run's classes) in the namespace, its output to out. */
    Process startVmm(Path out, List<String> args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name, java, "-cp", System.getProperty("java.class.path"),
                "org.jvirt.vmm.cli.JvirtVmmMain"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(p);
        return p;
    }

    /** Waits up to 60 s for text in file (a serial log; its "\r\n" read as "\n"). */
    static void await(Path file, String text, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!serial(file).contains(text)) {
            assertTrue(p.isAlive(), "jvirt-vmm ended before '" + text.trim() + "': " + serial(file));
            assertTrue(System.nanoTime() < end, "never saw '" + text.trim() + "': " + serial(file));
            Thread.sleep(50);
        }
    }

    static String serial(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file).replace("\r\n", "\n") : "";
    }

    @Override
    public void close() throws Exception {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        new ProcessBuilder("ip", "netns", "delete", name).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
