package org.jvirt.virsh.shell;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What can follow a partly typed command (virsh's `complete`): command names, the options a
 * command has not been given yet, and domain names for an option that takes a domain. Shared
 * by the interactive shell and the hidden `complete` command the bash completion script calls.
 */
public final class Completion {

    private final Map<String, CmdDef> commands;
    private final Supplier<List<String>> domainNames;

    /** domainNames: called only when a domain name can follow; may return an empty list. */
    public Completion(Map<String, CmdDef> commands, Supplier<List<String>> domainNames) {
        this.commands = commands;
        this.domainNames = domainNames;
    }

    /**
     * Candidates for the last word of one command's words (the word being typed, "" for a new
     * word), each starting with that word.
     */
    public List<String> complete(List<String> words) {
        List<String> out = new ArrayList<>();
        if (words.isEmpty()) words = List.of("");
        String cur = words.get(words.size() - 1);
        if (words.size() == 1) {
            // every command virsh has (in its order), then any of jvirsh's own
            Set<String> names = new LinkedHashSet<>();
            for (Catalogue.Group g : Catalogue.groups()) {
                for (String n : g.commands()) if (!Catalogue.definition(n).isHidden()) names.add(n);
            }
            for (CmdDef d : commands.values()) if (!d.isHidden()) names.add(d.name());
            for (String n : names) if (n.startsWith(cur)) out.add(n);
            return out;
        }
        CmdDef def = commands.getOrDefault(words.get(0), Catalogue.definition(words.get(0)));
        if (def == null) return out;
        // Which options the earlier words fill, and whether the last of them awaits its value.
        Set<String> given = new HashSet<>();
        OptDef awaiting = null;
        boolean positionalOnly = false;
        for (String w : words.subList(1, words.size() - 1)) {
            if (awaiting != null) {
                given.add(awaiting.name());
                awaiting = null;
            } else if (!positionalOnly && w.equals("--")) {
                positionalOnly = true;
            } else if (!positionalOnly && w.startsWith("--") && w.length() > 2) {
                String name = w.substring(2);
                int eq = name.indexOf('=');
                OptDef o = def.opt(eq >= 0 ? name.substring(0, eq) : name);
                if (o == null) continue;
                given.add(o.name());
                if (o.type() != OptType.BOOL && eq < 0) awaiting = o;
            } else {
                OptDef o = nextPositional(def, given);
                if (o != null && o.type() != OptType.ARGV) given.add(o.name());
            }
        }
        OptDef valueFor = awaiting != null ? awaiting : cur.startsWith("-") ? null : nextPositional(def, given);
        if (valueFor != null && valueFor.name().equals("domain")) {
            for (String n : domainNames.get()) if (n.startsWith(cur)) out.add(n);
        }
        if (awaiting == null && (cur.isEmpty() || cur.startsWith("-"))) {
            for (OptDef o : def.opts()) {
                String opt = "--" + o.name();
                if (o.type() == OptType.ALIAS) continue; // undocumented, as in virsh's completion
                if ((o.type() == OptType.ARGV || !given.contains(o.name())) && opt.startsWith(cur)) out.add(opt);
            }
        }
        return out;
    }

    private static OptDef nextPositional(CmdDef def, Set<String> given) {
        for (OptDef o : def.opts()) {
            if (o.type() == OptType.BOOL || o.namedOnly()) continue;
            if (o.type() == OptType.ARGV || !given.contains(o.name())) return o;
        }
        return null;
    }

    /**
     * The words of the command the cursor is in, from a line typed so far: text after the last
     * ';' split at blanks (quotes group words); a trailing blank starts a new, empty word.
     */
    public static List<String> wordsBeforeCursor(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0; else w.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
                inWord = true;
            } else if (c == ';') {
                words.clear();
                w.setLength(0);
                inWord = false;
            } else if (c == ' ' || c == '\t') {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        words.add(w.toString());
        return words;
    }
}
