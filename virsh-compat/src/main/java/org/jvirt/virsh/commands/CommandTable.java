package org.jvirt.virsh.commands;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jvirt.virsh.shell.CmdDef;

/**
 * The command table as a read-only map that builds groups on demand. {@link #get} asks the
 * build-time {@link CommandIndex} which group defines the name and builds that group alone;
 * a name the index does not know, or a group that does not define it (an index older than
 * the classes), falls back to building every group, so a missing or stale index is slower,
 * never wrong. Iteration builds every group, in group order, the last definition of a name
 * winning as in a LinkedHashMap.
 */
final class CommandTable extends AbstractMap<String, CmdDef> {

    private final List<List<CmdDef>> groups = new ArrayList<>();
    private CommandIndex index;
    private Map<String, CmdDef> full;

    @Override
    public CmdDef get(Object key) {
        if (full != null || !(key instanceof String name)) return full().get(key);
        if (index == null) index = CommandIndex.load();
        int g = index.groupOf(name);
        List<CmdDef> defs = g >= 0 ? group(g) : null;
        if (defs != null) {
            CmdDef found = null;
            for (CmdDef d : defs) if (d.name().equals(name)) found = d;
            if (found != null) return found;
        }
        return full().get(name);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, CmdDef>> entrySet() {
        return full().entrySet();
    }

    private Map<String, CmdDef> full() {
        if (full == null) {
            Map<String, CmdDef> map = new LinkedHashMap<>();
            for (int g = 0; group(g) != null; g++) for (CmdDef d : group(g)) map.put(d.name(), d);
            full = Collections.unmodifiableMap(map);
        }
        return full;
    }

    /** Group g, built once; null past the last group. */
    private List<CmdDef> group(int g) {
        while (groups.size() <= g) groups.add(null);
        if (groups.get(g) == null) groups.set(g, Commands.group(g));
        return groups.get(g);
    }
}
