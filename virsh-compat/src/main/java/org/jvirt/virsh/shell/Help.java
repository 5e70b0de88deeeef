package org.jvirt.virsh.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * virsh's help: for one command (vshCmddefHelp), for a group (vshCmdGrpHelp) and the grouped
 * list of every command. Groups and commands come in virsh's order (virsh-groups.txt, taken
 * from virsh 9.0's `help`); commands virsh does not know come last in their group.
 */
public final class Help {

    private Help() { }

    public static String format(CmdDef def) {
        StringBuilder b = new StringBuilder("  NAME\n");
        b.append("    ").append(def.name()).append(" - ").append(def.help()).append('\n');
        b.append("\n  SYNOPSIS\n    ").append(def.name());
        // vshCmddefHelp's shortopt: once an option can be given positionally, an ARGV one shows "[--name]"
        boolean shortopt = false;
        for (OptDef o : def.opts()) {
            b.append(' ').append(o.type() == OptType.ARGV && shortopt ? o.shortSynopsis() : o.synopsis());
            if (o.type() != OptType.BOOL && o.type() != OptType.ARGV && !o.namedOnly()) shortopt = true;
        }
        b.append('\n');
        if (def.desc() != null && !def.desc().isEmpty()) {
            b.append("\n  DESCRIPTION\n    ").append(def.desc()).append('\n');
        }
        if (!def.opts().isEmpty()) {
            b.append("\n  OPTIONS\n");
            for (OptDef o : def.opts()) {
                String usage = o.type() == OptType.ARGV && !shortopt ? "<" + o.name() + ">" : o.usage();
                b.append(String.format("    %-15s  %s", usage, o.help())).append('\n');
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
        for (Map.Entry<String, List<CmdDef>> g : groups(commands).entrySet()) {
            String header = g.getKey();
            int paren = header.indexOf(" (help keyword '");
            String name = paren < 0 ? header : header.substring(0, paren);
            String keyword = paren < 0 ? header : header.substring(paren + 16, header.length() - 2);
            if (keywordOrName.equals(keyword) || keywordOrName.equals(name)) return groupListing(header, g.getValue());
        }
        return null;
    }

    private static String groupListing(String header, List<CmdDef> defs) {
        StringBuilder b = new StringBuilder(" ").append(header).append(":\n");
        for (CmdDef d : defs) b.append(String.format("    %-30s %s", d.name(), d.help())).append('\n');
        return b.toString();
    }

    /** Visible commands by group header, both in virsh's order. */
    private static Map<String, List<CmdDef>> groups(Map<String, CmdDef> commands) {
        VirshOrder order = VirshOrder.load();
        Map<String, List<CmdDef>> byGroup = new LinkedHashMap<>();
        for (CmdDef d : commands.values()) {
            if (!d.isHidden()) byGroup.computeIfAbsent(d.group(), g -> new ArrayList<>()).add(d);
        }
        List<String> headers = new ArrayList<>(byGroup.keySet());
        headers.sort(Comparator.comparingInt(order::groupIndex));
        Map<String, List<CmdDef>> sorted = new LinkedHashMap<>();
        for (String h : headers) {
            List<CmdDef> defs = byGroup.get(h);
            defs.sort(Comparator.comparingInt(d -> order.commandIndex(d.name())));
            sorted.put(h, defs);
        }
        return sorted;
    }

    /** Positions of groups and commands in virsh's help; unknown ones sort last (stable). */
    private record VirshOrder(Map<String, Integer> groups, Map<String, Integer> commands) {

        static VirshOrder load() {
            Map<String, Integer> groups = new HashMap<>();
            Map<String, Integer> commands = new HashMap<>();
            try (InputStream in = Help.class.getResourceAsStream("virsh-groups.txt")) {
                if (in == null) return new VirshOrder(groups, commands);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("#") || line.isBlank()) continue;
                    if (line.startsWith("group ")) {
                        String[] nk = line.substring(6).split("\\|");
                        groups.put(nk[0] + " (help keyword '" + nk[1] + "')", groups.size());
                    } else {
                        commands.putIfAbsent(line, commands.size());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new VirshOrder(groups, commands);
        }

        int groupIndex(String header) {
            return groups.getOrDefault(header, Integer.MAX_VALUE);
        }

        int commandIndex(String name) {
            return commands.getOrDefault(name, Integer.MAX_VALUE);
        }
    }
}
