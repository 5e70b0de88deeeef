package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.Vsh;

/** The save image commands (virsh-domain.c): save-image-dumpxml, save-image-define, save-image-edit. */
final class SaveImageCommands {

    private SaveImageCommands() { }

    static List<CmdDef> all() {
        String g = DomainCommands.GROUP;
        return List.of(
                new CmdDef("save-image-dumpxml", g, "saved state domain information in XML",
                        "Dump XML of domain information for a saved state file to stdout.",
                        List.of(OptDef.data("file", "saved state file to read"),
                                bool("security-info", "include security sensitive information in XML dump"),
                                OptDef.namedString("xpath", "xpath expression to filter the XML document"),
                                bool("wrap", "wrap xpath results in an common root element")), SaveImageCommands::dumpxml),
                new CmdDef("save-image-define", g, "redefine the XML for a domain's saved state file",
                        "Replace the domain XML associated with a saved state file",
                        List.of(OptDef.data("file", "saved state file to modify"),
                                OptDef.data("xml", "filename containing updated XML for the target"),
                                bool("running", "set domain to be running on restore"),
                                bool("paused", "set domain to be paused on restore")), SaveImageCommands::define),
                new CmdDef("save-image-edit", g, "edit XML for a domain's saved state file",
                        "Edit the domain XML associated with a saved state file",
                        List.of(OptDef.data("file", "saved state file to edit"),
                                bool("running", "set domain to be running on restore"),
                                bool("paused", "set domain to be paused on restore")), SaveImageCommands::edit));
    }

    private static String path(Vsh vsh, Cmd cmd) {
        return vsh.path(cmd.get("file")).toString();
    }

    /** virsh prints no line of its own when the driver refuses: only the driver's error. */
    private static boolean dumpxml(Vsh vsh, Cmd cmd) throws LibvirtException {
        String xml = vsh.conn().saveImageGetXMLDesc(path(vsh, cmd), cmd.flag("security-info") ? Flags.DomainXml.SECURE : 0);
        return DumpXml.print(vsh, xml, cmd.get("xpath"), cmd.flag("wrap"));
    }

    /** No exclusive-options check in virsh here: the API refuses --running with --paused. */
    private static boolean define(Vsh vsh, Cmd cmd) throws LibvirtException {
        String file = cmd.get("file");
        String xml = DomainCommands.readFile(vsh, cmd.get("xml"));
        try {
            vsh.conn().saveImageDefineXML(path(vsh, cmd), xml, Options.runOrPause(cmd));
        } catch (LibvirtException e) {
            return vsh.fail("Failed to update " + file, e);
        }
        vsh.printExtra("State file " + file + " updated.\n");
        return true;
    }

    /** virsh-edit.c over the image's XML: edit, then define it back when it changed. */
    private static boolean edit(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "running", "paused")) return false;
        String file = cmd.get("file");
        String original = vsh.conn().saveImageGetXMLDesc(path(vsh, cmd), Flags.DomainXml.SECURE);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(Path.of(vsh.env().getOrDefault("TMPDIR", "/tmp")), "jvirsh", ".xml");
            Files.writeString(tmp, original, StandardCharsets.UTF_8);
            if (!EditCommand.runEditor(vsh, tmp)) return false;
            String edited = Files.readString(tmp, StandardCharsets.UTF_8);
            if (edited.equals(original) && Options.runOrPause(cmd) == 0) {
                vsh.printExtra("Saved image " + file + " XML configuration not changed.\n");
                return true;
            }
            vsh.conn().saveImageDefineXML(path(vsh, cmd), edited, Options.runOrPause(cmd));
            vsh.printExtra("State file " + file + " edited.\n");
            return true;
        } catch (IOException e) {
            vsh.error("unable to edit the saved image XML: " + e.getMessage());
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
