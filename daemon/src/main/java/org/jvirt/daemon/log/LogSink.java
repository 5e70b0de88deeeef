package org.jvirt.daemon.log;

/** Where the daemon's parts report what happens to clients (the daemon's log_outputs). */
@FunctionalInterface
public interface LogSink {
    void log(Level level, String message);

    /** Lines in libvirtd's format on standard error (for an embedded server and tests). */
    static LogSink stderr() {
        return (level, message) -> System.err.println(LogLine.now(level, message));
    }
}
