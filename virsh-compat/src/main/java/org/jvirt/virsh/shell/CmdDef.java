package org.jvirt.virsh.shell;

import java.util.List;

/** A command: name, help texts as virsh shows them, options, and what it does. */
public record CmdDef(String name, String group, String help, String desc, List<OptDef> opts, Handler handler,
                     boolean needsConnection) {

    /** Runs the command; returns false on failure (after reporting it). */
    @FunctionalInterface
    public interface Handler {
        boolean run(Vsh vsh, Cmd cmd) throws org.jvirt.driver.api.LibvirtException;
    }

    public CmdDef(String name, String group, String help, String desc, List<OptDef> opts, Handler handler) {
        this(name, group, help, desc, opts, handler, true);
    }

    /** The group of commands `help` does not list (virsh's `complete`). */
    public static final String HIDDEN = "";

    public boolean isHidden() {
        return group.isEmpty();
    }

    OptDef opt(String name) {
        for (OptDef o : opts) if (o.name().equals(name)) return o;
        return null;
    }
}
