package org.jvirt.virsh.shell;

/** virsh's help for one command (vshCmddefHelp). */
public final class Help {

    private Help() { }

    public static String format(CmdDef def) {
        StringBuilder b = new StringBuilder("  NAME\n");
        b.append("    ").append(def.name()).append(" - ").append(def.help()).append('\n');
        b.append("\n  SYNOPSIS\n    ").append(def.name());
        for (OptDef o : def.opts()) b.append(' ').append(o.synopsis());
        b.append('\n');
        if (def.desc() != null && !def.desc().isEmpty()) {
            b.append("\n  DESCRIPTION\n    ").append(def.desc()).append('\n');
        }
        if (!def.opts().isEmpty()) {
            b.append("\n  OPTIONS\n");
            for (OptDef o : def.opts()) b.append(String.format("    %-15s  %s", o.usage(), o.help())).append('\n');
        }
        return b.append('\n').toString();
    }
}
