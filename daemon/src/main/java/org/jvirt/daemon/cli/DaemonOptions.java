package org.jvirt.daemon.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jvirt.daemon.config.DaemonPaths;
import org.jvirt.daemon.log.Level;
import org.jvirt.daemon.log.LogLine;

/**
 * jvirtd's command line: libvirtd's options (--listen/-l, --config/-f FILE, --pid-file/-p FILE,
 * --daemon/-d, --timeout/-t SECS, --verbose/-v, --help/-h, --version/-V) plus --root DIR, read
 * as libvirtd reads them (GNU getopt_long: bundled short options, attached or separate values,
 * --name=value, unambiguous prefixes of long names, "--" ends the options) and answered as
 * libvirtd answers: --help to stderr, --version to stdout, both at once in argument order; bad
 * options with glibc's message then the usage on stderr, status 1.
 */
public final class DaemonOptions {
    public static final String NAME = "jvirtd";

    /** What to do: run with these options, or exit at once with this output. */
    public sealed interface Parsed permits Run, Exit {}

    public record Run(DaemonOptions options) implements Parsed {}

    public record Exit(int status, String stdout, String stderr) implements Parsed {}

    private boolean listen;
    private boolean daemon;
    private boolean verbose;
    private Path config;
    private Path pidFile;
    private int timeout = -1;
    private Path root;

    private DaemonOptions() {
    }

    /** "jvirtd (jvirt) 9.0.0", as "libvirtd (libvirt) 9.0.0". */
    public static String versionLine(String version) {
        return NAME + " (jvirt) " + version + "\n";
    }

