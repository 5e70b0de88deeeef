package org.jvirt.driver.jvirt;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.launch.LaunchSpec;

/**
 * Starts a domain's jvirt-vmm the way libvirt starts QEMU: detached in its own session
 * ({@code setsid}), stdin from /dev/null, stdout and stderr appended to the domain's log, and
 * waits until the control socket greets. The VMM outlives the client that started it.
 */
final class VmmLauncher {

    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /** What a started VMM is: its pid and start time (to recognise it later), and its pty if any. */
    record Started(long pid, long startMillis, String ptyPath) { }

    private final Path vmm;

    VmmLauncher(Path vmm) {
        this.vmm = vmm;
    }

    /**
     * Where jvirt-vmm is: the system property jvirt.vmm, then $JVIRT_VMM, then bin/jvirt-vmm of
     * the source tree this driver was built in (found from the code's location), then PATH.
     */
    static Path locate(Map<String, String> env) {
        String p = System.getProperty("jvirt.vmm");
        if (p == null || p.isEmpty()) p = env.get("JVIRT_VMM");
        if (p != null && !p.isEmpty()) return Path.of(p);
        try {
            Path here = Path.of(VmmLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = here; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("bin").resolve("jvirt-vmm");
                if (Files.isExecutable(candidate)) return candidate;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to PATH
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, "jvirt-vmm");
            if (Files.isExecutable(candidate)) return candidate;
        }
        return Path.of("jvirt-vmm");
    }

    /**
     * Spawns the VMM of domain NAME (whose {@code starting} status is recorded) and waits for it.
     * A fresh start token in its pid file ties the VMM to this start (see {@link VmmPidFile}).
     * env: variables set for the VMM on top of this process's (e.g. TZ for its RTC).
     */
    Started start(String name, LaunchSpec spec, Map<String, String> env, JvirtPaths paths) throws LibvirtException {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.add(vmm.toString());
        Path log = paths.log(name);
        String token;
        try {
            token = VmmPidFile.prepare(paths.pidFile(name));
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "Failed to acquire pid file '" + paths.pidFile(name) + "': " + DamagedFiles.reason(e));
        }
        if (token == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_FAILED, ErrorDomain.VIR_FROM_QEMU,
                    "domain '" + name + "' already has a running jvirt-vmm: " + paths.pidFile(name) + " is locked");
        }
        cmd.addAll(spec.withStartToken(token).toArgs());
        Process p;
        try {
            PrivateDirs.ensureLog(log); // 0600 in a 0700 directory, whatever the umask
            // safe only now: no VMM holds the pid file lock, so these are leftovers
            Files.deleteIfExists(paths.exitFile(name));
            Files.deleteIfExists(paths.monitor(name));
            Files.writeString(log, Instant.now() + ": starting up\n" + String.join(" ", cmd) + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            p = pb.start();
        } catch (IOException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_QEMU,
                    "Cannot run " + vmm + ": " + e.getMessage());
        }
        long startMillis = p.toHandle().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Path socket = paths.monitor(name);
        while (true) {
            if (Files.exists(socket)) {
                try (ControlClient c = ControlClient.connect(socket, Duration.ofSeconds(10))) {
                    return new Started(p.pid(), startMillis, c.call(new Command.QueryChardev()).ptyPath());
                } catch (IOException e) {
                    // not listening yet, or the process is going away: check below
                }
            }
            if (!p.isAlive()) {
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU,
                        "process exited while connecting to monitor: " + lastLine(log));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                try {
                    p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new LibvirtException(ErrorNumber.VIR_ERR_OPERATION_TIMEOUT, ErrorDomain.VIR_FROM_QEMU,
                        "jvirt-vmm did not answer on its control socket within " + START_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LibvirtException(ErrorNumber.VIR_ERR_INTERNAL_ERROR, ErrorDomain.VIR_FROM_QEMU, "interrupted");
            }
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) if (!lines.get(i).isBlank()) return lines.get(i).trim();
        } catch (IOException ignored) {
            // no log to quote
        }
        return "(no output)";
    }
}
