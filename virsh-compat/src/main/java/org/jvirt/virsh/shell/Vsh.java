package org.jvirt.virsh.shell;

import org.jvirt.xml.cli.InternalErrorLog;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.io.SurrogateEscape;

/**
 * One virsh session (vshControl): the connection, output streams, and the loop that runs
 * commands and reports errors the way virsh does.
 */
public final class Vsh {

    private final PrintStream out;
    private final PrintStream err;
    private Path cwd;
    private String uri;
    private boolean readOnly;
    private boolean interactive;
    private String escape = "^]";
    private final boolean quiet;
    private boolean keepaliveForced;
    private int keepaliveInterval = 5;
    private int keepaliveCount = 6;
    private final Map<String, CmdDef> commands;
    private final Map<String, String> env;
    private Connect conn;
    private LibvirtException pending;
    private boolean timing;

    public Vsh(PrintStream out, PrintStream err, Path cwd, String uri, boolean readOnly, boolean quiet,
               Map<String, CmdDef> commands) {
        this(out, err, cwd, uri, readOnly, quiet, commands, System.getenv());
    }

    public Vsh(PrintStream out, PrintStream err, Path cwd, String uri, boolean readOnly, boolean quiet,
               Map<String, CmdDef> commands, Map<String, String> env) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.cwd = cwd;
        this.uri = uri;
        this.readOnly = readOnly;
        this.quiet = quiet;
        this.commands = commands;
    }

    public Map<String, CmdDef> commands() {
        return commands;
    }

    /** The output stream (for commands that copy bytes, as console). */
    public PrintStream out() {
        return out;
    }

    /** Whether -q was given. */
    public boolean quiet() {
        return quiet;
    }

    /** The shell's working directory (cd, pwd, relative file names). */
    public Path cwd() {
        return cwd;
    }

    public void setCwd(Path dir) {
        cwd = dir;
    }

    /** Whether commands come from the interactive shell (cd is valid only there). */
    public boolean isInteractive() {
        return interactive;
    }

    public void setInteractive(boolean interactive) {
        this.interactive = interactive;
    }

    /**
     * virsh's connect: opens URI (the current one when null); on success it replaces the
     * current connection, on failure the current one stays.
     */
    public void reconnect(String newUri, boolean newReadOnly) throws LibvirtException {
        String target = newUri != null ? newUri : uri;
        Connect c = open(target, newReadOnly);
        close();
        conn = c;
        uri = target;
        readOnly = newReadOnly;
    }

    /** The console's escape sequence as virsh -e gives it: "^]" (the default), "^X" or one character. */
    public String escape() {
        return escape;
    }

    public void setEscape(String escape) {
        this.escape = escape;
    }

    /** virsh -t: the time of each command after its output. */
    public void setTiming(boolean timing) {
        this.timing = timing;
    }

    /** The environment the session sees (EDITOR, TMPDIR...). */
    public Map<String, String> env() {
        return env;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public void flush() {
        out.flush();
    }

    /** Prints as vshPrint: always. */
    public void print(String s) {
        out.print(s);
    }

    /** Prints as vshPrintExtra: not with -q. */
    public void printExtra(String s) {
        if (!quiet) out.print(s);
    }

    /** Prints a table as vshTablePrintToStdout: without its header under -q. */
    public void printTable(VshTable table) {
        out.print(table.render(!quiet));
    }

    /** Reports a failed connection as virsh: the parser's own output, then its two error lines. */
    public void connectFailed(LibvirtException e) {
        out.flush();
        err.print(e.parserOutput());
        error("failed to connect to the hypervisor");
        error(e.getMessage());
    }

    /** Writes to stderr as it is (virsh's job progress, "\rSave: [100 %]"). */
    public void printErr(String s) {
        out.flush();
        err.print(s);
        err.flush();
    }

    /** Reports an error line: "error: ...". */
    public void error(String message) {
        out.flush();
        // bytes a file held that are not UTF-8 are shown raw, as libxml2's context line shows them
        err.writeBytes(SurrogateEscape.encode("error: " + message + "\n"));
        err.flush();
    }

    /** Writes to stderr as a library does by itself (libxml2's "XPath error : ..."), without "error: ". */
    public void errorRaw(String text) {
        out.flush();
        err.print(text);
        err.flush();
    }

    /** Reports a failure with virsh's own message; the driver's error follows on its own line. */
    public boolean fail(String message, LibvirtException cause) {
        error(message);
        pending = cause;
        return false;
    }

    /** A path as the user wrote it, resolved against the session's working directory. */
    public Path path(String file) {
        return cwd.resolve(file);
    }

    /** The connection, opened on first use. */
    public Connect conn() throws LibvirtException {
        if (conn == null) conn = open(uri, readOnly);
        return conn;
    }

    /** virsh -k/-K: keepalive asked for explicitly must be set up, or the connection fails. */
    public void setKeepalive(boolean forced, int interval, int count) {
        keepaliveForced = forced;
        keepaliveInterval = interval;
        keepaliveCount = count;
    }

    /** Opens as vshConnect: keepalive when the interval is positive, an error only when forced. */
    private Connect open(String target, boolean ro) throws LibvirtException {
        Connect c = new Connect(target, ro);
        if (keepaliveInterval > 0) {
            try {
                c.setKeepAlive(keepaliveInterval, keepaliveCount);
            } catch (LibvirtException e) {
                if (keepaliveForced) {
                    error("Cannot setup keepalive on connection as requested, disconnecting");
                    c.close();
                    throw e;
                }
            }
        }
        return c;
    }

    /** Names of all domains for completion; none when the connection or the listing fails. */
    public List<String> domainNamesQuietly() {
        try {
            List<String> names = new ArrayList<>();
            for (Domain d : conn().listAllDomains(0)) names.add(d.getName());
            return names;
        } catch (LibvirtException | RuntimeException e) {
            return List.of();
        }
    }

    /** virshCommandOptDomain: by id, then uuid, then name; "failed to get domain" when none. */
    public Domain domain(Cmd cmd, String opt) throws LibvirtException {
        return lookup(cmd.get(opt), true);
    }

    /** The lookup of a domain given as a plain word (domstats' list): id, uuid, then name. */
    public Domain domainNamed(String nameIdOrUuid) throws LibvirtException {
        return lookup(nameIdOrUuid, true);
    }

    /** The same lookup without trying the name as an id (virsh start, undefine...). */
    public Domain domainByNameOrUuid(Cmd cmd, String opt) throws LibvirtException {
        return lookup(cmd.get(opt), false);
    }

    private Domain lookup(String n, boolean byId) throws LibvirtException {
        Connect c = conn();
        if (byId) {
            try {
                int id = Integer.parseInt(n);
                if (id >= 0) return c.domainLookupByID(id);
            } catch (NumberFormatException | LibvirtException e) {
                // not an id: try the other forms
            }
        }
        if (n.length() == 36 && dashes(n) == 4) {
            try {
                return c.domainLookupByUUIDString(n);
            } catch (LibvirtException e) {
                // not a known uuid: try it as a name
            }
        }
        try {
            return c.domainLookupByName(n);
        } catch (LibvirtException e) {
            throw new LookupFailed("failed to get domain '" + n + "'");
        }
    }

    private static int dashes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '-') n++;
        return n;
    }

    /** A lookup failure virsh reports with its own message only. */
    public static final class LookupFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public LookupFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses and runs a command line the way virsh does; returns the exit status. */
    public int run(List<List<String>> commandWords) {
        CommandLineParser parser = new CommandLineParser(commands);
        List<Cmd> parsed = new ArrayList<>();
        try {
            for (List<String> words : commandWords) parsed.add(parser.parse(words));
        } catch (ParseException e) {
            error(e.getMessage());
            return 1;
        }
        // plain loops on this path: a stream or lambda costs its linkage on every jvirsh start
        boolean needsConnection = false;
        for (Cmd c : parsed) needsConnection |= c.def().needsConnection();
        if (needsConnection) {
            try {
                conn();
            } catch (LibvirtException e) {
                connectFailed(e);
                return 1;
            }
        }
        boolean ok = true;
        for (Cmd cmd : parsed) {
            long start = System.nanoTime();
            ok = runOne(cmd);
            String name = cmd.def().name();
            if (name.equals("quit") || name.equals("exit")) break;
            if (timing) {
                print(String.format(java.util.Locale.ROOT, "\n(Time: %.3f ms)\n\n", (System.nanoTime() - start) / 1e6));
            } else {
                printExtra("\n");
            }
        }
        out.flush();
        return ok ? 0 : 1;
    }

    private boolean runOne(Cmd cmd) {
        pending = null;
        boolean ok;
        try {
            List<String> unsupported = cmd.def().unsupportedGiven(cmd);
            if (!unsupported.isEmpty()) {
                error(UnsupportedCommand.optionMessage(cmd.def().name(), unsupported.get(0)));
                return false;
            }
            ok = cmd.def().handler().run(this, cmd);
        } catch (LookupFailed e) {
            error(e.getMessage());
            ok = false;
        } catch (LibvirtException e) {
            pending = e;
            ok = false;
        } catch (RuntimeException | StackOverflowError e) {
            // a bug in a command: one line (the trace goes to the log), the next command runs
            error(InternalErrorLog.report(InternalErrorLog.defaultDir(env), "jvirsh", e));
            pending = null;
            ok = false;
        }
        if (!ok && pending != null) {
            error(pending.getMessage());
        }
        pending = null;
        return ok;
    }

    /** Closes the connection if one was opened. */
    public void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (LibvirtException e) {
                // closing a connection that failed leaves nothing to report
            }
        }
    }

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
