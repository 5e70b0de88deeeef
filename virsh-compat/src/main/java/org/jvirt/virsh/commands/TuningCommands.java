package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.domain;

import java.util.List;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.OptType;
import org.jvirt.virsh.shell.Vsh;

/** Commands that change a domain's settings: setmem, setmaxmem, setvcpus, autostart, desc. */
final class TuningCommands {

    private TuningCommands() { }

    static final String GROUP = "Domain Management (help keyword 'domain')";

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("setmem", GROUP, "change memory allocation",
                        "Change the current memory allocation in the guest domain.", List.of(domain(),
                        new OptDef("kilobytes", OptType.ALIAS, false, true, "size"),
                        new OptDef("size", OptType.INT, true, false, "new memory size, as scaled integer (default KiB)"),
                        bool("config", "affect next boot"), bool("live", "affect running domain"),
                        bool("current", "affect current domain")), TuningCommands::setmem),
                new CmdDef("setmaxmem", GROUP, "change maximum memory limit",
                        "Change the maximum memory allocation limit in the guest domain.", List.of(domain(),
                        new OptDef("kilobytes", OptType.ALIAS, false, true, "size"),
                        new OptDef("size", OptType.INT, true, false, "new maximum memory size, as scaled integer (default KiB)"),
                        bool("config", "affect next boot"), bool("live", "affect running domain"),
                        bool("current", "affect current domain")), TuningCommands::setmaxmem),
                new CmdDef("setvcpus", GROUP, "change number of virtual CPUs",
                        "Change the number of virtual CPUs in the guest domain.", List.of(domain(),
                        new OptDef("count", OptType.INT, true, false, "number of virtual CPUs"),
                        bool("maximum", "set maximum limit on next boot"), bool("config", "affect next boot"),
                        bool("live", "affect running domain"), bool("current", "affect current domain"),
                        bool("guest", "modify cpu state in the guest"),
                        bool("hotpluggable", "make added vcpus hot(un)pluggable")), TuningCommands::setvcpus),
                new CmdDef("autostart", GROUP, "autostart a domain", "Configure a domain to be automatically started at boot.",
                        List.of(domain(), bool("disable", "disable autostarting")), TuningCommands::autostart),
                new CmdDef("desc", GROUP, "show or set domain's description or title",
                        "Allows setting or modifying the description or title of a domain.", List.of(domain(),
                        bool("live", "modify/get running state"), bool("config", "modify/get persistent configuration"),
                        bool("current", "modify/get current state configuration"), bool("title", "modify/get the title instead of description"),
                        bool("edit", "open an editor to modify the description"),
                        OptDef.argv("new-desc", "message")), TuningCommands::desc));
    }

    private static int affect(Cmd cmd) {
        return (cmd.flag("live") ? Flags.Affect.LIVE : 0) | (cmd.flag("config") ? Flags.Affect.CONFIG : 0);
    }

    private static long size(Vsh vsh, Cmd cmd) {
        return Sizes.kib(vsh, cmd.get("size"), "size");
    }

    private static boolean setmem(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        long kib = size(vsh, cmd);
        if (kib < 0) return false;
        int flags = affect(cmd);
        // virsh setmem always calls virDomainSetMemoryFlags (its read-only error names it)
        d.setMemoryFlags(kib, flags == 0 ? Flags.Affect.LIVE : flags);
        return true;
    }

    private static boolean setmaxmem(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        long kib = size(vsh, cmd);
        if (kib < 0) return false;
        try {
            d.setMemoryFlags(kib, affect(cmd) | Flags.Affect.MAXIMUM);
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Unable to change MaxMemorySize", e);
        }
    }

    private static boolean setvcpus(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        // vshCommandOptUInt: decimal, leading blanks and '+' allowed, at most UINT_MAX; passed on as
        // libvirt's unsigned count (an int here, compared unsigned by the drivers)
        String text = cmd.get("count");
        String t = text.stripLeading();
        if (t.startsWith("+")) t = t.substring(1);
        long parsed = t.isEmpty() || t.length() > 10 || !t.chars().allMatch(Character::isDigit) ? -1 : Long.parseLong(t);
        if (parsed < 0 || parsed > 0xFFFF_FFFFL) {
            vsh.error("Numeric value '" + text + "' for <count> option is malformed or out of range");
            return false;
        }
        int count = (int) parsed;
        if (count == 0) {
            vsh.error("Can't set 0 processors for a VM");
            return false;
        }
        int flags = affect(cmd) | (cmd.flag("maximum") ? Flags.Affect.MAXIMUM : 0);
        if (flags == 0) d.setVcpus(count);
        else d.setVcpusFlags(count, flags);
        return true;
    }

    private static boolean autostart(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        boolean enable = !cmd.flag("disable");
        try {
            d.setAutostart(enable);
        } catch (LibvirtException e) {
            return vsh.fail((enable ? "Failed to mark domain '%s' as autostarted" : "Failed to unmark domain '%s' as autostarted")
                    .formatted(d.getName()), e);
        }
        vsh.printExtra(enable ? "Domain '" + d.getName() + "' marked as autostarted\n"
                : "Domain '" + d.getName() + "' unmarked as autostarted\n");
        return true;
    }

    private static boolean desc(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (!Options.exclusive(vsh, cmd, "current", "live") || !Options.exclusive(vsh, cmd, "current", "config")) return false;
        Domain d = vsh.domain(cmd, "domain");
        boolean title = cmd.flag("title");
        int type = title ? Flags.Metadata.TITLE : Flags.Metadata.DESCRIPTION;
        int flags = affect(cmd);
        List<String> words = cmd.argv();
        // virsh reads the text from the domain's XML: the inactive one with --config, else the
        // current one (so --live on a shut-off domain, or --live with --config, still reads)
        int readFlags = cmd.flag("config") ? Flags.Affect.CONFIG : 0;
        if (!words.isEmpty() || cmd.flag("edit")) {
            String text = words.isEmpty() ? current(d, type, readFlags) : String.join(" ", words);
            if (cmd.flag("edit")) {
                String edited = editText(vsh, text);
                if (edited == null) return false;
                // as virsh: one final newline (which editors add) is dropped from a title
                if (title && edited.endsWith("\n")) edited = edited.substring(0, edited.length() - 1);
                if (edited.equals(text)) {
                    vsh.printExtra(title ? "Domain title not changed\n" : "Domain description not changed\n");
                    return true;
                }
                text = edited;
            }
            try {
                d.setMetadata(type, text, null, null, flags);
            } catch (LibvirtException e) {
                return vsh.fail(title ? "Failed to set new domain title" : "Failed to set new domain description", e);
            }
            vsh.printExtra(title ? "Domain title updated successfully" : "Domain description updated successfully");
            return true;
        }
        try {
            vsh.print(d.getMetadata(type, null, readFlags));
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA) throw e;
            vsh.printExtra((title ? "No title for domain: " : "No description for domain: ") + d.getName());
        }
        return true;
    }

    /** The title or description, "" when there is none. */
    private static String current(Domain d, int type, int flags) throws LibvirtException {
        try {
            return d.getMetadata(type, null, flags);
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA) throw e;
            return "";
        }
    }

    /** The text after $EDITOR has changed it in a temporary file; null (reported) when the editor failed. */
    private static String editText(Vsh vsh, String text) {
        java.nio.file.Path tmp = null;
        try {
            tmp = java.nio.file.Files.createTempFile(java.nio.file.Path.of(vsh.env().getOrDefault("TMPDIR", "/tmp")), "jvirsh", ".txt");
            java.nio.file.Files.writeString(tmp, text, java.nio.charset.StandardCharsets.UTF_8);
            if (!EditCommand.runEditor(vsh, tmp)) return null;
            return java.nio.file.Files.readString(tmp, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            vsh.error("unable to edit the text: " + e.getMessage());
            return null;
        } finally {
            if (tmp != null) tmp.toFile().delete();
        }
    }
}
