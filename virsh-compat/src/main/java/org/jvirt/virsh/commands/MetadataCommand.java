package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.domain;

import java.util.List;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.Vsh;

/** virsh's metadata: shows, sets or removes a domain's application metadata element of one namespace. */
final class MetadataCommand {

    private MetadataCommand() { }

    static CmdDef def() {
        return new CmdDef("metadata", TuningCommands.GROUP, "show or set domain's custom XML metadata",
                "Shows or modifies the XML metadata of a domain.", List.of(domain(),
                OptDef.data("uri", "URI of the namespace"),
                bool("live", "modify/get running state"), bool("config", "modify/get persistent configuration"),
                bool("current", "modify/get current state configuration"),
                bool("edit", "use an editor to change the metadata"),
                OptDef.string("key", "key to be used as a namespace identifier"),
                OptDef.string("set", "new metadata to set"),
                bool("remove", "remove the metadata corresponding to an uri")), MetadataCommand::run);
    }

    private static boolean run(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "current", "live") || !Options.exclusive(vsh, cmd, "current", "config")
                || !Options.exclusive(vsh, cmd, "edit", "set") || !Options.exclusive(vsh, cmd, "remove", "set")
                || !Options.exclusive(vsh, cmd, "remove", "edit")) {
            return false;
        }
        int flags = (cmd.flag("live") ? Flags.Affect.LIVE : 0) | (cmd.flag("config") ? Flags.Affect.CONFIG : 0);
        Domain d = vsh.domain(cmd, "domain");
        String uri;
        String key;
        String set;
        try {
            uri = Options.string(vsh, cmd, "uri");
            key = Options.string(vsh, cmd, "key");
            set = Options.string(vsh, cmd, "set");
        } catch (Options.Invalid e) {
            return false;
        }
        boolean remove = cmd.flag("remove");
        if ((set != null || cmd.flag("edit")) && key == null) {
            vsh.error("namespace key is required when modifying metadata");
            return false;
        }
        if (set != null || remove) {
            d.setMetadata(Flags.Metadata.ELEMENT, set, key, uri, flags);
            vsh.printExtra(remove ? "Metadata removed\n" : "Metadata modified\n");
            return true;
        }
        if (cmd.flag("edit")) {
            vsh.error("metadata --edit is not supported by jvirsh yet; use --set");
            return false;
        }
        vsh.print(d.getMetadata(Flags.Metadata.ELEMENT, uri, flags) + "\n");
        return true;
    }
}
