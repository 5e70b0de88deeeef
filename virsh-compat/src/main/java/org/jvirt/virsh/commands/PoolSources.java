package org.jvirt.virsh.commands;

import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.Vsh;

/** virsh's find-storage-pool-sources, find-storage-pool-sources-as and pool-capabilities. */
final class PoolSources {

    private PoolSources() { }

    static boolean findSources(Vsh vsh, Cmd cmd) throws LibvirtException {
        String spec = cmd.get("srcSpec") == null ? null : ObjectFiles.read(vsh, cmd.get("srcSpec"));
        return printSources(vsh, cmd.get("type"), spec);
    }

    /** The source spec virsh writes from --host, --port and --initiator. */
    static boolean findSourcesAs(Vsh vsh, Cmd cmd) throws LibvirtException {
        String spec = null;
        if (cmd.get("host") != null) {
            StringBuilder b = new StringBuilder("<source>\n  <host name='").append(cmd.get("host")).append('\'');
            if (cmd.get("port") != null) b.append(" port='").append(cmd.get("port")).append('\'');
            b.append("/>\n");
            if (cmd.get("initiator") != null) {
                b.append("  <initiator>\n    <iqn name='").append(cmd.get("initiator")).append("'/>\n  </initiator>\n");
            }
            spec = b.append("</source>\n").toString();
        }
        return printSources(vsh, cmd.get("type"), spec);
    }

    private static boolean printSources(Vsh vsh, String type, String spec) throws LibvirtException {
        try {
            vsh.print(vsh.conn().findStoragePoolSources(type, spec, 0));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to find any " + type + " pool sources", e);
        }
    }

    static boolean capabilities(Vsh vsh, Cmd cmd) throws LibvirtException {
        try {
            vsh.print(vsh.conn().getStoragePoolCapabilities(0));
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("failed to get storage pool capabilities", e);
        }
    }

}
