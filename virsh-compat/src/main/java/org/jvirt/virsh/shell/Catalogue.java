package org.jvirt.virsh.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every command of virsh 9.0: group, help line, description, options with their types and
 * flags, hidden commands and aliases, as virsh-catalogue.tsv holds them (written from the real
 * virsh by src/test/golden/catalogue.py, which checks that they render virsh's own help).
 * Nothing is read at start-up: the file is read when `help` runs or a command jvirsh does not
 * define by hand is parsed, and then only that command's lines are parsed (jvirsh's start-up
 * time matters; parsing all of it costs ~20 ms on a cold JVM).
 */
public final class Catalogue {

    /** A group of commands as `help` lists it; commands in virsh's order, hidden ones included. */
    public record Group(String name, String keyword, List<String> commands) {
        /** The header `help` prints, which is also CmdDef.group(). */
        public String header() {
            return name + " (help keyword '" + keyword + "')";
        }
    }

    private static String text;
    private static List<Group> groups;
    private static final Map<String, CmdDef> DEFINITIONS = new HashMap<>();

    private Catalogue() { }

    /**
     * An implemented command whose help, description and options are virsh's as the catalogue
     * has them, so that a new command does not copy virsh's texts: {@code command("domrename", h)}.
     * Nothing is read until the command is parsed or its help is asked for.
     */
    public static CmdDef command(String name, CmdDef.Handler handler) {
        return new CmdDef(name, handler);
    }

    /** virsh's definition of a command (not an alias), with the not-supported handler; null if none. */
    public static synchronized CmdDef definition(String name) {
        CmdDef def = DEFINITIONS.get(name);
        if (def == null && !DEFINITIONS.containsKey(name)) {
            def = parseCommand(name);
            DEFINITIONS.put(name, def);
        }
        return def;
    }

    /** The command an alias stands for (virsh 9.0: nodedev-dettach), or null. */
    public static String aliasTarget(String name) {
        String t = text();
        int at = t.indexOf("\nL\t" + name + "\t");
        if (at < 0) return null;
        return t.substring(at + 4 + name.length(), t.indexOf('\n', at + 1));
    }

    /** Groups in `help` order. */
    public static synchronized List<Group> groups() {
        if (groups == null) {
            List<Group> gs = new ArrayList<>();
            for (String line : text().split("\n")) {
                String[] f = line.split("\t", -1);
                if (f[0].equals("G")) gs.add(new Group(unescape(f[1]), unescape(f[2]), new ArrayList<>()));
                else if (f[0].equals("C")) gs.get(gs.size() - 1).commands().add(f[1]);
            }
            groups = gs;
        }
        return groups;
    }

    /** The group a name or keyword designates (`help domain`, `help 'Domain Management'`), or null. */
    public static Group group(String nameOrKeyword) {
        for (Group g : groups()) if (g.name.equals(nameOrKeyword) || g.keyword.equals(nameOrKeyword)) return g;
        return null;
    }

    private static synchronized String text() {
        if (text == null) {
            try (InputStream in = Catalogue.class.getResourceAsStream("virsh-catalogue.tsv")) {
                if (in == null) throw new IllegalStateException("virsh-catalogue.tsv is missing from the class path");
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return text;
    }

    /** The C line of a command, its O lines, and the G line above them. */
    private static CmdDef parseCommand(String name) {
        String t = text();
        int at = t.indexOf("\nC\t" + name + "\t");
        if (at < 0) return null;
        int g = t.lastIndexOf("\nG\t", at);
        String[] gf = line(t, g + 1).split("\t", -1);
        String[] c = line(t, at + 1).split("\t", -1);
        List<OptDef> opts = new ArrayList<>();
        for (int o = t.indexOf('\n', at + 1) + 1; t.startsWith("O\t", o); o = t.indexOf('\n', o) + 1) {
            opts.add(option(line(t, o).split("\t", -1)));
        }
        List<String> flags = List.of(c[2].split(","));
        String header = flags.contains("hidden") ? CmdDef.HIDDEN : unescape(gf[1]) + " (help keyword '" + unescape(gf[2]) + "')";
        return new CmdDef(name, header, unescape(c[3]), unescape(c[4]), List.copyOf(opts),
                UnsupportedCommand::run, !flags.contains("noconnect"));
    }

    private static String line(String t, int start) {
        return t.substring(start, t.indexOf('\n', start));
    }

    private static OptDef option(String[] f) {
        OptType type = OptType.valueOf(f[2]);
        List<String> flags = List.of(f[3].split(","));
        // a flag is never positional; OptDef.bool() says so, and the catalogue agrees with it
        boolean named = type == OptType.BOOL || flags.contains("named");
        return new OptDef(f[1], type, flags.contains("req"), named, unescape(f[4]));
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
