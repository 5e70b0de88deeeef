package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;
import static org.jvirt.virsh.shell.OptDef.domain;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.OptType;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.xml.io.XmlFileReadException;
import org.jvirt.xml.io.XmlFiles;
import org.jvirt.xml.io.XmlLimits;

/** Domain lifecycle commands: define, undefine, create, start, shutdown, reboot, destroy, suspend, resume, save, restore. */
final class DomainCommands {

    private DomainCommands() { }

    static final String GROUP = "Domain Management (help keyword 'domain')";

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("define", GROUP, "define (but don't start) a domain from an XML file",
                        "Define a domain.", List.of(data("file", "file containing an XML domain description"),
                        bool("validate", "validate the XML against the schema")), DomainCommands::define),
                new CmdDef("undefine", GROUP, "undefine a domain",
                        "Undefine an inactive domain, or convert persistent to transient.",
                        List.of(domain(),
                                bool("managed-save", "remove domain managed state file"),
                                OptDef.string("storage", "remove associated storage volumes (comma separated list of targets or source paths) (see domblklist)"),
                                bool("remove-all-storage", "remove all associated storage volumes (use with caution)"),
                                new OptDef("delete-snapshots", OptType.ALIAS, false, true, "delete-storage-volume-snapshots"),
                                bool("delete-storage-volume-snapshots", "delete snapshots associated with volume(s), requires --remove-all-storage (must be supported by storage driver)"),
                                bool("wipe-storage", "wipe data on the removed volumes"),
                                bool("snapshots-metadata", "remove all domain snapshot metadata (vm must be inactive)"),
                                bool("checkpoints-metadata", "remove all domain checkpoint metadata (vm must be inactive)"),
                                bool("nvram", "remove nvram file"),
                                bool("keep-nvram", "keep nvram file"),
                                bool("tpm", "remove TPM state"),
                                bool("keep-tpm", "keep TPM state")), DomainCommands::undefine)
                        .unsupported("storage", "remove-all-storage", "delete-storage-volume-snapshots", "wipe-storage"),
                new CmdDef("create", GROUP, "create a domain from an XML file",
                        "Create a domain.", List.of(data("file", "file containing an XML domain description"),
                        bool("console", "attach to console after creation"),
                        bool("paused", "leave the guest paused after creation"),
                        bool("autodestroy", "automatically destroy the guest when virsh disconnects"),
                        OptDef.string("pass-fds", "pass file descriptors N,M,... to the guest"),
                        bool("validate", "validate the XML against the schema"),
                        bool("reset-nvram", "re-initialize NVRAM from its pristine template")), DomainCommands::create)
                        .unsupported("pass-fds"),
                new CmdDef("start", GROUP, "start a (previously defined) inactive domain",
                        "Start a domain, either from the last managedsave\n    state, or via a fresh boot if no managedsave state\n    is present.",
                        List.of(OptDef.data("domain", "name of the inactive domain"),
                                bool("console", "attach to console after creation"),
                                bool("paused", "leave the guest paused after creation"),
                                bool("autodestroy", "automatically destroy the guest when virsh disconnects"),
                                bool("bypass-cache", "avoid file system cache when loading"),
                                bool("force-boot", "force fresh boot by discarding any managed save"),
                                OptDef.string("pass-fds", "pass file descriptors N,M,... to the guest"),
                                bool("reset-nvram", "re-initialize NVRAM from its pristine template")), DomainCommands::start),
                new CmdDef("shutdown", GROUP, "gracefully shutdown a domain",
                        "Run shutdown in the target domain.", List.of(domain(),
                        OptDef.string("mode", "shutdown mode: acpi|agent|initctl|signal|paravirt")), DomainCommands::shutdown),
                new CmdDef("reboot", GROUP, "reboot a domain", "Run a reboot command in the target domain.",
                        List.of(domain(), OptDef.string("mode", "shutdown mode: acpi|agent|initctl|signal|paravirt")),
                        DomainCommands::reboot),
                new CmdDef("destroy", GROUP, "destroy (stop) a domain",
                        "Forcefully stop a given domain, but leave its resources intact.",
                        List.of(domain(), bool("graceful", "terminate gracefully"),
                                bool("remove-logs", "remove domain logs")), DomainCommands::destroy),
                new CmdDef("suspend", GROUP, "suspend a domain", "Suspend a running domain.",
                        List.of(domain()), DomainCommands::suspend),
                new CmdDef("resume", GROUP, "resume a domain", "Resume a previously suspended domain.",
                        List.of(domain()), DomainCommands::resume),
                new CmdDef("save", GROUP, "save a domain state to a file", "Save the RAM state of a running domain.",
                        List.of(domain(), data("file", "where to save the data"),
                                bool("bypass-cache", "avoid file system cache when saving"),
                                OptDef.string("xml", "filename containing updated XML for the target"),
                                bool("running", "set domain to be running on restore"),
                                bool("paused", "set domain to be paused on restore"),
                                bool("verbose", "display the progress of save")), DomainCommands::save),
                new CmdDef("restore", GROUP, "restore a domain from a saved state in a file",
                        "Restore a domain.", List.of(data("file", "the state to restore"),
                        bool("bypass-cache", "avoid file system cache when restoring"),
                        OptDef.string("xml", "filename containing updated XML for the target"),
                        bool("running", "restore domain into running state"),
                        bool("paused", "restore domain into paused state"),
                        bool("reset-nvram", "re-initialize NVRAM from its pristine template")), DomainCommands::restore),
                new CmdDef("domrename", GROUP, "rename a domain", "Rename an inactive domain.",
                        List.of(OptDef.data("domain", "domain name or uuid"), OptDef.data("new-name", "new domain name")),
                        DomainCommands::domrename),
                new CmdDef("reset", GROUP, "reset a domain", "Reset the target domain as if by power button",
                        List.of(domain()), DomainCommands::reset),
                new CmdDef("console", GROUP, "connect to the guest console", "Connect the virtual serial console for the guest",
                        List.of(domain(), OptDef.string("devname", "character device name"),
                                bool("force", "force console connection (disconnect already connected sessions)"),
                                bool("safe", "only connect if safe console handling is supported")), DomainCommands::console));
    }

    /** virsh's virFileReadAll of an XML file: at most 10 MiB, errors in its words. */
    static String readFile(Vsh vsh, String file) throws LibvirtException {
        try {
            return XmlFiles.read(vsh.path(file), XmlLimits.LIBVIRT);
        } catch (XmlFileReadException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NONE,
                    (e.opening() ? "Failed to open file '" : "Failed to read file '") + file + "': " + e.reason());
        }
    }

    private static boolean define(Vsh vsh, Cmd cmd) throws LibvirtException {
        String file = cmd.get("file");
        String xml = readFile(vsh, file);
        int flags = cmd.flag("validate") ? 1 : 0;
        try {
            // as virsh: the flags variant only with flags (a read-only error names the API called)
            Domain d = flags == 0 ? vsh.conn().domainDefineXML(xml) : vsh.conn().domainDefineXML(xml, flags);
            vsh.printExtra("Domain '" + d.getName() + "' defined from " + file + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to define domain from " + file, e);
        }
    }

    /**
     * virsh's cmdUndefine: it asks what the domain has (managed save, snapshots with metadata)
     * and calls virDomainUndefineFlags only when that cannot strand data (or --nvram asks for
     * it); otherwise, or when the driver rejects the flags, it does the steps itself and refuses
     * in its own words.
     */
    private static boolean undefine(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (cmd.flag("nvram") && cmd.flag("keep-nvram")) {
            vsh.error("Options --nvram and --keep-nvram are mutually exclusive");
            return false;
        }
        if (cmd.flag("tpm") && cmd.flag("keep-tpm")) {
            vsh.error("Options --tpm and --keep-tpm are mutually exclusive");
            return false;
        }
        Domain d = vsh.domain(cmd, "domain");
        boolean managedSave = cmd.flag("managed-save");
        boolean snapshotsMetadata = cmd.flag("snapshots-metadata");
        boolean nvram = cmd.flag("nvram");
        int flags = 0;
        if (managedSave) flags |= Flags.Undefine.MANAGED_SAVE;
        if (snapshotsMetadata) flags |= Flags.Undefine.SNAPSHOTS_METADATA;
        if (cmd.flag("checkpoints-metadata")) flags |= Flags.Undefine.CHECKPOINTS_METADATA;
        if (nvram) flags |= Flags.Undefine.NVRAM;
        if (cmd.flag("keep-nvram")) flags |= Flags.Undefine.KEEP_NVRAM;
        if (cmd.flag("tpm")) flags |= Flags.Undefine.TPM;
        if (cmd.flag("keep-tpm")) flags |= Flags.Undefine.KEEP_TPM;
        boolean managedSaveSafe = managedSave;
        boolean snapshotsSafe = snapshotsMetadata;
        int hasManagedSave = 0;
        int hasSnapshots = 0;
        int hasSnapshotsMetadata = 0;
        if (d.isActive() == 0) {
            hasManagedSave = unlessUnsupported(() -> d.hasManagedSaveImage(0));
            hasSnapshots = unlessUnsupported(() -> d.snapshotListNames(0).length);
            if (hasSnapshots > 0) {
                hasSnapshotsMetadata = d.snapshotListNames(Flags.SnapshotList.METADATA).length;
                managedSaveSafe = snapshotsSafe = true;
            }
        }
        if (hasManagedSave == 0) {
            flags &= ~Flags.Undefine.MANAGED_SAVE;
            managedSaveSafe = true;
        }
        if (hasSnapshots == 0) snapshotsSafe = true;
        if (hasSnapshotsMetadata == 0) {
            flags &= ~Flags.Undefine.SNAPSHOTS_METADATA;
            snapshotsSafe = true;
        }
        if ((managedSaveSafe && snapshotsSafe) || nvram) {
            try {
                d.undefine(flags);
                return undefined(vsh, d);
            } catch (LibvirtException e) {
                ErrorNumber code = e.code();
                if (nvram || (code != ErrorNumber.VIR_ERR_NO_SUPPORT && code != ErrorNumber.VIR_ERR_INVALID_ARG)) {
                    return vsh.fail("Failed to undefine domain '" + d.getName() + "'", e);
                }
            }
        }
        // the steps one by one, as for servers without the flags
        if (hasManagedSave > 0) {
            if (!managedSave) {
                vsh.error("Refusing to undefine while domain managed save image exists");
                return false;
            }
            d.managedSaveRemove();
        }
        if (hasSnapshotsMetadata > 0) {
            vsh.error(snapshotsMetadata ? "Unable to remove metadata of " + hasSnapshotsMetadata + " snapshots"
                    : "Refusing to undefine while " + hasSnapshotsMetadata + " snapshots exist");
            return false;
        }
        try {
            d.undefine();
        } catch (LibvirtException e) {
            return vsh.fail("Failed to undefine domain '" + d.getName() + "'", e);
        }
        return undefined(vsh, d);
    }

    private static boolean undefined(Vsh vsh, Domain d) {
        vsh.printExtra("Domain '" + d.getName() + "' has been undefined\n");
        return true;
    }

    private interface Count {
        int get() throws LibvirtException;
    }

    /** A count virsh takes as 0 when the driver lacks the call (VIR_ERR_NO_SUPPORT). */
    private static int unlessUnsupported(Count c) throws LibvirtException {
        try {
            return c.get();
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_NO_SUPPORT) throw e;
            return 0;
        }
    }

    private static boolean create(Vsh vsh, Cmd cmd) throws LibvirtException {
        String file = cmd.get("file");
        String xml = readFile(vsh, file);
        int flags = cmd.flag("paused") ? Flags.Create.START_PAUSED : 0;
        if (cmd.flag("autodestroy")) flags |= Flags.Create.START_AUTODESTROY;
        if (cmd.flag("validate")) flags |= Flags.Create.START_VALIDATE;
        if (cmd.flag("reset-nvram")) flags |= Flags.Create.START_RESET_NVRAM;
        try {
            Domain d = vsh.conn().domainCreateXML(xml, flags);
            vsh.printExtra("Domain '" + d.getName() + "' created from " + file + "\n");
            if (cmd.flag("console")) return attachConsole(vsh, d, null);
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to create domain from " + file, e);
        }
    }

    /**
     * virsh's cmdStart: a managed-saved domain is restored by the driver's start; --force-boot
     * is emulated (the image removed, then a plain start) when the driver rejects the flag.
     */
    private static boolean start(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domainByNameOrUuid(cmd, "domain");
        if (cmd.get("pass-fds") != null) {
            for (String fd : cmd.get("pass-fds").split(",", -1)) {
                if (!fd.matches("\\d{1,9}")) {
                    vsh.error("Unable to parse FD number '" + fd + "'");
                    return false;
                }
            }
        }
        if (d.getID() != -1) {
            vsh.error("Domain is already active");
            return false;
        }
        int flags = cmd.flag("paused") ? Flags.Create.START_PAUSED : 0;
        if (cmd.flag("autodestroy")) flags |= Flags.Create.START_AUTODESTROY;
        if (cmd.flag("bypass-cache")) flags |= Flags.Create.START_BYPASS_CACHE;
        if (cmd.flag("force-boot")) flags |= Flags.Create.START_FORCE_BOOT;
        if (cmd.flag("reset-nvram")) flags |= Flags.Create.START_RESET_NVRAM;
        try {
            if ((flags & Flags.Create.START_FORCE_BOOT) != 0) {
                try {
                    d.create(flags);
                    return started(vsh, cmd, d);
                } catch (LibvirtException e) {
                    if (e.code() != ErrorNumber.VIR_ERR_NO_SUPPORT && e.code() != ErrorNumber.VIR_ERR_INVALID_ARG) {
                        vsh.error(e.getMessage());
                        return false;
                    }
                }
                int has;
                try {
                    has = d.hasManagedSaveImage(0);
                } catch (LibvirtException e) {
                    has = 0;
                }
                if (has > 0) d.managedSaveRemove();
                flags &= ~Flags.Create.START_FORCE_BOOT;
            }
            if (flags == 0) d.create();
            else d.create(flags);
            return started(vsh, cmd, d);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to start domain '" + d.getName() + "'", e);
        }
    }

    private static boolean started(Vsh vsh, Cmd cmd, Domain d) throws LibvirtException {
        vsh.printExtra("Domain '" + d.getName() + "' started\n");
        if (cmd.flag("console")) return attachConsole(vsh, d, null);
        return true;
    }

    private static boolean domrename(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domainByNameOrUuid(cmd, "domain");
        d.rename(cmd.get("new-name"));
        vsh.printExtra("Domain successfully renamed\n");
        return true;
    }

    private static boolean reset(Vsh vsh, Cmd cmd) throws LibvirtException {
        return simple(vsh, cmd, Domain::reset, "Domain '%s' was reset\n", "Failed to reset domain '%s'");
    }

    private interface Action {
        void apply(Domain d) throws LibvirtException;
    }

    private static boolean simple(Vsh vsh, Cmd cmd, Action action, String done, String failed) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        try {
            action.apply(d);
            vsh.printExtra(String.format(done, d.getName()));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail(String.format(failed, d.getName()), e);
        }
    }

    private static boolean shutdown(Vsh vsh, Cmd cmd) throws LibvirtException {
        int mode = modes(vsh, cmd, "'acpi', 'agent', 'initctl', 'signal', or 'paravirt'");
        if (mode < 0) return false;
        return simple(vsh, cmd, mode == 0 ? Domain::shutdown : d -> d.shutdownFlags(mode),
                "Domain '%s' is being shutdown\n", "Failed to shutdown domain '%s'");
    }

    private static boolean reboot(Vsh vsh, Cmd cmd) throws LibvirtException {
        int mode = modes(vsh, cmd, "'acpi', 'agent', 'initctl', 'signal' or 'paravirt'");
        if (mode < 0) return false;
        return simple(vsh, cmd, d -> d.reboot(mode), "Domain '%s' is being rebooted\n", "Failed to reboot domain '%s'");
    }

    /**
     * virsh's --mode for shutdown and reboot: comma-separated methods as flag bits, checked
     * before the domain is looked up; -1 after an error (the two commands word the list apart).
     */
    private static int modes(Vsh vsh, Cmd cmd, String expecting) {
        String text = cmd.get("mode");
        if (text == null) return 0;
        if (text.isEmpty()) {
            vsh.error("Failed to get option 'mode': Option argument is empty");
            return -1;
        }
        int flags = 0;
        for (String m : text.split(",", -1)) {
            switch (m) {
                case "acpi" -> flags |= Flags.ShutdownMode.ACPI_POWER_BTN;
                case "agent" -> flags |= Flags.ShutdownMode.GUEST_AGENT;
                case "initctl" -> flags |= Flags.ShutdownMode.INITCTL;
                case "signal" -> flags |= Flags.ShutdownMode.SIGNAL;
                case "paravirt" -> flags |= Flags.ShutdownMode.PARAVIRT;
                default -> {
                    vsh.error("Unknown mode " + m + " value, expecting " + expecting);
                    return -1;
                }
            }
        }
        return flags;
    }

    private static boolean destroy(Vsh vsh, Cmd cmd) throws LibvirtException {
        return simple(vsh, cmd, Domain::destroy, "Domain '%s' destroyed\n", "Failed to destroy domain '%s'");
    }

    private static boolean suspend(Vsh vsh, Cmd cmd) throws LibvirtException {
        return simple(vsh, cmd, Domain::suspend, "Domain '%s' suspended\n", "Failed to suspend domain '%s'");
    }

    private static boolean resume(Vsh vsh, Cmd cmd) throws LibvirtException {
        return simple(vsh, cmd, Domain::resume, "Domain '%s' resumed\n", "Failed to resume domain '%s'");
    }

    private static boolean save(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        String file = cmd.get("file");
        // read before the call, its errors without "Failed to save"
        String xml = cmd.get("xml") == null ? null : readFile(vsh, cmd.get("xml"));
        int flags = (cmd.flag("bypass-cache") ? Flags.Save.BYPASS_CACHE : 0) | Options.runOrPause(cmd);
        String to = vsh.path(file).toString();
        try {
            // virsh calls virDomainSaveFlags only when it has flags or --xml
            JobWatch.run(vsh, d, "Save", cmd.flag("verbose"), () -> {
                if (flags == 0 && xml == null) d.save(to);
                else d.save(to, xml, flags);
            });
            vsh.printExtra("\nDomain '" + d.getName() + "' saved to " + file + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to save domain '" + d.getName() + "' to " + file, e);
        }
    }

    private static boolean restore(Vsh vsh, Cmd cmd) throws LibvirtException {
        String file = cmd.get("file");
        // read before the call, its errors without "Failed to restore"
        String xml = cmd.get("xml") == null ? null : readFile(vsh, cmd.get("xml"));
        try {
            int flags = (cmd.flag("bypass-cache") ? Flags.Save.BYPASS_CACHE : 0) | Options.runOrPause(cmd);
            // virsh calls virDomainRestoreFlags only when it has flags or --xml
            if (flags == 0 && xml == null) vsh.conn().restore(vsh.path(file).toString());
            else vsh.conn().restore(vsh.path(file).toString(), xml, flags);
            vsh.printExtra("Domain restored from " + file + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to restore domain from " + file, e);
        }
    }

    private static boolean console(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        return attachConsole(vsh, d, cmd.get("devname"));
    }

    /** virshRunConsole: refuses an inactive domain, else runs the session until ^]. */
    private static boolean attachConsole(Vsh vsh, Domain d, String devName) throws LibvirtException {
        if (d.isActive() == 0) {
            vsh.error("The domain is not running");
            return false;
        }
        ConsoleSession.run(d, devName, System.in, vsh.out(), vsh.quiet());
        return true;
    }
}
