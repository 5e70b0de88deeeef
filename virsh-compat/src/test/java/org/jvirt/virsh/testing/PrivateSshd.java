package org.jvirt.virsh.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private OpenSSH server on 127.0.0.1 for transport tests: its own host key, one client key
 * authorised for root (key only), config, pid file and logs in a temp directory; the system's
 * sshd configuration and keys are not used. Clients reach it through wrapper scripts given as
 * the URI's {@code command=} (libvirt's own parameter): each logs the arguments it was given,
 * then runs the system's ssh with a client config that keeps known_hosts in the temp directory,
 * so no test writes to ~/.ssh.
 */
public final class PrivateSshd implements AutoCloseable {
    public static final Path SSHD = Path.of("/usr/sbin/sshd");
    public static final Path SSH = Path.of("/usr/bin/ssh");
    public static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    public static final Path NC = Path.of("/usr/bin/nc");

    public final Path dir;
    public final int port;
    /** The key sshd accepts for root, and one it does not. */
    public final Path clientKey;
    public final Path strangerKey;
    /** A wrapper whose known_hosts already holds this server's key. */
    public final Path sshKnown;
    /** A wrapper to which every host is unknown (UserKnownHostsFile=/dev/null). */
    public final Path sshFresh;
    private final Path argvDir;
    private final Process sshd;

    /** Why the test cannot run here, or null when it can. */
    public static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) return "needs root (sshd logs in as root with a key)";
        for (Path p : List.of(SSHD, SSH, SSH_KEYGEN, NC)) {
            if (!Files.isExecutable(p)) return p + " is not installed (openssh-server, openssh-client, netcat-openbsd)";
        }
        return null;
    }

    public PrivateSshd(Path dir) throws Exception {
        this.dir = dir;
        keygen(dir.resolve("hostkey"));
        clientKey = keygen(dir.resolve("clientkey"));
        strangerKey = keygen(dir.resolve("strangerkey"));
        Files.copy(dir.resolve("clientkey.pub"), dir.resolve("authorized_keys"));
        argvDir = Files.createDirectories(dir.resolve("argv"));
        // sshd refuses to start without its privilege separation directory (the package's unit makes it)
        Files.createDirectories(Path.of("/run/sshd"));
        Process started = null;
        int chosen = 0;
        for (int attempt = 0; attempt < 3 && started == null; attempt++) {
            chosen = freePort();
            started = start(chosen);
        }
        if (started == null) throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
        sshd = started;
        port = chosen;
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("hostkey.pub")));
        sshKnown = wrapper("ssh-known", dir.resolve("known_hosts").toString());
        sshFresh = wrapper("ssh-fresh", "/dev/null");
    }

    private Process start(int port) throws Exception {
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "HostKey " + dir.resolve("hostkey"),
                "ListenAddress 127.0.0.1",
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "PidFile " + dir.resolve("sshd.pid"),
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PrintMotd no",
                // root's bash sources ~/.bashrc when sshd runs it (Debian's SSH_SOURCE_BASHRC) unless
                // it is not the top-level shell: the far side's command then owes nothing to
                // root's dotfiles (a slow or chatty .bashrc)
                "SetEnv SHLVL=1",
                ""));
        Path log = dir.resolve("sshd.log");
        Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString(), "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains("Server listening on 127.0.0.1 port " + port)) return p;
            if (!p.isAlive()) return null; // the port was taken meanwhile: try another
            Thread.sleep(20);
        }
        p.destroyForcibly();
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Path keygen(Path key) throws Exception {
        Process p = new ProcessBuilder(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "jvirt-test", "-f", key.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("ssh-keygen failed: " + out);
        return key;
    }

    /** A script that logs its arguments (one a line, in argv/PID) and runs ssh with its own client config. */
    private Path wrapper(String name, String knownHosts) throws IOException {
        Path config = Files.writeString(dir.resolve(name + ".config"),
                "UserKnownHostsFile " + knownHosts + "\nGlobalKnownHostsFile /dev/null\n");
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argvDir + "'/$$\nexec " + SSH + " -F '" + config + "' \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Forgets the arguments logged so far. */
    public void clearArgv() throws IOException {
        try (Stream<Path> all = Files.list(argvDir)) {
            for (Path p : all.toList()) Files.delete(p);
        }
    }

    /** The argument lists ssh was given since the last clear, one per run. */
    public List<String> argv() throws IOException {
        try (Stream<Path> all = Files.list(argvDir)) {
            return all.sorted().map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** Ends every session this sshd serves (its per-connection processes and their commands), as a dropped link would. */
    public void dropSessions() {
        for (ProcessHandle child : sshd.toHandle().descendants().toList()) child.destroyForcibly();
    }

    @Override
    public void close() throws Exception {
        sshd.destroy();
        if (!sshd.waitFor(5, TimeUnit.SECONDS)) sshd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
