package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;
import static org.jvirt.virsh.shell.OptDef.string;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.Vsh;

/** virsh's pool-define-as and pool-create-as: the pool XML virshBuildPoolXML writes from the options, printed, defined or created. */
final class PoolDefineAs {

    private PoolDefineAs() { }

    static CmdDef define(String group) {
        return new CmdDef("pool-define-as", group, "define a pool from a set of args", "Define a pool.", options(false),
                PoolDefineAs::define);
    }

    static CmdDef create(String group) {
        return new CmdDef("pool-create-as", group, "create a pool from a set of args", "Create a pool.", options(true),
                PoolDefineAs::create);
    }

    private static List<OptDef> options(boolean create) {
        List<OptDef> opts = new ArrayList<>(List.of(
                data("name", "name of the pool"), data("type", "type of the pool"),
                bool("print-xml", "print XML document, but don't define/create"),
                string("source-host", "source-host for underlying storage"),
                string("source-path", "source path for underlying storage"),
                string("source-dev", "source device for underlying storage"),
                string("source-name", "source name for underlying storage"),
                string("target", "target for underlying storage"),
                string("source-format", "format for underlying storage"),
                string("auth-type", "auth type to be used for underlying storage"),
                string("auth-username", "auth username to be used for underlying storage"),
                string("secret-usage", "auth secret usage to be used for underlying storage"),
                string("secret-uuid", "auth secret UUID to be used for underlying storage"),
                string("adapter-name", "adapter name to be used for underlying storage"),
                string("adapter-wwnn", "adapter wwnn to be used for underlying storage"),
                string("adapter-wwpn", "adapter wwpn to be used for underlying storage"),
                string("adapter-parent", "adapter parent scsi_hostN to be used for underlying vHBA storage"),
                string("adapter-parent-wwnn", "adapter parent scsi_hostN wwnn to be used for underlying vHBA storage"),
                string("adapter-parent-wwpn", "adapter parent scsi_hostN wwpn to be used for underlying vHBA storage"),
                string("adapter-parent-fabric-wwn", "adapter parent scsi_hostN fabric_wwn to be used for underlying vHBA storage"),
                string("source-protocol-ver", "nfsvers value for NFS pool mount option"),
                string("source-initiator", "initiator iqn for underlying storage")));
        if (create) {
            opts.add(bool("build", "build the pool as normal"));
            opts.add(bool("no-overwrite", "do not overwrite any existing data"));
            opts.add(bool("overwrite", "overwrite any existing data"));
        }
        return opts;
    }

    /** virshBuildPoolXML for the common options (host, dir, device, scsi adapter, auth, format, name, initiator, protocol). */
    static String xml(Cmd cmd) {
        StringBuilder b = new StringBuilder("<pool type='" + cmd.get("type") + "'>\n");
        b.append("  <name>").append(cmd.get("name")).append("</name>\n");
        StringBuilder s = new StringBuilder();
        if (cmd.get("source-host") != null) s.append("    <host name='").append(cmd.get("source-host")).append("'/>\n");
        if (cmd.get("source-path") != null) s.append("    <dir path='").append(cmd.get("source-path")).append("'/>\n");
        if (cmd.get("source-dev") != null) s.append("    <device path='").append(cmd.get("source-dev")).append("'/>\n");
        if (cmd.get("adapter-name") != null) s.append("    <adapter type='scsi_host' name='").append(cmd.get("adapter-name")).append("'/>\n");
        String secret = cmd.get("secret-usage") != null ? "usage='" + cmd.get("secret-usage") + "'"
                : cmd.get("secret-uuid") != null ? "uuid='" + cmd.get("secret-uuid") + "'" : null;
        if (cmd.get("auth-type") != null && cmd.get("auth-username") != null && secret != null) {
            s.append("    <auth type='").append(cmd.get("auth-type")).append("' username='").append(cmd.get("auth-username"))
                    .append("'>\n      <secret ").append(secret).append("/>\n    </auth>\n");
        }
        if (cmd.get("source-format") != null) s.append("    <format type='").append(cmd.get("source-format")).append("'/>\n");
        if (cmd.get("source-name") != null) s.append("    <name>").append(cmd.get("source-name")).append("</name>\n");
        if (cmd.get("source-initiator") != null) {
            s.append("    <initiator>\n      <iqn name='").append(cmd.get("source-initiator")).append("'/>\n    </initiator>\n");
        }
        if (cmd.get("source-protocol-ver") != null) s.append("    <protocol ver='").append(cmd.get("source-protocol-ver")).append("'/>\n");
        if (s.length() > 0) b.append("  <source>\n").append(s).append("  </source>\n");
        if (cmd.get("target") != null) b.append("  <target>\n    <path>").append(cmd.get("target")).append("</path>\n  </target>\n");
        return b.append("</pool>\n").toString();
    }

    private static boolean create(Vsh vsh, Cmd cmd) throws LibvirtException {
        int flags = PoolCommands.buildFlags(vsh, cmd);
        if (flags < 0) return false;
        String xml = xml(cmd);
        if (cmd.flag("print-xml")) {
            vsh.print(xml);
            return true;
        }
        try {
            StoragePool p = vsh.conn().storagePoolCreateXML(xml, flags);
            vsh.printExtra("Pool " + p.getName() + " created\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to create pool " + cmd.get("name"), e);
        }
    }

    private static boolean define(Vsh vsh, Cmd cmd) throws LibvirtException {
        String xml = xml(cmd);
        if (cmd.flag("print-xml")) {
            vsh.print(xml);
            return true;
        }
        try {
            StoragePool p = vsh.conn().storagePoolDefineXML(xml, 0);
            vsh.printExtra("Pool " + p.getName() + " defined\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to define pool " + cmd.get("name"), e);
        }
    }
}
