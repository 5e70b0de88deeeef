package org.jvirt.virsh.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvirt.virsh.Main;

/**
 * Issue 9 gate e, the console half: the Debian kernel with the shell initrd
 * (test-fixtures/target/linux/initrd-shell.img) runs as a {@code <domain type='qemu'>} (the
 * pure-Java emulator, no KVM), and its busybox shell answers through {@code jvirsh console}, run
 * as its own process with pipes as a user would: a command's output comes back, {@code exit} ends
 * the shell, /init powers off and the domain is shut off (shutdown). About a minute of boot on
 * 2 cores; skipped when the Linux image was not built (target/linux/UNAVAILABLE).
 */
class LinuxShellConsoleVirshTest {
    static final Path LINUX = Path.of("..", "test-fixtures", "target", "linux").toAbsolutePath().normalize();
    static final long BOOT_WITHIN_MS = 300_000;
    static final long STEP_WITHIN_MS = 60_000;

    private Path work;
    private String uri;
    private String previousVmm;
    private Process console;

    @Test
    void theShellAnswersThroughJvirshConsoleAndExitingItShutsTheDomainOff() throws Exception {
        Path kernel = require("vmlinux");
        Path initrd = require("initrd-shell.img");
        // a short directory: the VMM's control socket lives under it (sun_path is 108 bytes)
        work = Files.createTempDirectory(Path.of("/tmp"), "jl");
        uri = "jvirt:///embed?root=" + work.resolve("root");
        previousVmm = System.setProperty("jvirt.vmm", org.jvirt.virsh.testing.VmmLauncher.script(work).toString());
        Files.writeString(work.resolve("shell.xml"), "<domain type='qemu'>\n  <name>shell</name>\n"
                + "  <memory unit='MiB'>512</memory>\n  <vcpu>1</vcpu>\n  <os>\n"
                + "    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>" + kernel + "</kernel>\n"
                + "    <initrd>" + initrd + "</initrd>\n    <cmdline>console=ttyS0 panic=-1 nokaslr</cmdline>\n  </os>\n"
                + "  <devices>\n    <serial type='pty'>\n      <target port='0'/>\n    </serial>\n"
                + "    <console type='pty'>\n      <target type='serial' port='0'/>\n    </console>\n  </devices>\n</domain>\n");
        assertEquals("0", virsh("define shell.xml")[0]);
        String[] started = virsh("start shell");
        assertEquals("0", started[0], Arrays.toString(started));
        long t0 = System.nanoTime();

        console = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "-c", uri, "console", "shell")).redirectErrorStream(true).start();
        ConsoleReader out = new ConsoleReader(console.getInputStream());
        OutputStream in = console.getOutputStream();

        int ready = out.awaitText("JVIRT-GUEST-READY", 0, BOOT_WITHIN_MS);
        int prompt = out.awaitText("# ", ready, STEP_WITHIN_MS);
        double bootSeconds = (System.nanoTime() - t0) / 1e9;
        in.write("echo shell-$((6*7))\r".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        out.awaitText("shell-42", prompt, STEP_WITHIN_MS);
        in.write("exit\r".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        assertTrue(console.waitFor(STEP_WITHIN_MS, TimeUnit.MILLISECONDS),
                "jvirsh console still attached after the shell exited; console:\n" + out.tail(40));
        assertEquals(0, console.exitValue(), out.tail(40));
        assertEquals("shut off (shutdown)\n\n", stateOnceStopped(), out.tail(40));
        System.out.printf("[linux] type='qemu' shell domain: prompt on jvirsh console after %.1f s, shut off after %.1f s%n",
                bootSeconds, (System.nanoTime() - t0) / 1e9);
    }

    @AfterEach
    void tearDown() throws IOException, InterruptedException {
        if (console != null && console.isAlive()) {
            console.destroyForcibly();
            console.waitFor(10, TimeUnit.SECONDS);
        }
        if (work == null) return;
        try {
            virsh("destroy shell");
        } finally {
            if (previousVmm == null) System.clearProperty("jvirt.vmm"); else System.setProperty("jvirt.vmm", previousVmm);
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** domstate --reason, waiting (a little) while the driver still records the VMM's end. */
    private String stateOnceStopped() throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        String state = virsh("domstate --reason shell")[1];
        while (state.startsWith("running") && System.currentTimeMillis() < end) {
            Thread.sleep(100);
            state = virsh("domstate --reason shell")[1];
        }
        return state;
    }

    /** The file from test-fixtures/target/linux, or the test is skipped with the reason. */
    static Path require(String name) throws IOException {
        Path why = LINUX.resolve("UNAVAILABLE");
        if (Files.isRegularFile(why))
            assumeTrue(false, "skipped: the Linux guest could not be built: " + Files.readString(why).strip());
        Path f = LINUX.resolve(name);
        assumeTrue(Files.isRegularFile(f) && Files.isRegularFile(LINUX.resolve(".complete")),
                "skipped: " + f + " is not built (build test-fixtures without -Djvirt.linux=false)");
        return f;
    }

    private String[] virsh(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", uri, line}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), work);
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    /** Collects what jvirsh console prints, so the test can wait for a text after a position. */
    static final class ConsoleReader {
        private final StringBuilder seen = new StringBuilder();

        ConsoleReader(InputStream in) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (seen) {
                            seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                            seen.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "jvirsh-console-reader");
            t.setDaemon(true);
            t.start();
        }

        /** Waits for text at or after from; returns the index just past it. */
        int awaitText(String text, int from, long withinMs) throws InterruptedException {
            long end = System.currentTimeMillis() + withinMs;
            synchronized (seen) {
                int at;
                while ((at = seen.indexOf(text, from)) < 0) {
                    long left = end - System.currentTimeMillis();
                    if (left <= 0) throw new AssertionError("no '" + text + "' within " + withinMs + " ms; console:\n" + tail(40));
                    seen.wait(left);
                }
                return at + text.length();
            }
        }

        String tail(int lines) {
            String[] all;
            synchronized (seen) {
                all = seen.toString().replace("\r\n", "\n").split("\n");
            }
            return String.join("\n", Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
        }
    }
}
