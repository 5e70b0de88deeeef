package org.jvirt.virsh.shell;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;

/**
 * What an unexpected exception becomes: one line for the user,
 * {@code internal error: <short message>; details in <log file>} (libvirt's "internal error: "
 * form), and the stack trace appended, timestamped, to a log file (directory 0700, file 0600).
 * Loaded only when something has gone wrong, so it costs nothing on the normal path.
 */
public final class InternalErrorLog {
    private InternalErrorLog() { }

    /** {@code $XDG_CACHE_HOME/jvirt/log}, else {@code ~/.cache/jvirt/log} (jvirt:///session's log directory). */
    public static Path defaultDir(Map<String, String> env) {
        String cache = env.get("XDG_CACHE_HOME");
        if (cache != null && !cache.isEmpty()) return Path.of(cache, "jvirt", "log");
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) home = System.getProperty("user.home");
        return Path.of(home, ".cache", "jvirt", "log");
    }

    /** Logs {@code t} to {@code DIR/PROGRAM.log}; returns the message to print after "error: ". */
    public static String report(Path dir, String program, Throwable t) {
        Path file = dir.resolve(program + ".log");
        String where;
        try {
            append(file, program, t);
            where = "details in " + file;
        } catch (IOException | RuntimeException | Error e) {
            where = "no details: cannot write " + file + " (" + e.getMessage() + ")";
        }
        return "internal error: " + shortMessage(t) + "; " + where;
    }

    /** The exception's class and the first line of its message, kept short. */
    static String shortMessage(Throwable t) {
        String m = t.getMessage();
        String s = t.getClass().getSimpleName();
        if (m != null && !m.isBlank()) {
            int nl = m.indexOf('\n');
            s += ": " + (nl >= 0 ? m.substring(0, nl) : m).strip();
        }
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static void append(Path file, String program, Throwable t) throws IOException {
        if (!Files.isDirectory(file.getParent())) {
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        try (OutputStream os = Channels.newOutputStream(Files.newByteChannel(file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))));
             PrintStream ps = new PrintStream(os, false, StandardCharsets.UTF_8)) {
            ps.println(OffsetDateTime.now() + " " + program + " (pid " + ProcessHandle.current().pid() + "): internal error");
            t.printStackTrace(ps);
            ps.println();
        }
    }
}
