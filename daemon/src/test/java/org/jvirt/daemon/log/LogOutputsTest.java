package org.jvirt.daemon.log;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogOutputsTest {
    private static final Path LIBVIRTD = Path.of("/usr/sbin/libvirtd");
    private static final Pattern LINE = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000: \\d+: (debug|info|warning|error) : .*$");

    @TempDir
    Path tmp;

    @Test
    void parsesAndWritesBackLibvirtsSyntax() throws Exception {
        List<LogOutput> o = LogOutputs.parse("  3:file:/var/log/j.log 1:stderr  +4:syslog:jvirtd 02:journald 4:file:rel.log", tmp);
        assertEquals(List.of(new LogOutput(Level.WARNING, LogOutput.Destination.FILE, "/var/log/j.log"),
                new LogOutput(Level.DEBUG, LogOutput.Destination.STDERR, null),
                new LogOutput(Level.ERROR, LogOutput.Destination.SYSLOG, "jvirtd"),
                new LogOutput(Level.INFO, LogOutput.Destination.JOURNALD, null),
                new LogOutput(Level.ERROR, LogOutput.Destination.FILE, tmp.resolve("rel.log").toString())), o);
        assertEquals("3:file:/var/log/j.log 1:stderr 4:syslog:jvirtd 2:journald 4:file:" + tmp.resolve("rel.log"),
                LogOutputs.format(o));
        assertEquals(List.of(), LogOutputs.parse("", tmp));
        assertTrue(o.get(0).accepts(Level.ERROR));
        assertFalse(o.get(0).accepts(Level.INFO));
        assertEquals("3:stderr", LogOutputs.format(LogOutputs.defaults(false, tmp.resolve("x.log"), Level.WARNING)));
        assertEquals("2:file:" + tmp.resolve("x.log"), LogOutputs.format(LogOutputs.defaults(true, tmp.resolve("x.log"), Level.INFO)));
    }

    /** log_outputs values libvirtd 9.0 refuses, with its messages. */
    private static final String[][] BAD = {
        {"1:stderr:x", "invalid argument: Log output '1:stderr:x' does not meet the format requirements for destination type 'stderr'"},
        {"0:stderr", "invalid argument: Invalid log priority '0' for log output '0:stderr'"},
        {"5:stderr", "invalid argument: Invalid log priority '5' for log output '5:stderr'"},
        {"3x:stderr", "invalid argument: Invalid log priority '3x' for log output '3x:stderr'"},
        {"3:STDERR", "invalid argument: Invalid log destination 'STDERR' for log output '3:STDERR'"},
        {"1:bogus", "invalid argument: Invalid log destination 'bogus' for log output '1:bogus'"},
        {"1:file", "invalid argument: Log output '1:file' does not meet the format requirements for destination type 'file'"},
        {"1:syslog", "invalid argument: Log output '1:syslog' does not meet the format requirements for destination type 'syslog'"},
        {"3:syslog:a:b", "invalid argument: Log output '3:syslog:a:b' does not meet the format requirements for destination type 'syslog'"},
        {"3:file:/tmp/x:y.log", "invalid argument: Log output '3:file:/tmp/x:y.log' does not meet the format requirements for destination type 'file'"},
        {" 3 :stderr", "invalid argument: Malformed format for log output '3'"},
        {"3:stderr,4:stderr", "invalid argument: Invalid log destination 'stderr,4' for log output '3:stderr,4:stderr'"},
        {"3:stderr\t4:stderr", "invalid argument: Invalid log destination 'stderr\t4' for log output '3:stderr\t4:stderr'"},
    };

    @Test
    void refusalsAreWordedAsLibvirts() {
        for (String[] c : BAD) {
            LogOutputs.Invalid e = assertThrows(LogOutputs.Invalid.class, () -> LogOutputs.parse(c[0], tmp), c[0]);
            assertEquals(c[1], e.getMessage());
        }
    }

    /** libvirtd (no drivers, private sockets, exits after 1 s idle) with this log_outputs: its stderr. */
    private String libvirtd(String logOutputs, int n, String... extra) throws Exception {
        Path run = Files.createDirectories(tmp.resolve("lv" + n));
        Files.createDirectories(run.resolve("sock"));
        Files.createDirectories(run.resolve("drivers"));
        Path conf = run.resolve("libvirtd.conf");
        Files.writeString(conf, "unix_sock_dir = \"" + run.resolve("sock") + "\"\nlisten_tcp = 0\nlisten_tls = 0\n"
                + "log_outputs = \"" + logOutputs + "\"\n");
        ProcessBuilder pb = new ProcessBuilder(LIBVIRTD.toString(), "-f", conf.toString(), "-p", run.resolve("pid").toString(),
                "-t", "1").redirectErrorStream(true).directory(run.toFile());
        pb.command().addAll(List.of(extra));
        pb.environment().put("LIBVIRT_DRIVER_DIR", run.resolve("drivers").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void libvirtdRefusesTheSameWithTheSameMessages() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(LIBVIRTD), "skipped: no real libvirtd (Debian's libvirt-daemon)");
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < BAD.length; i++) {
            String out = libvirtd(BAD[i][0], i);
            Matcher m = Pattern.compile("error : (.*)").matcher(out);
            String theirs = m.find() ? m.group(1) : out;
            if (!theirs.equals(BAD[i][1])) diffs.add(BAD[i][0] + "\n  libvirtd: " + theirs + "\n  jvirtd:   " + BAD[i][1]);
        }
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }

    @Test
    void logLinesHaveLibvirtdsShape() throws Exception {
        assertEquals("2026-12-03 11:29:16.423+0000: 4242: info : hello",
                LogLine.format(Instant.parse("2026-12-03T11:29:16.423Z"), 4242, Level.INFO, "hello"));
        Path ours = tmp.resolve("jvirtd.log");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (DaemonLog log = DaemonLog.open(LogOutputs.parse("2:file:" + ours + " 4:stderr", tmp),
                new PrintStream(err, true, StandardCharsets.UTF_8), "9.0.0")) {
            log.debug("not written");
            log.warning("written to the file only");
            log.error("written to both");
        }
        List<String> lines = Files.readAllLines(ours);
        assertEquals(4, lines.size(), String.join("\n", lines));
        for (String l : lines) assertTrue(LINE.matcher(l).matches(), l);
        assertTrue(lines.get(0).endsWith(": " + ProcessHandle.current().pid() + ": info : jvirt version: 9.0.0"), lines.get(0));
        assertTrue(lines.get(1).contains(": info : hostname: "), lines.get(1));
        assertTrue(lines.get(2).endsWith(": warning : written to the file only"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(3, e.lines().count(), e); // its own two first lines, then the one error
        assertTrue(e.strip().endsWith(": error : written to both"), e);

        java.io.IOException dir = assertThrows(java.io.IOException.class,
                () -> DaemonLog.open(LogOutputs.parse("3:file:" + tmp, tmp), System.err, "9.0.0"));
        assertEquals("failed to open " + tmp + ": Is a directory", dir.getMessage());

        if (Files.isExecutable(LIBVIRTD)) {
            // libvirtd's own first lines in a file output have the same shape
            Path theirs = tmp.resolve("libvirtd.log");
            libvirtd("2:file:" + theirs, 99, "-v");
            List<String> t = Files.readAllLines(theirs);
            assertTrue(t.size() >= 2, String.join("\n", t));
            assertTrue(LINE.matcher(t.get(0)).matches() && t.get(0).contains(": info : libvirt version: "), t.get(0));
            assertTrue(LINE.matcher(t.get(1)).matches() && t.get(1).contains(": info : hostname: "), t.get(1));
        }
    }

    @Test
    void syslogOutputReachesLibcSyslog() throws Exception {
        // a binding check only (JNA to syslog(3)); whether a syslog daemon stores it is the host's business
        try (DaemonLog log = DaemonLog.open(LogOutputs.parse("4:syslog:jvirtd-test", tmp), System.err, "9.0.0")) {
            assertDoesNotThrow(() -> log.error("jvirtd log test"));
        }
    }
}
