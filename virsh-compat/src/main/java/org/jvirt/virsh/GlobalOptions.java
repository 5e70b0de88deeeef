package org.jvirt.virsh;

import java.util.ArrayList;
import java.util.List;

/**
 * virsh's options before the command, parsed as its getopt_long("+...") does: clustered short
 * options (-rq), attached or separate values (-cURI, -c URI, --connect=URI, --connect URI),
 * unambiguous prefixes of long options (--conn), "--" to end them, and the first other word
 * starts the command. Errors carry virsh's wording. No reflection: this runs on every call.
 */
final class GlobalOptions {

    /** What the options asked for; words: the command and its arguments. */
    String uri;
    boolean readOnly;
    boolean quiet;
    boolean timing;
    boolean help;
    /** The console's escape sequence (-e), virsh's default "^]". */
    String escape = "^]";
    /** null, "short" or "long". */
    String version;
    /** Keepalive asked for with -k or -K (virsh's keepalive_forced): failing to set it fails the connection. */
    boolean keepaliveForced;
    /** -k in seconds (0 disables keepalive), virsh's default 5. */
    int keepaliveInterval = 5;
    /** -K, virsh's default 6. */
    int keepaliveCount = 6;
    final List<String> words = new ArrayList<>();
    /** Non-fatal complaints virsh prints and goes on (a debug level out of range). */
    final List<String> warnings = new ArrayList<>();

    /** A wrong option: the message for "error: ..." and exit status 1. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private enum Arg { NONE, REQUIRED, OPTIONAL }

    private record Opt(char letter, String name, Arg arg) { }

    private static final List<Opt> OPTS = List.of(
            new Opt('c', "connect", Arg.REQUIRED), new Opt('d', "debug", Arg.REQUIRED),
            new Opt('e', "escape", Arg.REQUIRED), new Opt('h', "help", Arg.NONE),
            new Opt('k', "keepalive-interval", Arg.REQUIRED), new Opt('K', "keepalive-count", Arg.REQUIRED),
            new Opt('l', "log", Arg.REQUIRED), new Opt('q', "quiet", Arg.NONE),
            new Opt('r', "readonly", Arg.NONE), new Opt('t', "timing", Arg.NONE),
            new Opt('v', null, Arg.NONE), new Opt('V', null, Arg.NONE),
            new Opt('\0', "version", Arg.OPTIONAL));

    static GlobalOptions parse(String[] args) throws Invalid {
        GlobalOptions g = new GlobalOptions();
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = a.substring(2, eq < 0 ? a.length() : eq);
                Opt o = longOpt(name, a);
                String value = eq < 0 ? null : a.substring(eq + 1);
                if (o.arg == Arg.NONE && value != null) {
                    // getopt reports the option's letter (virsh: "--quiet=1" -> '-q')
                    throw new Invalid("unsupported option '" + (o.letter != 0 ? "-" + o.letter : a) + "'. See --help.");
                }
                if (o.arg == Arg.REQUIRED && value == null) {
                    if (i + 1 >= args.length) throw missing(o);
                    value = args[++i];
                }
                g.apply(o, value);
                i++;
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int k = 1; k < a.length(); k++) {
                    Opt o = shortOpt(a.charAt(k));
                    if (o.arg == Arg.REQUIRED) {
                        String value;
                        if (k + 1 < a.length()) {
                            value = a.substring(k + 1);
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            throw missing(o);
                        }
                        g.apply(o, value);
                        break;
                    }
                    g.apply(o, null);
                }
                i++;
            } else {
                break;
            }
        }
        for (; i < args.length; i++) g.words.add(args[i]);
        return g;
    }

    private static Invalid missing(Opt o) {
        return new Invalid("option '-" + o.letter + "'/'--" + o.name + "' requires an argument");
    }

    private static Opt shortOpt(char c) throws Invalid {
        for (Opt o : OPTS) if (o.letter == c) return o;
        throw new Invalid("unsupported option '-" + c + "'. See --help.");
    }

    /** An exact name, or the one long option the prefix starts (getopt_long's abbreviations). */
    private static Opt longOpt(String name, String word) throws Invalid {
        Opt match = null;
        for (Opt o : OPTS) {
            if (o.name == null) continue;
            if (o.name.equals(name)) return o;
            if (!name.isEmpty() && o.name.startsWith(name)) {
                if (match != null) throw new Invalid("unsupported option '" + word + "'. See --help.");
                match = o;
            }
        }
        if (match == null) throw new Invalid("unsupported option '" + word + "'. See --help.");
        return match;
    }

    private void apply(Opt o, String value) throws Invalid {
        switch (o.letter) {
            case 'c' -> uri = value;
            case 'r' -> readOnly = true;
            case 'q' -> quiet = true;
            case 't' -> timing = true;
            case 'h' -> help = true;
            case 'v' -> version = "short";
            case 'V' -> version = "long";
            case 'd' -> {
                int level = number(value, "-d");
                if (level < 0 || level > 4) warnings.add("ignoring debug level " + value + " out of range [0-4]");
            }
            case 'k', 'K' -> {
                Integer n = CLong.parseInt(value);
                if (n == null) throw new Invalid("Invalid value for option -" + o.letter);
                if (n < 0) throw new Invalid("option -" + o.letter + " requires a positive integer argument");
                if (o.letter == 'k') keepaliveInterval = n;
                else keepaliveCount = n;
                keepaliveForced = true;
            }
            case 'e' -> {
                // virsh's vshAllowedEscapeChar: one character, or ^ and a letter or one of @[\]^_
                boolean ok = value.length() == 1 && value.charAt(0) != '^'
                        || value.length() == 2 && value.charAt(0) == '^'
                        && (Character.isLetter(value.charAt(1)) && value.charAt(1) < 128 || "@[\\]^_".indexOf(value.charAt(1)) >= 0);
                if (!ok) throw new Invalid("Invalid string '" + value + "' for escape sequence");
                escape = value;
            }
            case 'l' -> {
                // a log file: accepted, jvirsh has nothing to log there
            }
            default -> { // --version[=short|long]
                // as virsh: "long" asks for the long form, anything else for the short one
                version = "long".equals(value) ? "long" : "short";
            }
        }
    }

    private static int number(String value, String opt) throws Invalid {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new Invalid("option " + opt + " takes a numeric argument");
        }
    }
}
