package org.jvirt.daemon.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * libvirtd's log line: "2026-12-03 11:29:16.423+0000: 22498: info : message", UTC with
 * milliseconds, then the thread id (libvirtd's main thread id is its pid; jvirtd writes its pid),
 * the priority word and the message.
 */
public final class LogLine {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'+0000'").withZone(ZoneOffset.UTC);

    private LogLine() {
    }

    public static String format(Instant when, long id, Level level, String message) {
        return TIME.format(when) + ": " + id + ": " + level.word() + " : " + message;
    }

    /** A line for now from this process. */
    public static String now(Level level, String message) {
        return format(Instant.now(), ProcessHandle.current().pid(), level, message);
    }
}
