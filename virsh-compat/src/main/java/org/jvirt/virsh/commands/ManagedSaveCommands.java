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

/** The managed save commands (virsh-domain.c): managedsave, managedsave-remove, -dumpxml, -edit, -define. */
final class ManagedSaveCommands {

    private ManagedSaveCommands() { }

    static List<CmdDef> all() {
        String g = DomainCommands.GROUP;
        return List.of(
                new CmdDef("managedsave", g, "managed save of a domain state",
                        "Save and destroy a running domain, so it can be restarted from\n"
                                + "    the same state at a later time.  When the virsh 'start'\n"
                                + "    command is next run for the domain, it will automatically\n"
                                + "    be started from this saved state.",
                        List.of(domain(), bool("bypass-cache", "avoid file system cache when saving"),
                                bool("running", "set domain to be running on next start"),
                                bool("paused", "set domain to be paused on next start"),
                                bool("verbose", "display the progress of save")), ManagedSaveCommands::managedSave),
                new CmdDef("managedsave-remove", g, "Remove managed save of a domain",
                        "Remove an existing managed save state file from a domain",
                        List.of(domain()), ManagedSaveCommands::remove),
                new CmdDef("managedsave-edit", g, "edit XML for a domain's managed save state file",
                        "Edit the domain XML associated with the managed save state file",
                        List.of(domain(), bool("running", "set domain to be running on start"),
                                bool("paused", "set domain to be paused on start")), ManagedSaveCommands::edit),
                new CmdDef("managedsave-dumpxml", g, "Domain information of managed save state file in XML",
                        "Dump XML of domain information for a managed save state file to stdout.",
                        List.of(domain(), bool("security-info", "include security sensitive information in XML dump"),
                                OptDef.namedString("xpath", "xpath expression to filter the XML document"),
                                bool("wrap", "wrap xpath results in an common root element")), ManagedSaveCommands::dumpxml),
                new CmdDef("managedsave-define", g, "redefine the XML for a domain's managed save state file",
                        "Replace the domain XML associated with a managed save state file",
                        List.of(domain(), OptDef.data("xml", "filename containing updated XML for the target"),
                                bool("running", "set domain to be running on start"),
                                bool("paused", "set domain to be paused on start")), ManagedSaveCommands::define));
    }

    private static boolean managedSave(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        int flags = Options.runOrPause(cmd) | (cmd.flag("bypass-cache") ? Flags.Save.BYPASS_CACHE : 0);
        try {
            JobWatch.run(vsh, d, "Managedsave", cmd.flag("verbose"), () -> d.managedSave(flags));
        } catch (LibvirtException e) {
            return vsh.fail("Failed to save domain '" + d.getName() + "' state", e);
        }
        // after virshWatchJob's progress lines on stderr, the message after a blank line
        vsh.printExtra("\nDomain '" + d.getName() + "' state saved by libvirt\n");
        return true;
    }

    private static boolean remove(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        int has;
        try {
            has = d.hasManagedSaveImage(0);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to check for domain managed save image", e);
        }
        if (has == 0) {
            vsh.printExtra("Domain '" + d.getName() + "' has no manage save image; removal skipped");
            return true;
        }
        try {
            d.managedSaveRemove();
        } catch (LibvirtException e) {
            return vsh.fail("Failed to remove managed save image for domain '" + d.getName() + "'", e);
        }
        vsh.printExtra("Removed managedsave image for domain '" + d.getName() + "'");
        return true;
    }

    private static boolean dumpxml(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        vsh.print(d.managedSaveGetXMLDesc(cmd.flag("security-info") ? Flags.DomainXml.SECURE : 0));
        return true;
    }

    private static boolean define(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "running", "paused")) return false;
        Domain d = vsh.domain(cmd, "domain");
        String xml = DomainCommands.readFile(vsh, cmd.get("xml"));
        try {
            d.managedSaveDefineXML(xml, Options.runOrPause(cmd));
        } catch (LibvirtException e) {
            return vsh.fail("Failed to update " + d.getName() + " XML configuration", e);
        }
        vsh.printExtra("Managed save state file of domain '" + d.getName() + "' updated.\n");
        return true;
    }

    /** virsh-edit.c over the managed save XML: edit, then define it back when it changed. */
    private static boolean edit(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "running", "paused")) return false;
        Domain d = vsh.domain(cmd, "domain");
        String original = d.managedSaveGetXMLDesc(Flags.DomainXml.SECURE);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(Path.of(vsh.env().getOrDefault("TMPDIR", "/tmp")), "jvirsh", ".xml");
            Files.writeString(tmp, original, StandardCharsets.UTF_8);
            if (!EditCommand.runEditor(vsh, tmp)) return false;
            String edited = Files.readString(tmp, StandardCharsets.UTF_8);
            if (edited.equals(original) && Options.runOrPause(cmd) == 0) {
                vsh.printExtra("Managed save image of domain '" + d.getName() + "' XML configuration not changed.\n");
                return true;
            }
            d.managedSaveDefineXML(edited, Options.runOrPause(cmd));
            vsh.printExtra("Managed save image of Domain '" + d.getName() + "' XML configuration edited.\n");
            return true;
        } catch (IOException e) {
            vsh.error("unable to edit the managed save XML: " + e.getMessage());
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
