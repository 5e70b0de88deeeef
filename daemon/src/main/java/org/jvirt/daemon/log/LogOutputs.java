package org.jvirt.daemon.log;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * libvirt's log_outputs syntax: entries separated by spaces, each "LEVEL:stderr",
 * "LEVEL:journald", "LEVEL:syslog:IDENT" or "LEVEL:file:PATH" with LEVEL 1 (debug) to 4 (error).
 * Accepts and refuses what libvirt 9.0 does, with its messages (checked against libvirtd): only
 * spaces separate entries, ':' is never part of a path, a relative path is taken from the current
 * directory, an empty string means no outputs (the defaults).
 */
public final class LogOutputs {
    private LogOutputs() {
    }

    /** A refused log_outputs, worded as libvirt ("invalid argument: Invalid log priority '0' for log output '0:stderr'"). */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super("invalid argument: " + message);
        }
    }

    public static List<LogOutput> parse(String spec, Path cwd) throws Invalid {
        List<LogOutput> out = new ArrayList<>();
        for (String entry : spec.split(" ")) {
            if (!entry.isEmpty()) out.add(parseOne(entry, cwd));
        }
        return List.copyOf(out);
    }

    private static LogOutput parseOne(String entry, Path cwd) throws Invalid {
        String[] tokens = entry.split(":", -1);
        if (tokens.length < 2) throw new Invalid("Malformed format for log output '" + entry + "'");
        Level level = level(tokens[0]);
        if (level == null) throw new Invalid("Invalid log priority '" + tokens[0] + "' for log output '" + entry + "'");
        LogOutput.Destination dest = null;
        for (LogOutput.Destination d : LogOutput.Destination.values()) {
            if (d.word().equals(tokens[1])) dest = d;
        }
        if (dest == null) throw new Invalid("Invalid log destination '" + tokens[1] + "' for log output '" + entry + "'");
        if (tokens.length != (dest.named() ? 3 : 2)) {
            throw new Invalid("Log output '" + entry + "' does not meet the format requirements for destination type '"
                    + dest.word() + "'");
        }
        String name = null;
        if (dest == LogOutput.Destination.FILE) name = cwd.resolve(tokens[2]).normalize().toString();
        if (dest == LogOutput.Destination.SYSLOG) name = tokens[2];
        return new LogOutput(level, dest, name);
    }

    /** "3", "+3", "03" are 3; anything else (or outside 1..4) is no level. */
    private static Level level(String s) {
        String digits = s.startsWith("+") ? s.substring(1) : s;
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) return null;
        return Level.of(Integer.parseInt(digits));
    }

    /** Outputs written back in log_outputs syntax. */
    public static String format(List<LogOutput> outputs) {
        return outputs.stream().map(LogOutput::toString).collect(Collectors.joining(" "));
    }

    /**
     * What libvirtd logs to without log_outputs: a daemon (--daemon) to its log file, otherwise
     * stderr, at {@code level} (libvirtd's default is warning).
     */
    public static List<LogOutput> defaults(boolean daemon, Path logFile, Level level) {
        return List.of(daemon ? new LogOutput(level, LogOutput.Destination.FILE, logFile.toString())
                : new LogOutput(level, LogOutput.Destination.STDERR, null));
    }
}
