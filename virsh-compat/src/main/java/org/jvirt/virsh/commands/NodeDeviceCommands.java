package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;
import static org.jvirt.virsh.shell.OptDef.namedString;
import static org.jvirt.virsh.shell.OptDef.string;

import java.util.Arrays;
import java.util.List;
import org.jvirt.driver.api.Device;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllNodeDevices;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.Vsh;

/** virsh's node device commands (virsh-nodedev.c): list, dumpxml, info, detach, reattach, reset, undefine, start, autostart. */
final class NodeDeviceCommands {

    private NodeDeviceCommands() { }

    static final String GROUP = "Node Device (help keyword 'nodedev')";

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("nodedev-list", GROUP, "enumerate devices on this host", "", List.of(
                        bool("tree", "list devices in a tree"), string("cap", "capability names, separated by comma"),
                        bool("inactive", "list inactive devices"), bool("all", "list inactive & active devices")),
                        NodeDeviceCommands::list),
                new CmdDef("nodedev-dumpxml", GROUP, "node device details in XML",
                        "Output the node device details as an XML dump to stdout.", List.of(
                        data("device", "device name or wwn pair in 'wwnn,wwpn' format"),
                        namedString("xpath", "xpath expression to filter the XML document"),
                        bool("wrap", "wrap xpath results in an common root element")), NodeDeviceCommands::dumpxml),
                new CmdDef("nodedev-detach", GROUP, "detach node device from its device driver",
                        "Detach node device from its device driver before assigning to a domain.", List.of(
                        data("device", "device key"),
                        string("driver", "pci device assignment backend driver (e.g. 'vfio' or 'xen')")),
                        NodeDeviceCommands::detach),
                new CmdDef("nodedev-reattach", GROUP, "reattach node device to its device driver",
                        "Reattach node device to its device driver once released by the domain.",
                        List.of(data("device", "device key")), (v, c) -> byKey(v, c, Device::reAttach,
                                "Device %s re-attached\n", "Failed to re-attach device %s")),
                new CmdDef("nodedev-reset", GROUP, "reset node device", "Reset node device before or after assigning to a domain.",
                        List.of(data("device", "device key")), (v, c) -> byKey(v, c, Device::reset,
                                "Device %s reset\n", "Failed to reset device %s")),
                new CmdDef("nodedev-undefine", GROUP, "Undefine an inactive node device",
                        "Undefines the configuration for an inactive node device",
                        List.of(data("device", "device name or wwn pair in 'wwnn,wwpn' format")), NodeDeviceCommands::undefine),
                new CmdDef("nodedev-start", GROUP, "Start an inactive node device",
                        "Starts an inactive node device that was previously defined", List.of(data("device", "device name")),
                        (v, c) -> byKey(v, c, Device::create, "Device %s started\n", "Failed to start device %s")),
                new CmdDef("nodedev-autostart", GROUP, "autostart a defined node device",
                        "Configure a node device to be automatically started at boot.", List.of(
                        data("device", "device name or wwn pair in 'wwnn,wwpn' format"), bool("disable", "disable autostarting")),
                        NodeDeviceCommands::autostart),
                new CmdDef("nodedev-info", GROUP, "node device information", "Returns basic information about the node device",
                        List.of(data("device", "device name or wwn pair in 'wwnn,wwpn' format")), NodeDeviceCommands::info));
    }

    private static boolean list(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (cmd.flag("all") && cmd.flag("inactive")) {
            vsh.error("Option --all is incompatible with --inactive");
            return false;
        }
        int flags = 0;
        if (cmd.get("cap") != null) {
            for (String c : cmd.get("cap").split(",")) {
                int i = Device.CAPS.indexOf(c);
                if (i < 0) {
                    vsh.error("Invalid capability type");
                    return false;
                }
                flags |= 1 << i;
            }
        }
        if (cmd.flag("all")) flags |= ListAllNodeDevices.ACTIVE | ListAllNodeDevices.INACTIVE;
        else if (cmd.flag("inactive")) flags |= ListAllNodeDevices.INACTIVE;
        else flags |= ListAllNodeDevices.ACTIVE;
        Device[] devs;
        try {
            devs = vsh.conn().listAllNodeDevices(flags);
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_NO_SUPPORT) return vsh.fail("Failed to list node devices", e);
            try {
                vsh.conn().numOfDevices(null);
            } catch (LibvirtException e2) {
                return vsh.fail("Failed to count node devices", e2);
            }
            vsh.error("Failed to list node devices");
            return false;
        }
        String[] names = Arrays.stream(devs).map(Device::getName).sorted().toArray(String[]::new);
        StringBuilder b = new StringBuilder();
        for (String n : names) b.append(n).append('\n');
        vsh.print(b.toString());
        return true;
    }

    /** virsh's WWN check (virValidateWWN): 16 hex digits, "0x" allowed before them. */
    private static boolean validWwn(String wwn) {
        String p = wwn.startsWith("0x") ? wwn.substring(2) : wwn;
        return p.length() == 16 && p.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** vshFindNodeDevice: by name, or by a "wwnn,wwpn" pair; null after reporting a failure. */
    private static Device find(Vsh vsh, String value) throws LibvirtException {
        try {
            if (value.contains(",")) {
                String[] wwn = value.split(",", -1);
                if (wwn.length != 2) {
                    vsh.error("Malformed device value '" + value + "'");
                    return null;
                }
                for (String w : wwn) {
                    if (!validWwn(w)) {
                        vsh.error("internal error: Malformed wwn: " + w);
                        return null;
                    }
                }
                return vsh.conn().deviceLookupSCSIHostByWWN(wwn[0], wwn[1]);
            }
            return vsh.conn().deviceLookupByName(value);
        } catch (LibvirtException e) {
            vsh.fail("Could not find matching device '" + value + "'", e);
            return null;
        }
    }

    private interface Action {
        void apply(Device d) throws LibvirtException;
    }

    /** The commands that take a device by name alone ("device key"): detach, reattach, reset, start. */
    private static boolean byKey(Vsh vsh, Cmd cmd, Action action, String done, String failed) throws LibvirtException {
        String name = cmd.get("device");
        Device d;
        try {
            d = vsh.conn().deviceLookupByName(name);
        } catch (LibvirtException e) {
            return vsh.fail("Could not find matching device '" + name + "'", e);
        }
        try {
            action.apply(d);
            vsh.printExtra(String.format(done, name));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail(String.format(failed, name), e);
        }
    }

    /** nodedev-detach: virNodeDeviceDettach, or virNodeDeviceDetachFlags when --driver names one. */
    private static boolean detach(Vsh vsh, Cmd cmd) throws LibvirtException {
        String driver = cmd.get("driver");
        return byKey(vsh, cmd, d -> {
            if (driver == null) d.dettach();
            else d.detachFlags(driver, 0);
        }, "Device %s detached\n", "Failed to detach device %s");
    }

    private static boolean undefine(Vsh vsh, Cmd cmd) throws LibvirtException {
        Device d = find(vsh, cmd.get("device"));
        if (d == null) return false;
        try {
            d.undefine();
            vsh.printExtra("Undefined node device '" + cmd.get("device") + "'\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to undefine node device '" + cmd.get("device") + "'", e);
        }
    }

    private static boolean autostart(Vsh vsh, Cmd cmd) throws LibvirtException {
        Device d = find(vsh, cmd.get("device"));
        if (d == null) return false;
        boolean on = !cmd.flag("disable");
        String name = cmd.get("device");
        try {
            d.setAutostart(on);
            vsh.printExtra("Device " + name + (on ? " marked as autostarted\n" : " unmarked as autostarted\n"));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("failed to " + (on ? "mark" : "unmark") + " device " + name + " as autostarted", e);
        }
    }

    private static boolean info(Vsh vsh, Cmd cmd) throws LibvirtException {
        Device d = find(vsh, cmd.get("device"));
        if (d == null) return false;
        String parent;
        try {
            parent = d.getParent();
        } catch (LibvirtException e) {
            parent = "";
        }
        String autostart;
        try {
            autostart = d.getAutostart() ? "yes" : "no";
        } catch (LibvirtException e) {
            autostart = "no autostart";
        }
        vsh.print(String.format("%-15s %s\n%-15s %s\n%-15s %s\n%-15s %s\n%-15s %s\n", "Name:", d.getName(), "Parent:", parent,
                "Active:", d.isActive() == 1 ? "yes" : "no", "Persistent:", d.isPersistent() == 1 ? "yes" : "no",
                "Autostart:", autostart));
        return true;
    }

    private static boolean dumpxml(Vsh vsh, Cmd cmd) throws LibvirtException {
        Device d = find(vsh, cmd.get("device"));
        if (d == null) return false;
        return DumpXml.print(vsh, d.getXMLDescription(), cmd.get("xpath"), cmd.flag("wrap"));
    }
}
