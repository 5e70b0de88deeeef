package org.jvirt.virsh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.api.Connect;
import org.jvirt.virsh.commands.Commands;
import org.jvirt.virsh.interactive.EditorLines;
import org.jvirt.virsh.interactive.InteractiveShell;
import org.jvirt.virsh.interactive.PlainLines;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.CommandLineParser;
import org.jvirt.virsh.shell.Completion;
import org.jvirt.virsh.shell.Help;
import org.jvirt.xml.cli.InternalErrorLog;
import org.jvirt.virsh.shell.ParseException;
import org.jvirt.virsh.shell.Vsh;

/**
 * jvirsh: virsh's command line on jvirt's driver API.
 * {@code jvirsh [-c URI] [-r] [-q] [-t] [COMMAND_STRING | COMMAND ARGS...]}; no command: the
 * interactive shell. The global options are parsed as virsh's getopt does ({@link GlobalOptions}).
 */
public final class Main {

    private final PrintStream out;
    private final PrintStream err;
    private final Path cwd;
    private final Map<String, String> env;

    private Main(PrintStream out, PrintStream err, Path cwd, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.cwd = cwd;
        this.env = env;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        // a thread other than main dying: the same one line, not the JVM's stack trace
        // (an anonymous class, not a lambda: no lambda bootstrap on the start-up path)
        Thread.setDefaultUncaughtExceptionHandler(new Thread.UncaughtExceptionHandler() {
            @Override
            public void uncaughtException(Thread t, Throwable e) {
                err.print("error: " + InternalErrorLog.report(InternalErrorLog.defaultDir(System.getenv()), "jvirsh", e) + "\n");
            }
        });
        int rc = run(args, out, err, Path.of("").toAbsolutePath());
        out.flush();
        System.exit(rc);
    }

    /** Runs jvirsh with the given arguments; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, Path cwd) {
        return run(args, out, err, cwd, System.getenv());
    }

    /** The same with the environment the commands see (EDITOR, VISUAL, TMPDIR, the default URI). */
    public static int run(String[] args, PrintStream out, PrintStream err, Path cwd, Map<String, String> env) {
        Main main = new Main(out, err, cwd, env);
        try {
            return main.run(GlobalOptions.parse(args));
        } catch (GlobalOptions.Invalid e) {
            err.print("error: " + e.getMessage() + "\n");
            err.flush();
            return 1;
        } catch (RuntimeException | Error e) {
            // anything unexpected: one line, the stack trace to the log, virsh's failure status
            out.flush();
            err.print("error: " + InternalErrorLog.report(InternalErrorLog.defaultDir(env), "jvirsh", e) + "\n");
            err.flush();
            return 1;
        }
    }

    private int run(GlobalOptions g) {
        for (String w : g.warnings) err.print("error: " + w + "\n");
        Map<String, CmdDef> commands = Commands.all();
        if (g.help) {
            out.print(usage(commands));
            return 0;
        }
        if (g.version != null) {
            out.print(g.version.equals("long") ? longVersion() : version(Connect.LIB_VERSION) + "\n");
            return 0;
        }
        String target = g.uri != null ? g.uri : Connect.defaultUri(env);
        Vsh vsh = new Vsh(out, err, cwd, target, g.readOnly, g.quiet, commands, env);
        vsh.setTiming(g.timing);
        vsh.setEscape(g.escape);
        vsh.setKeepalive(g.keepaliveForced, g.keepaliveInterval, g.keepaliveCount);
        try {
            if (g.words.isEmpty()) return interactive(vsh, g.quiet);
            List<List<String>> cmds = g.words.size() == 1 ? CommandLineParser.split(g.words.get(0)) : List.of(g.words);
            if (cmds.isEmpty()) return 0;
            return vsh.run(cmds);
        } catch (ParseException e) {
            vsh.error(e.getMessage());
            return 1;
        } finally {
            vsh.close();
        }
    }

    private static String version(long v) {
        return (v / 1_000_000) + "." + (v % 1_000_000 / 1000) + "." + (v % 1000);
    }

    private static String longVersion() {
        return "jvirsh command line tool of jvirt (libvirt API " + version(Connect.LIB_VERSION) + ")\n"
                + "See https://libvirt.org/ for the virsh it follows\n\n"
                + "Compiled with support for:\n"
                + " Hypervisors: jvirt Test\n";
    }

    /** virsh -h: usage, options, then every command by group. */
    private static String usage(Map<String, CmdDef> commands) {
        StringBuilder b = new StringBuilder("\n"
                + "jvirsh [options]... [<command_string>]\n"
                + "jvirsh [options]... <command> [args...]\n\n"
                + "  options:\n"
                + "    -c | --connect=URI      hypervisor connection URI\n"
                + "    -d | --debug=NUM        debug level [0-4]\n"
                + "    -e | --escape <char>    set escape sequence for console\n"
                + "    -h | --help             this help\n"
                + "    -k | --keepalive-interval=NUM\n"
                + "                            keepalive interval in seconds, 0 for disable\n"
                + "    -K | --keepalive-count=NUM\n"
                + "                            number of possible missed keepalive messages\n"
                + "    -l | --log=FILE         output logging to file\n"
                + "    -q | --quiet            quiet mode\n"
                + "    -r | --readonly         connect readonly\n"
                + "    -t | --timing           print timing information\n"
                + "    -v                      short version\n"
                + "    -V                      long version\n"
                + "         --version[=TYPE]   version, TYPE is short or long (default short)\n"
                + "  commands (non interactive mode):\n\n");
        // the grouped list of `help`, with virsh -h's headers (no colon)
        String grouped = Help.grouped(commands);
        for (String line : grouped.substring(grouped.indexOf('\n') + 2).split("\n", -1)) {
            if (line.startsWith(" ") && !line.startsWith("  ") && line.endsWith(":")) line = line.substring(0, line.length() - 1);
            b.append(line).append('\n');
        }
        b.setLength(b.length() - 1);
        return b.append("\n  (specify help <group> for details about the commands in the group)\n\n"
                + "  (specify help <command> for details about the command)\n\n").toString();
    }

    /** The interactive shell: JLine on a terminal, plain lines (echoed, as virsh) otherwise. */
    private int interactive(Vsh vsh, boolean quiet) {
        InteractiveShell.LineSource in;
        if (System.console() != null) {
            try {
                in = new EditorLines(new Completion(vsh.commands(), vsh::domainNamesQuietly),
                        EditorLines.historyFile(env), EditorLines.historySize(env));
            } catch (IOException | RuntimeException e) {
                in = plain();
            }
        } else {
            in = plain();
        }
        try (InteractiveShell.LineSource lines = in) {
            return InteractiveShell.run(vsh, lines, quiet);
        }
    }

    private PlainLines plain() {
        return new PlainLines(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out);
    }
}
