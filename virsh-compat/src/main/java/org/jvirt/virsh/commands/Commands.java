package org.jvirt.virsh.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirt.virsh.shell.CmdDef;

/** Every jvirsh command, by name. */
public final class Commands {

    private Commands() { }

    public static Map<String, CmdDef> all() {
        List<CmdDef> defs = new ArrayList<>();
        defs.addAll(DomainCommands.all());
        defs.add(EditCommand.def());
        defs.addAll(MonitorCommands.all());
        defs.addAll(TuningCommands.all());
        defs.addAll(ManagedSaveCommands.all());
        defs.addAll(SnapshotCommands.all());
        defs.addAll(HostCommands.all());
        Map<String, CmdDef> map = new LinkedHashMap<>();
        for (CmdDef d : defs) map.put(d.name(), d);
        return map;
    }
}
