package org.jvirt.daemon;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jvirt.daemon.cli.DaemonOptions;
import org.jvirt.daemon.config.ConfigException;
import org.jvirt.daemon.config.DaemonConfig;
import org.jvirt.daemon.config.DaemonPaths;
import org.jvirt.daemon.log.DaemonLog;
import org.jvirt.daemon.log.Level;
import org.jvirt.daemon.log.LogOutput;
import org.jvirt.daemon.log.LogOutputs;
import org.jvirt.daemon.server.DaemonServer;
import org.jvirt.daemon.server.ServerSettings;
import org.jvirt.rpc.tls.TlsContexts;
import org.jvirt.rpc.tls.TlsException;

/**
 * bin/jvirtd: libvirtd's command line and configuration, jvirt's drivers behind libvirt's
 * remote protocol. Exits 0 on SIGTERM/SIGINT after closing its listeners and clients; the
 * domains' jvirt-vmm processes keep running, and a restarted daemon serves them again.
 */
public final class Jvirtd {
    /** The version --version prints and the log names. */
    public static final String VERSION = "0.1.0";
    /** Set in the environment of the process a --daemon start re-launches detached. */
    static final String DETACHED = "JVIRTD_DETACHED";

    private Jvirtd() { }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.getenv(), System.out, System.err);
        } catch (RuntimeException e) {
            System.err.println("jvirtd: internal error: " + e);
            status = 1;
        }
        if (status >= 0) System.exit(status);
        // serving: the listeners and sessions run on daemon threads; this one holds the JVM up
        // until a signal runs the shutdown hook
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the daemon; returns the exit status, or -1 once serving (the JVM then lives on its threads). */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean privileged = "root".equals(System.getProperty("user.name"));
        DaemonOptions.Parsed parsed = DaemonOptions.parse(List.of(args), privileged, env, VERSION);
        if (parsed instanceof DaemonOptions.Exit e) {
            out.print(e.stdout());
            err.print(e.stderr());
            return e.status();
        }
        DaemonOptions o = ((DaemonOptions.Run) parsed).options();
        if (o.daemon() && env.get(DETACHED) == null) return Detach.relaunch(args, o, privileged, env, err);
        DaemonPaths paths = DaemonPaths.of(o.root(), privileged, env);
        List<String> warnings = new ArrayList<>();
        DaemonConfig cfg;
        try {
            cfg = o.config() != null ? DaemonConfig.load(o.config(), paths, warnings::add) : DaemonConfig.loadDefault(paths, warnings::add);
            cfg.requireSupported(o.listen());
        } catch (ConfigException e) {
            err.println(e.daemonMessage(o.config() != null ? o.config().toString() : paths.configFile().toString()));
            return 1;
        }
        DaemonLog log;
        try {
            Level level = o.verbose() ? Level.INFO : Level.WARNING;
            List<LogOutput> outputs = cfg.logOutputs() != null ? LogOutputs.parse(cfg.logOutputs(), Path.of("").toAbsolutePath())
                    : LogOutputs.defaults(o.daemon(), paths.logFile(), level);
            if (cfg.logOutputs() == null && o.daemon()) Files.createDirectories(paths.logFile().getParent());
            log = DaemonLog.open(outputs, err, VERSION);
        } catch (LogOutputs.Invalid | IOException e) {
            err.println("jvirtd: " + e.getMessage());
            return 1;
        }
        warnings.forEach(log::warning);
        Path pidFile = o.pidFile() != null ? o.pidFile() : paths.pidFile();
        FileLock pidLock;
        try {
            pidLock = PidFile.acquire(pidFile);
        } catch (IOException e) {
            log.error(e.getMessage());
            return 1;
        }
        DaemonServer server;
        try {
            server = new DaemonServer(settings(o, cfg, o.root()), org.jvirt.daemon.activation.SocketActivation.listeners(env), log);
            server.start();
            PidFile.write(pidLock);
            org.jvirt.daemon.activation.SocketActivation.notifyReady(env);
        } catch (TlsException | ConfigException | IOException e) {
            log.error(e.getMessage());
            PidFile.release(pidFile, pidLock);
            return 1;
        }
        log.info("jvirtd " + VERSION + " listening on " + String.join(", ", server.describeListeners()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            PidFile.release(pidFile, pidLock);
            log.close();
        }, "jvirtd-shutdown"));
        if (o.timeout() > 0) Timeout.watch(server, o.timeout());
        return -1;
    }

    static ServerSettings settings(DaemonOptions o, DaemonConfig cfg, Path root) throws ConfigException, TlsException {
        boolean tcp = o.listen() && cfg.listenTcp();
        boolean tls = o.listen() && cfg.listenTls();
        return new ServerSettings(root, cfg.unixSockDir(), perms(cfg.unixSockRwMode()), perms(cfg.unixSockRoMode()), cfg.unixSockGroup(),
                cfg.listenAddr(), tcp ? port(cfg.tcpPort(), "tcp_port") : -1, tls ? port(cfg.tlsPort(), "tls_port") : -1,
                tls ? TlsContexts.server(cfg.caFile(), cfg.certFile(), cfg.keyFile()) : null, cfg.tlsAllowedDnList(),
                (int) Math.min(Integer.MAX_VALUE, cfg.maxClients()), (int) Math.min(1000, Math.max(1, cfg.maxWorkers())),
                cfg.keepaliveInterval(), (int) Math.min(Integer.MAX_VALUE, cfg.keepaliveCount()), cfg.migrationListen());
    }

    /** A service name or number, as libvirtd takes tcp_port and tls_port ("16509"). */
    private static int port(String value, String key) throws ConfigException {
        try {
            int p = Integer.parseInt(value.strip());
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new ConfigException("Unable to resolve " + key + " '" + value + "': Servname not supported for ai_socktype");
        }
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) if ((mode & (1 << bit)) != 0) s.add(order[bit]);
        return s;
    }

    /** The pid file: created, locked for the daemon's life (a second jvirtd fails as a second libvirtd does), removed at exit. */
    static final class PidFile {
        private PidFile() { }

        static FileLock acquire(Path file) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new IOException("Failed to acquire pid file '" + file + "': Resource temporarily unavailable");
            }
            ch.truncate(0);
            return lock;
        }

        /** Writes the pid once the daemon serves (a --daemon parent waits for it). */
        static void write(FileLock lock) throws IOException {
            FileChannel ch = lock.channel();
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
        }

        static void release(Path file, FileLock lock) {
            try {
                Files.deleteIfExists(file);
                lock.channel().close();
            } catch (IOException ignored) {
                // the pid file goes with the run directory anyway
            }
        }
    }

    /** --timeout SECS: exits once no client has been connected for that long. */
    static final class Timeout {
        private Timeout() { }

        static void watch(DaemonServer server, int seconds) {
            Thread t = new Thread(() -> {
                while (true) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (server.idleSeconds() >= seconds) System.exit(0);
                }
            }, "jvirtd-timeout");
            t.setDaemon(true);
            t.start();
        }
    }

    /** --daemon: the same command again, detached (setsid, stdio to /dev/null); returns once it serves or failed. */
    static final class Detach {
        private Detach() { }

        static int relaunch(String[] args, DaemonOptions o, boolean privileged, Map<String, String> env, PrintStream err) {
            Path pidFile = o.pidFile() != null ? o.pidFile() : DaemonPaths.of(o.root(), privileged, env).pidFile();
            List<String> cmd = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Jvirtd.class.getName()));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put(DETACHED, "1");
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            try {
                Process p = pb.start();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (System.nanoTime() < deadline) {
                    if (!p.isAlive()) {
                        err.println("jvirtd: the daemon exited at start with status " + p.exitValue() + " (see its log)");
                        return 1;
                    }
                    if (Files.exists(pidFile) && Files.readString(pidFile).strip().equals(String.valueOf(p.pid()))) return 0;
                    Thread.sleep(50);
                }
                err.println("jvirtd: the daemon did not start within 30 s");
                return 1;
            } catch (IOException | InterruptedException e) {
                err.println("jvirtd: cannot start the daemon: " + e.getMessage());
                return 1;
            }
        }
    }
}
