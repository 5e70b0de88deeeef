package org.jvirt.virsh.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirt.virsh.shell.CmdDef;
import org.junit.jupiter.api.Test;

/** The lazy command table answers as the full table does, through the build's index. */
class CommandTableTest {

    private static Map<String, CmdDef> eager() {
        Map<String, CmdDef> map = new LinkedHashMap<>();
        List<CmdDef> defs;
        for (int g = 0; (defs = Commands.group(g)) != null; g++) for (CmdDef d : defs) map.put(d.name(), d);
        return map;
    }

    @Test
    void theBuildGeneratedAnIndexThatKnowsEveryCommand() {
        assertTrue(CommandIndex.generated(), "GeneratedCommandIndex is on the class path (virsh-compat pom, process-classes)");
        CommandIndex index = CommandIndex.load();
        for (Map.Entry<String, Integer> e : CommandIndex.compute().entrySet()) {
            assertEquals(e.getValue().intValue(), index.groupOf(e.getKey()), e.getKey());
        }
        assertEquals(-1, index.groupOf("no-such-command"));
    }

    @Test
    void lookupsMatchTheFullTableNameByName() {
        Map<String, CmdDef> eager = eager();
        for (String name : eager.keySet()) {
            CmdDef lazy = Commands.all().get(name);
            CmdDef full = eager.get(name);
            assertEquals(full.name(), lazy.name());
            assertEquals(full.group(), lazy.group());
            assertEquals(full.help(), lazy.help());
            assertEquals(full.opts(), lazy.opts(), name);
            assertEquals(full.needsConnection(), lazy.needsConnection(), name);
        }
        assertNull(Commands.all().get("no-such-command"));
    }

    @Test
    void iterationHasEveryCommandInGroupOrderAndReusesBuiltGroups() {
        Map<String, CmdDef> table = Commands.all();
        CmdDef list = table.get("list");
        assertEquals(new ArrayList<>(eager().keySet()), new ArrayList<>(table.keySet()));
        assertSame(list, table.get("list"));
        assertSame(list, new LinkedHashMap<>(table).get("list"));
    }

    @Test
    void listHasAGroupOfItsOwn() {
        List<CmdDef> group = Commands.group(CommandIndex.load().groupOf("list"));
        assertEquals(List.of("list"), group.stream().map(CmdDef::name).toList());
    }
}
