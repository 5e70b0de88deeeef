package org.jvirt.virsh.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * A command: name, help texts as virsh shows them, options, and what it does. Either written
 * out in full, or taken from virsh's catalogue ({@link Catalogue#command}), whose texts are
 * then read on first use only (jvirsh's start-up does not load the catalogue).
 */
public final class CmdDef {

    /** Runs the command; returns false on failure (after reporting it). */
    @FunctionalInterface
    public interface Handler {
        boolean run(Vsh vsh, Cmd cmd) throws org.jvirt.driver.api.LibvirtException;
    }

    /** The group of commands `help` does not list (virsh's `complete`). */
    public static final String HIDDEN = "";

    private final String name;
    private final Handler handler;
    private String group;
    private String help;
    private String desc;
    private List<OptDef> opts;
    private boolean needsConnection;
    private List<String> unsupported = List.of();

    public CmdDef(String name, String group, String help, String desc, List<OptDef> opts, Handler handler,
                  boolean needsConnection) {
        this.name = name;
        this.group = group;
        this.help = help;
        this.desc = desc;
        this.opts = opts;
        this.handler = handler;
        this.needsConnection = needsConnection;
    }

    public CmdDef(String name, String group, String help, String desc, List<OptDef> opts, Handler handler) {
        this(name, group, help, desc, opts, handler, true);
    }

    /** A command whose definition the catalogue holds; resolved when first asked for. */
    CmdDef(String name, Handler handler) {
        this.name = name;
        this.handler = handler;
    }

    private synchronized void resolve() {
        if (opts != null) return;
        CmdDef virsh = Catalogue.definition(name);
        if (virsh == null) throw new IllegalStateException("virsh 9.0 has no command '" + name + "'");
        group = virsh.group;
        help = virsh.help;
        desc = virsh.desc;
        needsConnection = virsh.needsConnection;
        opts = virsh.opts;
    }

    public String name() {
        return name;
    }

    /** The group's header as `help` prints it ("Domain Management (help keyword 'domain')"), or HIDDEN. */
    public String group() {
        resolve();
        return group;
    }

    public String help() {
        resolve();
        return help;
    }

    public String desc() {
        resolve();
        return desc;
    }

    public List<OptDef> opts() {
        resolve();
        return opts;
    }

    public Handler handler() {
        return handler;
    }

    /** Whether the command needs the connection (virsh: not VSH_CMD_FLAG_NOCONNECT). */
    public boolean needsConnection() {
        resolve();
        return needsConnection;
    }

    /**
     * Options virsh has that this command does not implement: they parse as virsh's (so a
     * line means the same), and the command refuses to run when one is given rather than
     * ignore what the user asked for.
     */
    public CmdDef unsupported(String... optionNames) {
        unsupported = List.of(optionNames);
        return this;
    }

    /** The options given that the command does not implement (see {@link #unsupported}). */
    public List<String> unsupportedGiven(Cmd cmd) {
        List<String> given = new ArrayList<>();
        for (String o : unsupported) if (cmd.flag(o) || (isArgv(o) && !cmd.argv().isEmpty())) given.add(o);
        return given;
    }

    private boolean isArgv(String optName) {
        OptDef o = opt(optName);
        return o != null && o.type() == OptType.ARGV;
    }

    public boolean isHidden() {
        return group().isEmpty();
    }

    OptDef opt(String optName) {
        for (OptDef o : opts()) if (o.name().equals(optName)) return o;
        return null;
    }
}