    /**
     * Reads {@code args}. {@code privileged} (run as root) and {@code env} only choose the default
     * paths --help shows; {@code version} is what --version prints.
     */
    public static Parsed parse(List<String> args, boolean privileged, Map<String, String> env, String version) {
        DaemonOptions o = new DaemonOptions();
        List<String> operands = new ArrayList<>();
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("--")) {
                    operands.addAll(args.subList(i + 1, args.size()));
                    break;
                }
                if (a.startsWith("--")) {
                    i = o.longOption(args, i);
                } else if (a.startsWith("-") && a.length() > 1) {
                    i = o.shortOptions(args, i);
                } else {
                    operands.add(a); // getopt moves operands to the end; they are refused after the options
                }
            }
        } catch (Stop stop) {
            return switch (stop.kind) {
                case HELP -> new Exit(0, "", Usage.text(NAME, o.helpPaths(privileged, env)));
                case VERSION -> new Exit(0, versionLine(version), "");
                case BAD_OPTION -> new Exit(1, "", NAME + ": " + stop.message + "\n" + Usage.text(NAME, o.helpPaths(privileged, env)));
                case BAD_TIMEOUT -> new Exit(1, "", LogLine.now(Level.ERROR, "Invalid value for timeout") + "\n");
            };
        }
        if (!operands.isEmpty()) return new Exit(1, "", NAME + ": unexpected, non-option, command line arguments\n");
        return new Run(o);
    }

    private DaemonPaths helpPaths(boolean privileged, Map<String, String> env) {
        if (root != null) return DaemonPaths.underRoot(root);
        return privileged ? DaemonPaths.system() : null;
    }

    private enum Kind { HELP, VERSION, BAD_OPTION, BAD_TIMEOUT }

    /** Ends parsing, as libvirtd exits in the middle of its getopt loop. */
    private static final class Stop extends Exception {
        private static final long serialVersionUID = 1L;
        final Kind kind;
        final String message;

        Stop(Kind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.message = message;
        }
    }

    /** libvirtd's long options in its table order (getopt lists ambiguous matches in this order). */
    private static final String[] LONG = {"verbose", "daemon", "listen", "config", "timeout", "pid-file", "version", "help", "root"};

    private static boolean takesValue(String name) {
        return switch (name) {
            case "config", "timeout", "pid-file", "root" -> true;
            default -> false;
        };
    }

    private int longOption(List<String> args, int i) throws Stop {
        String a = args.get(i);
        int eq = a.indexOf('=');
        String given = eq < 0 ? a.substring(2) : a.substring(2, eq);
        String name = null;
        List<String> candidates = new ArrayList<>();
        for (String n : LONG) {
            if (n.equals(given)) {
                name = n;
                break;
            }
            if (n.startsWith(given)) candidates.add(n);
        }
        if (name == null) {
            if (candidates.isEmpty()) throw new Stop(Kind.BAD_OPTION, "unrecognized option '" + a + "'");
            if (candidates.size() > 1) {
                StringBuilder b = new StringBuilder("option '--" + given + "' is ambiguous; possibilities:");
                for (String c : candidates) b.append(" '--").append(c).append("'");
                throw new Stop(Kind.BAD_OPTION, b.toString());
            }
            name = candidates.get(0);
        }
        String value = null;
        if (takesValue(name)) {
            if (eq >= 0) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new Stop(Kind.BAD_OPTION, "option '--" + name + "' requires an argument");
            }
        } else if (eq >= 0) {
            throw new Stop(Kind.BAD_OPTION, "option '--" + name + "' doesn't allow an argument");
        }
        apply(name, value);
        return i;
    }

    private int shortOptions(List<String> args, int i) throws Stop {
        String a = args.get(i);
        for (int k = 1; k < a.length(); k++) {
            char c = a.charAt(k);
            String name = switch (c) {
                case 'h' -> "help";
                case 'v' -> "verbose";
                case 'd' -> "daemon";
                case 'l' -> "listen";
                case 't' -> "timeout";
                case 'f' -> "config";
                case 'p' -> "pid-file";
                case 'V' -> "version";
                default -> throw new Stop(Kind.BAD_OPTION, "invalid option -- '" + c + "'");
            };
            if (!takesValue(name)) {
                apply(name, null);
                continue;
            }
            String value;
            if (k + 1 < a.length()) {
                value = a.substring(k + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new Stop(Kind.BAD_OPTION, "option requires an argument -- '" + c + "'");
            }
            apply(name, value);
            return i;
        }
        return i;
    }

    private void apply(String name, String value) throws Stop {
        switch (name) {
            case "help" -> throw new Stop(Kind.HELP, null);
            case "version" -> throw new Stop(Kind.VERSION, null);
            case "verbose" -> verbose = true;
            case "daemon" -> daemon = true;
            case "listen" -> listen = true;
            case "config" -> config = Path.of(value);
            case "pid-file" -> pidFile = Path.of(value);
            case "root" -> root = Path.of(value);
            case "timeout" -> timeout = timeout(value);
            default -> throw new IllegalStateException(name);
        }
    }

    /**
     * libvirtd's reading of --timeout: strtol's (leading blanks, a sign, digits, anything after
     * them ignored: "5x" is 5), then 0..INT_MAX/1000 seconds.
     */
    static int timeout(String s) throws Stop {
        int p = 0;
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) p++;
        boolean negative = false;
        if (p < s.length() && (s.charAt(p) == '+' || s.charAt(p) == '-')) negative = s.charAt(p++) == '-';
        int start = p;
        long v = 0;
        while (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            v = v * 10 + (s.charAt(p++) - '0');
            if (v > Integer.MAX_VALUE + 1L) throw new Stop(Kind.BAD_TIMEOUT, null);
        }
        if (p == start) throw new Stop(Kind.BAD_TIMEOUT, null);
        if (negative) v = -v;
        if (v < 0 || v > Integer.MAX_VALUE / 1000) throw new Stop(Kind.BAD_TIMEOUT, null);
        return (int) v;
    }

    /** --listen: open the TCP/TLS listeners the config enables. */
    public boolean listen() { return listen; }
    /** --daemon: detach and write the PID file. */
    public boolean daemon() { return daemon; }
    public boolean verbose() { return verbose; }
    /** --config FILE, or null for the default config file (which may be missing). */
    public Path config() { return config; }
    /** --pid-file FILE, or null for the default. */
    public Path pidFile() { return pidFile; }
    /** --timeout SECS (exit after that long without clients), or -1 for none; 0 is accepted as libvirtd accepts it. */
    public int timeout() { return timeout; }
    /** --root DIR, or null. */
    public Path root() { return root; }

    /** The default paths for these options: under --root when given. */
    public DaemonPaths paths(boolean privileged, Map<String, String> env) {
        return DaemonPaths.of(root, privileged, env);
    }
}
