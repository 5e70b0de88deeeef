package org.jvirt.virsh.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parsed command: its definition and the option values given. */
public final class Cmd {

    private final CmdDef def;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> argv = new ArrayList<>();

    Cmd(CmdDef def) {
        this.def = def;
    }

    public CmdDef def() {
        return def;
    }

    void set(String name, String value) {
        values.put(name, value);
    }

    void addArgv(String value) {
        argv.add(value);
    }

    boolean has(String name) {
        return values.containsKey(name) || (!argv.isEmpty() && def.opt(name) != null && def.opt(name).type() == OptType.ARGV);
    }

    /** Whether a flag or option was given. */
    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /** The value of an option, or null. */
    public String get(String name) {
        return values.get(name);
    }

    /** The words of the ARGV option. */
    public List<String> argv() {
        return argv;
    }
}
