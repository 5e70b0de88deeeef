package org.jvirt.virsh.commands;

import java.util.List;
import java.util.Map;
import org.jvirt.virsh.shell.CmdDef;

/**
 * Every jvirsh command, by name. The table is lazy ({@link CommandTable}): running one command
 * builds only that command's group, because building a group links each of its handler method
 * references, and linking them all was a third of a jvirsh start-up.
 */
public final class Commands {

    private Commands() { }

    /**
     * The commands of group i, null past the last group (a switch, not a list of suppliers: a
     * supplier is a method reference to link too). A new group takes the next number.
     */
    static List<CmdDef> group(int i) {
        switch (i) {
            case 0: return DomainCommands.all();
            case 1: return List.of(EditCommand.def());
            case 2: return List.of(MonitorCommands.listDef());
            case 3: return MonitorCommands.all();
            case 4: return TuningCommands.all();
            case 5: return SnapshotCommands.all();
            case 6: return HostCommands.all();
            case 7: return List.of(MetadataCommand.def());
            case 8: return StatsCommands.all();
            case 9: return NodeCommands.all();
            case 10: return NetworkCommands.all();
            case 11: return PoolCommands.all();
            case 12: {
                List<CmdDef> vol = new java.util.ArrayList<>(VolumeCommands.all());
                vol.addAll(VolumeTransfer.all());
                return vol;
            }
            case 13: return InterfaceCommands.all();
            case 14: return NodeDeviceCommands.all();
            case 15: return ManagedSaveCommands.all();
            case 16: return SaveImageCommands.all();
            case 17: return MigrationCommands.all();
            case 18: return List.of(MediaCommand.def());
            case 19: return InterfaceLinkCommands.all();
            case 20: return DisplayCommands.all();
            default: return null;
        }
    }

    /** The table: a lookup by name builds one group, iteration builds all (in group order). */
    public static Map<String, CmdDef> all() {
        return new CommandTable();
    }
}
