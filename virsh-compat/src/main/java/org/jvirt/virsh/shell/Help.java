package org.jvirt.virsh.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * virsh's help: for one command (vshCmddefHelp), for a group (vshCmdGrpHelp) and the grouped
 * list of every command. Groups, commands and their order are virsh 9.0's ({@link Catalogue});
 * a command jvirsh implements is shown with its own definition (which must agree with
 * virsh's: CatalogueAgreementTest); commands virsh does not know come last in their group.
 */
public final class Help {

    private Help() { }

    /** `help CMD`: NAME, SYNOPSIS, DESCRIPTION and OPTIONS as vshCmddefHelp prints them. */
    public static String format(CmdDef def) {
        StringBuilder b = new StringBuilder("  NAME\n");
        b.append("    ").append(def.name()).append(" - ").append(def.help()).append('\n');
        b.append("\n  SYNOPSIS\n    ").append(def.name());
        // once an option may be given without its name, ARGV is shown as [--name] <string>
        boolean shortopt = false;
        for (OptDef o : def.opts()) {
            String n = o.name();
            String s = switch (o.type()) {
                case BOOL -> "[--" + n + "]";
                case INT -> o.required() ? "<" + n + ">" : "[--" + n + " <number>]";
                case STRING -> "[--" + n + " <string>]";
                case DATA -> o.required() ? "<" + n + ">" : "[<" + n + ">]";
                case ARGV -> shortopt ? (o.required() ? "{[--" + n + "] <string>}..." : "[[--" + n + "] <string>]...")
                        : (o.required() ? "<" + n + ">..." : "[<" + n + ">]...");
                case ALIAS -> null; // aliases are undocumented
            };
            if (o.type() == OptType.INT || o.type() == OptType.STRING || o.type() == OptType.DATA) {
                shortopt |= !o.namedOnly();
            }
            if (s != null) b.append(' ').append(s);
        }
        b.append('\n');
        if (def.desc() != null && !def.desc().isEmpty()) {
            b.append("\n  DESCRIPTION\n    ").append(def.desc()).append('\n');
        }
        if (!def.opts().isEmpty()) {
            b.append("\n  OPTIONS\n");
            for (OptDef o : def.opts()) {
                String n = o.name();
                String u = switch (o.type()) {
                    case BOOL -> "--" + n;
                    case INT -> o.required() ? "[--" + n + "] <number>" : "--" + n + " <number>";
                    case STRING -> "--" + n + " <string>";
                    case DATA -> "[--" + n + "] <string>";
                    case ARGV -> shortopt ? "[--" + n + "] <string>" : "<" + n + ">";
                    case ALIAS -> null;
                };
                if (u != null) b.append(String.format("    %-15s  %s", u, o.help())).append('\n');
            }
        }
        return b.append('\n').toString();
    }

    /** `help` without argument: every group with its commands. */
    public static String grouped(Map<String, CmdDef> commands) {
        StringBuilder b = new StringBuilder("Grouped commands:\n\n");
        for (Map.Entry<String, List<CmdDef>> g : groups(commands).entrySet()) {
            b.append(groupListing(g.getKey(), g.getValue())).append('\n');
        }
        return b.toString();
    }

    /** `help GROUP` by keyword ("domain") or name ("Domain Management"); null when none matches. */
    public static String group(Map<String, CmdDef> commands, String keywordOrName) {
        Catalogue.Group virsh = Catalogue.group(keywordOrName);
        for (Map.Entry<String, List<CmdDef>> g : groups(commands).entrySet()) {
            String header = g.getKey();
            boolean named = virsh != null ? header.equals(virsh.header()) : header.equals(keywordOrName);
            if (named) return groupListing(header, g.getValue());
        }
        return null;
    }

    private static String groupListing(String header, List<CmdDef> defs) {
        StringBuilder b = new StringBuilder(" ").append(header).append(":\n");
        for (CmdDef d : defs) b.append(String.format("    %-30s %s", d.name(), d.help())).append('\n');
        return b.toString();
    }

    /** Visible commands by group header in virsh's order: ours where we have one, else virsh's. */
    private static Map<String, List<CmdDef>> groups(Map<String, CmdDef> commands) {
        
        Map<String, List<CmdDef>> byGroup = new LinkedHashMap<>();
        Set<String> listed = new LinkedHashSet<>();
        for (Catalogue.Group g : Catalogue.groups()) {
            List<CmdDef> defs = new ArrayList<>();
            for (String name : g.commands()) {
                CmdDef d = commands.getOrDefault(name, Catalogue.definition(name));
                listed.add(name);
                if (!d.isHidden()) defs.add(d);
            }
            byGroup.put(g.header(), defs);
        }
        for (CmdDef d : commands.values()) {
            if (!listed.contains(d.name()) && !d.isHidden()) {
                byGroup.computeIfAbsent(d.group(), g -> new ArrayList<>()).add(d);
            }
        }
        return byGroup;
    }
}
