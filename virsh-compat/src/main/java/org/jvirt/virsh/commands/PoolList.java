package org.jvirt.virsh.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.Flags.ListAllStoragePools;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.driver.api.StoragePoolInfo.StoragePoolState;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.virsh.shell.VshTable;

/** virsh's pool-list (cmdPoolList): filters, sorting by name, the plain and --details tables, --name/--uuid lines. */
final class PoolList {

    private PoolList() { }

    static boolean exclusive(Vsh vsh, Cmd cmd, String a, String b) {
        if (cmd.flag(a) && cmd.flag(b)) {
            vsh.error("Options --" + a + " and --" + b + " are mutually exclusive");
            return true;
        }
        return false;
    }

    /** The words of a comma list, ",," standing for a comma (vshStringToArray). */
    private static List<String> commaList(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' && i + 1 < s.length() && s.charAt(i + 1) == ',') {
                w.append(',');
                i++;
            } else if (c == ',') {
                out.add(w.toString());
                w.setLength(0);
            } else {
                w.append(c);
            }
        }
        out.add(w.toString());
        return out;
    }

    static boolean list(Vsh vsh, Cmd cmd) throws LibvirtException {
        if (exclusive(vsh, cmd, "all", "inactive") || exclusive(vsh, cmd, "details", "uuid")
                || exclusive(vsh, cmd, "details", "name")) return false;
        int flags = ListAllStoragePools.ACTIVE;
        if (cmd.flag("inactive")) flags = ListAllStoragePools.INACTIVE;
        if (cmd.flag("all")) flags = ListAllStoragePools.ACTIVE | ListAllStoragePools.INACTIVE;
        if (cmd.flag("persistent")) flags |= ListAllStoragePools.PERSISTENT;
        if (cmd.flag("transient")) flags |= ListAllStoragePools.TRANSIENT;
        if (cmd.flag("autostart")) flags |= ListAllStoragePools.AUTOSTART;
        if (cmd.flag("no-autostart")) flags |= ListAllStoragePools.NO_AUTOSTART;
        if (cmd.get("type") != null) {
            for (String t : commaList(cmd.get("type"))) {
                if (t.isEmpty()) continue;
                int i = StoragePoolInfo.TYPES.indexOf(t);
                if (i < 0) {
                    vsh.error("Invalid pool type '" + t + "'");
                    return false;
                }
                flags |= 64 << i;
            }
        }
        StoragePool[] pools;
        try {
            pools = vsh.conn().listAllStoragePools(flags);
        } catch (LibvirtException e) {
            if (e.code() != ErrorNumber.VIR_ERR_NO_SUPPORT) return vsh.fail("Failed to list pools", e);
            return fallbackFailed(vsh, flags);
        }
        List<StoragePool> sorted = new ArrayList<>(Arrays.asList(pools));
        sorted.sort(Comparator.comparing(StoragePool::getName, String.CASE_INSENSITIVE_ORDER));
        if (cmd.flag("name") || cmd.flag("uuid")) {
            StringBuilder b = new StringBuilder();
            for (StoragePool p : sorted) {
                if (cmd.flag("uuid")) b.append(String.format("%-36s%s", p.getUUIDString(), cmd.flag("name") ? " " : ""));
                if (cmd.flag("name")) b.append(String.format("%-20s", p.getName()));
                b.append('\n');
            }
            vsh.print(b.toString());
            return true;
        }
        boolean details = cmd.flag("details");
        VshTable t = details ? new VshTable("Name", "State", "Autostart", "Persistent", "Capacity", "Allocation", "Available")
                : new VshTable("Name", "State", "Autostart");
        for (StoragePool p : sorted) {
            StoragePoolInfo info = p.getInfo();
            String autostart;
            try {
                autostart = p.getAutostart() ? "yes" : "no";
            } catch (LibvirtException e) {
                autostart = "no autostart";
            }
            if (!details) {
                t.add(p.getName(), p.isActive() == 1 ? "active" : "inactive", autostart);
                continue;
            }
            boolean sized = info.state == StoragePoolState.VIR_STORAGE_POOL_RUNNING
                    || info.state == StoragePoolState.VIR_STORAGE_POOL_DEGRADED;
            t.add(p.getName(), state(info.state), autostart, p.isPersistent() == 1 ? "yes" : "no",
                    sized ? PrettySize.format(info.capacity) : "-", sized ? PrettySize.format(info.allocation) : "-",
                    sized ? PrettySize.format(info.available) : "-");
        }
        vsh.printTable(t);
        return true;
    }

    /** virsh's fallback to the counting APIs when virConnectListAllStoragePools is not supported. */
    private static boolean fallbackFailed(Vsh vsh, int flags) throws LibvirtException {
        if ((flags & ~0x3f) != 0) {
            // the old APIs cannot tell a pool's type
            vsh.error("Filtering using --type is not supported by this libvirt");
            return false;
        }
        boolean filtered = (flags & (ListAllStoragePools.ACTIVE | ListAllStoragePools.INACTIVE)) != 0;
        if (!filtered || (flags & ListAllStoragePools.ACTIVE) != 0) {
            try {
                vsh.conn().numOfStoragePools();
            } catch (LibvirtException e) {
                // virsh's own message ends with a space
                return vsh.fail("Failed to get the number of active pools ", e);
            }
        }
        if (filtered && (flags & ListAllStoragePools.INACTIVE) == 0) {
            vsh.error("Failed to list pools");
            return false;
        }
        try {
            vsh.conn().numOfDefinedStoragePools();
        } catch (LibvirtException e) {
            return vsh.fail("Failed to get the number of inactive pools", e);
        }
        vsh.error("Failed to list pools");
        return false;
    }

    /** virshStoragePoolStateToString. */
    static String state(StoragePoolState s) {
        return switch (s) {
            case VIR_STORAGE_POOL_INACTIVE -> "inactive";
            case VIR_STORAGE_POOL_BUILDING -> "building";
            case VIR_STORAGE_POOL_RUNNING -> "running";
            case VIR_STORAGE_POOL_DEGRADED -> "degraded";
            case VIR_STORAGE_POOL_INACCESSIBLE -> "inaccessible";
        };
    }

}
