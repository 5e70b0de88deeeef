package org.jvirt.virsh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jvirt.driver.api.Connect;
import org.jvirt.virsh.commands.Commands;
import org.jvirt.virsh.interactive.EditorLines;
import org.jvirt.virsh.interactive.InteractiveShell;
import org.jvirt.virsh.interactive.PlainLines;
import org.jvirt.virsh.shell.Completion;
import org.jvirt.virsh.shell.CommandLineParser;
import org.jvirt.virsh.shell.ParseException;
import org.jvirt.virsh.shell.Vsh;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** jvirsh: virsh's command line on jvirt's driver API. */
@Command(name = "jvirsh", mixinStandardHelpOptions = false,
        description = "The virtualization interactive terminal, jvirt's virsh.")
public final class Main implements Callable<Integer> {

    @Option(names = {"-c", "--connect"}, paramLabel = "URI", description = "hypervisor connection URI")
    private String uri;

    @Option(names = {"-r", "--readonly"}, description = "connect readonly")
    private boolean readOnly;

    @Option(names = {"-q", "--quiet"}, description = "quiet mode")
    private boolean quiet;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    private boolean help;

    @Option(names = {"-v", "--version"}, description = "print short version")
    private boolean version;

    @Parameters(paramLabel = "COMMAND", description = "a command and its arguments, or one string of ';'-separated commands")
    private List<String> words = new ArrayList<>();

    private final PrintStream out;
    private final PrintStream err;
    private final Path cwd;

    private final Map<String, String> env;

    Main(PrintStream out, PrintStream err, Path cwd, Map<String, String> env) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.cwd = cwd;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
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
        CommandLine cl = new CommandLine(main);
        cl.setStopAtPositional(true);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.print("error: " + ex.getMessage() + "\n");
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        if (version) {
            long v = Connect.LIB_VERSION;
            out.print((v / 1_000_000) + "." + (v % 1_000_000 / 1000) + "." + (v % 1000) + "\n");
            return 0;
        }
        String target = uri != null ? uri : Connect.defaultUri(env);
        Vsh vsh = new Vsh(out, err, cwd, target, readOnly, quiet, Commands.all(), env);
        try {
            if (words.isEmpty()) return interactive(vsh);
            List<List<String>> cmds;
            if (words.size() == 1) {
                cmds = CommandLineParser.split(words.get(0));
            } else {
                cmds = List.of(words);
            }
            if (cmds.isEmpty()) return 0;
            return vsh.run(cmds);
        } catch (ParseException e) {
            vsh.error(e.getMessage());
            return 1;
        } finally {
            vsh.close();
        }
    }

    /** The interactive shell: JLine on a terminal, plain lines (echoed, as virsh) otherwise. */
    private int interactive(Vsh vsh) {
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
