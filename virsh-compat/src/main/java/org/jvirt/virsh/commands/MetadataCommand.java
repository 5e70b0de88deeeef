package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        if (cmd.flag("edit")) return edit(vsh, d, key, uri, flags);
        vsh.print(d.getMetadata(Flags.Metadata.ELEMENT, uri, flags) + "\n");
        return true;
    }

    /** virsh-edit.c with virshDomainGetEditMetadata: the element (or an empty line) in $EDITOR, then set. */
    private static boolean edit(Vsh vsh, Domain d, String key, String uri, int flags) throws LibvirtException {
        String original;
        try {
            original = d.getMetadata(Flags.Metadata.ELEMENT, uri, flags);
        } catch (LibvirtException e) {
            original = "\n";
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(Path.of(vsh.env().getOrDefault("TMPDIR", "/tmp")), "jvirsh", ".xml");
            Files.writeString(tmp, original, StandardCharsets.UTF_8);
            while (true) {
                if (!EditCommand.runEditor(vsh, tmp)) return false;
                String edited = Files.readString(tmp, StandardCharsets.UTF_8);
                if (edited.equals(original)) {
                    vsh.printExtra("Metadata not changed");
                    return true;
                }
                char answer = 'f';
                while (answer == 'f' || answer == 'i') {
                    try {
                        d.setMetadata(Flags.Metadata.ELEMENT, edited, key, uri, flags);
                        vsh.printExtra("Metadata modified\n");
                        return true;
                    } catch (LibvirtException e) {
                        if (System.console() == null) {
                            // virsh-edit.c without a terminal: vshAskReedit gives -1, virsh reports
                            // "Failed." and goes on as if the change had been made
                            vsh.error("Failed.");
                            vsh.printExtra("Metadata modified\n");
                            return true;
                        }
                        vsh.error(e.getMessage());
                    }
                    answer = EditCommand.askReedit(vsh);
                }
                if (answer != 'y') return false;
            }
        } catch (IOException e) {
            vsh.error("unable to edit the metadata: " + e.getMessage());
            return false;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a temporary file left in TMPDIR is harmless
                }
            }
        }
    }
}
