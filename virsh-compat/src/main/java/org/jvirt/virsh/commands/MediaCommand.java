package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.domain;

import java.util.List;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.xml.io.SecureXml;
import org.jvirt.xml.io.XmlLimits;
import org.jvirt.xml.model.SourceTree;

/**
 * virsh's change-media (cmdChangeMedia): finds a cdrom or floppy in the domain's XML by target
 * or source, rewrites that {@code <disk>} with the medium ejected, inserted or replaced
 * ({@link MediumXml}), and hands it to virDomainUpdateDeviceFlags, or prints it.
 */
final class MediaCommand {

    private MediaCommand() { }

    static CmdDef def() {
        return new CmdDef("change-media", DomainCommands.GROUP, "Change media of CD or floppy drive",
                "Change media of CD or floppy drive.", List.of(domain(),
                OptDef.data("path", "Fully-qualified path or target of disk device"),
                OptDef.string("source", "source of the media"),
                bool("eject", "Eject the media"), bool("insert", "Insert the media"), bool("update", "Update the media"),
                bool("current", "can be either or both of --live and --config, depends on implementation hypervisor driver"),
                bool("live", "alter live configuration of running domain"),
                bool("config", "alter persistent configuration, effect observed on next boot"),
                bool("force", "force media changing"), bool("print-xml", "print XML document rather than change media"),
                bool("block", "source media is a block device")), MediaCommand::run);
    }

    private static boolean run(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "eject", "insert") || !Options.exclusive(vsh, cmd, "eject", "update")
                || !Options.exclusive(vsh, cmd, "insert", "update") || !Options.exclusive(vsh, cmd, "eject", "block")) {
            return false;
        }
        String source;
        try {
            source = Options.string(vsh, cmd, "source");
        } catch (Options.Invalid e) {
            return false;
        }
        boolean eject = cmd.flag("eject"), insert = cmd.flag("insert"), update = cmd.flag("update");
        if (update && source == null) { // virsh's documented rule: an update without a source ejects
            update = false;
            eject = true;
        }
        MediumXml.Change change = eject ? MediumXml.Change.EJECT : insert ? MediumXml.Change.INSERT : MediumXml.Change.UPDATE;
        if (!Options.exclusive(vsh, cmd, "current", "live") || !Options.exclusive(vsh, cmd, "current", "config")) return false;
        boolean config = cmd.flag("config");
        int flags = (config ? Flags.Affect.CONFIG : 0) | (cmd.flag("live") ? Flags.Affect.LIVE : 0)
                | (cmd.flag("force") ? Flags.DeviceModify.FORCE : 0);
        Domain d = vsh.domain(cmd, "domain");
        String path = cmd.get("path");
        SourceTree tree;
        try {
            tree = SecureXml.scan(d.getXMLDesc(config ? Flags.DomainXml.INACTIVE : 0), "(domain_definition)", XmlLimits.LIBVIRT);
        } catch (Exception e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_DETAIL, ErrorDomain.VIR_FROM_XML, e.getMessage());
        }
        SourceTree.Element disk = MediumXml.findChangeable(tree, path);
        if (disk == null) {
            vsh.error("No disk found whose source path or target is " + path);
            return false;
        }
        String xml;
        try {
            xml = MediumXml.changed(disk, source, cmd.flag("block"), path, change);
        } catch (MediumXml.Refused e) {
            vsh.error(e.getMessage());
            return false;
        }
        if (cmd.flag("print-xml")) {
            vsh.print(xml);
            return true;
        }
        try {
            d.updateDeviceFlags(xml, flags);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to complete action " + change.action() + " on media", e);
        }
        vsh.printExtra(change.done()); // no newline of its own: the one after every command ends the line
        return true;
    }
}
