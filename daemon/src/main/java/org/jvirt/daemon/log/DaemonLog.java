package org.jvirt.daemon.log;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * jvirtd's log: every message goes to each output whose level it reaches, as libvirtd's
 * lines ({@link LogLine}). Each output starts, as libvirtd's do, with two info lines naming the
 * version and the host, written with its first message. journald is reached through syslog (journald reads /dev/log).
 */
public final class DaemonLog implements AutoCloseable, LogSink {
    private final List<LogOutput> outputs;
    private final List<OutputStream> streams = new ArrayList<>();
    private final PrintStream stderr;
    private final java.util.Set<Integer> started = new java.util.HashSet<>();
    private String version;

    private DaemonLog(List<LogOutput> outputs, PrintStream stderr) {
        this.outputs = outputs;
        this.stderr = stderr;
    }

    /**
     * Opens the outputs; a file that cannot be opened fails as libvirt's does ("failed to open
     * /var/log/x: Is a directory"). {@code version} is the line "jvirtd version: ..." names.
     */
    public static DaemonLog open(List<LogOutput> outputs, PrintStream stderr, String version) throws IOException {
        DaemonLog log = new DaemonLog(List.copyOf(outputs), stderr);
        for (LogOutput o : log.outputs) {
            switch (o.destination()) {
                case FILE -> {
                    Path p = Path.of(o.name());
                    try {
                        log.streams.add(Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                                StandardOpenOption.WRITE));
                    } catch (IOException e) {
                        throw new IOException("failed to open " + p + ": " + reason(p, e), e);
                    }
                }
                case STDERR -> log.streams.add(stderr);
                case SYSLOG -> {
                    Syslog.open(o.name());
                    log.streams.add(null);
                }
                case JOURNALD -> {
                    Syslog.open("jvirtd");
                    log.streams.add(null);
                }
            }
        }
        log.version = version;
        return log;
    }

    private static String reason(Path p, IOException e) {
        if (Files.isDirectory(p)) return "Is a directory";
        if (e instanceof java.nio.file.NoSuchFileException) return "No such file or directory";
        if (e instanceof java.nio.file.AccessDeniedException) return "Permission denied";
        return e.getMessage();
    }

    /** libvirtd's two first lines of an output, written just before its first message. */
    private List<String> header() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return List.of(LogLine.now(Level.INFO, "jvirt version: " + version), LogLine.now(Level.INFO, "hostname: " + host));
    }

    public void debug(String m) { log(Level.DEBUG, m); }
    public void info(String m) { log(Level.INFO, m); }
    public void warning(String m) { log(Level.WARNING, m); }
    public void error(String m) { log(Level.ERROR, m); }

    /** Writes {@code message} to every output that takes {@code level}. */
    public synchronized void log(Level level, String message) {
        String line = LogLine.now(level, message) + "\n";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < outputs.size(); i++) {
            LogOutput o = outputs.get(i);
            if (!o.accepts(level)) continue;
            OutputStream s = streams.get(i);
            try {
                if (s == null) {
                    Syslog.log(level, message);
                } else {
                    if (started.add(i)) {
                        for (String h : header()) s.write((h + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    s.write(bytes);
                    s.flush();
                }
            } catch (IOException e) {
                // a log that cannot be written must not stop the daemon
            }
        }
    }

    @Override
    public synchronized void close() {
        for (OutputStream s : streams) {
            if (s == null || s == stderr) continue;
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
