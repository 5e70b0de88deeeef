package org.jvirt.virsh.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * virsh's command syntax: a single argument is a command string split into words (quotes,
 * backslash escapes) and commands (';' or newline); several arguments are one command's
 * words. Words fill options as vshCommandParse does: --name, --name=value, --name value, and
 * positional words for the next option that takes a value.
 */
public final class CommandLineParser {

    private final Map<String, CmdDef> commands;

    public CommandLineParser(Map<String, CmdDef> commands) {
        this.commands = commands;
    }

    /** Splits a command string into commands, each a list of words. */
    public static List<List<String>> split(String line) throws ParseException {
        List<List<String>> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                if (w != null) { words.add(w.toString()); w = null; }
                i++;
            } else if (c == ';' || c == '\n') {
                if (w != null) { words.add(w.toString()); w = null; }
                if (!words.isEmpty()) out.add(words);
                words = new ArrayList<>();
                i++;
            } else if (c == '#' && w == null) {
                while (i < line.length() && line.charAt(i) != '\n') i++;
            } else {
                if (w == null) w = new StringBuilder();
                if (c == '\\' && i + 1 < line.length()) {
                    w.append(line.charAt(i + 1));
                    i += 2;
                } else if (c == '"' || c == '\'') {
                    int end = i + 1;
                    while (end < line.length() && line.charAt(end) != c) {
                        if (c == '"' && line.charAt(end) == '\\' && end + 1 < line.length()) {
                            w.append(line.charAt(end + 1));
                            end += 2;
                            continue;
                        }
                        w.append(line.charAt(end));
                        end++;
                    }
                    if (end >= line.length()) throw new ParseException("missing " + c);
                    i = end + 1;
                } else {
                    w.append(c);
                    i++;
                }
            }
        }
        if (w != null) words.add(w.toString());
        if (!words.isEmpty()) out.add(words);
        return out;
    }

    /** Parses one command's words. */
    public Cmd parse(List<String> words) throws ParseException {
        String name = words.get(0);
        CmdDef def = commands.get(name);
        if (def == null) throw new ParseException("unknown command: '" + name + "'");
        Cmd cmd = new Cmd(def);
        boolean positionalOnly = false;
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (!positionalOnly && word.equals("--")) {
                // as virsh: every later word is data, even one that starts with "--"
                positionalOnly = true;
            } else if (!positionalOnly && word.startsWith("--") && word.length() > 2) {
                String optName = word.substring(2);
                String value = null;
                int eq = optName.indexOf('=');
                if (eq >= 0) {
                    value = optName.substring(eq + 1);
                    optName = optName.substring(0, eq);
                }
                OptDef opt = def.opt(optName);
                if (opt == null) {
                    throw new ParseException("command '" + name + "' doesn't support option --" + optName);
                }
                if (opt.type() == OptType.BOOL) {
                    if (value != null) throw new ParseException("invalid '=' after option --" + optName);
                    cmd.set(optName, "");
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= words.size()) {
                        throw new ParseException("expected syntax: --" + optName + " <"
                                + (opt.type() == OptType.INT ? "number" : "string") + ">");
                    }
                    value = words.get(++i);
                }
                if (opt.type() == OptType.ARGV) cmd.addArgv(value);
                else if (cmd.flag(optName)) throw new ParseException("option --" + optName + " already seen");
                else cmd.set(optName, value);
            } else {
                OptDef target = null;
                for (OptDef o : def.opts()) {
                    if (o.type() == OptType.BOOL || o.namedOnly()) continue;
                    if (o.type() == OptType.ARGV) { target = o; break; }
                    if (!cmd.flag(o.name())) { target = o; break; }
                }
                if (target == null) throw new ParseException("unexpected data '" + word + "'");
                if (target.type() == OptType.ARGV) cmd.addArgv(word);
                else cmd.set(target.name(), word);
            }
        }
        // as vshCommandCheckOpts: every missing required option gets its own error line
        List<String> missing = new ArrayList<>();
        for (OptDef o : def.opts()) {
            if (o.required() && !cmd.has(o.name())) missing.add("command '" + name + "' requires <" + o.name() + "> option");
        }
        if (!missing.isEmpty()) throw new ParseException(String.join("\nerror: ", missing));
        return cmd;
    }
}
