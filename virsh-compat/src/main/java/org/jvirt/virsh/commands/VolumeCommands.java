package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.data;
import static org.jvirt.virsh.shell.OptDef.namedString;
import static org.jvirt.virsh.shell.OptDef.string;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.api.StorageVol;
import org.jvirt.driver.api.StorageVolInfo;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.virsh.shell.VshTable;

/** virsh's storage volume commands (virsh-volume.c): vol-list, vol-info, vol-dumpxml, vol-create-as, vol-delete ... */
final class VolumeCommands {

    private VolumeCommands() { }

    static final String GROUP = "Storage Volume (help keyword 'volume')";

    private static OptDef pool() {
        return string("pool", "pool name or uuid");
    }

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("vol-list", GROUP, "list vols", "Returns list of vols by pool.", List.of(
                        data("pool", "pool name or uuid"), bool("details", "display extended details for volumes")),
                        VolumeCommands::list),
                new CmdDef("vol-info", GROUP, "storage vol information", "Returns basic information about the storage vol.",
                        List.of(data("vol", "vol name, key or path"), pool(),
                                bool("bytes", "sizes are represented in bytes rather than pretty units"),
                                bool("physical", "return the physical size of the volume in allocation field")),
                        VolumeCommands::info),
                new CmdDef("vol-dumpxml", GROUP, "vol information in XML", "Output the vol information as an XML dump to stdout.",
                        List.of(data("vol", "vol name, key or path"), pool(),
                                namedString("xpath", "xpath expression to filter the XML document"),
                                bool("wrap", "wrap xpath results in an common root element")), VolumeCommands::dumpxml),
                new CmdDef("vol-create-as", GROUP, "create a volume from a set of args", "Create a vol.", List.of(
                        data("pool", "pool name"), data("name", "name of the volume"),
                        data("capacity", "size of the vol, as scaled integer (default bytes)"),
                        string("allocation", "initial allocation size, as scaled integer (default bytes)"),
                        string("format", "file format type raw,bochs,qcow,qcow2,qed,vmdk"),
                        string("backing-vol", "the backing volume if taking a snapshot"),
                        string("backing-vol-format", "format of backing volume if taking a snapshot"),
                        bool("prealloc-metadata", "preallocate metadata (for qcow2 instead of full allocation)"),
                        bool("print-xml", "print XML document, but don't define/create")), VolumeCreate::createAs),
                new CmdDef("vol-create", GROUP, "create a vol from an XML file", "Create a vol.", List.of(
                        data("pool", "pool name"), data("file", "file containing an XML vol description"),
                        bool("prealloc-metadata", "preallocate metadata (for qcow2 instead of full allocation)"),
                        bool("validate", "validate the XML against the schema")), VolumeCreate::create),
                new CmdDef("vol-create-from", GROUP, "create a vol, using another volume as input",
                        "Create a vol from an existing volume.", List.of(
                        data("pool", "pool name or uuid"), data("file", "file containing an XML vol description"),
                        data("vol", "vol name, key or path"),
                        string("inputpool", "pool name or uuid of the input volume's pool"),
                        bool("prealloc-metadata", "preallocate metadata (for qcow2 instead of full allocation)"),
                        bool("reflink", "use btrfs COW lightweight copy"),
                        bool("validate", "validate the XML against the schema")), VolumeCreate::createFrom),
                new CmdDef("vol-clone", GROUP, "clone a volume.", "Clone an existing volume within the parent pool.", List.of(
                        data("vol", "vol name, key or path"), data("newname", "clone name"), pool(),
                        bool("prealloc-metadata", "preallocate metadata (for qcow2 instead of full allocation)"),
                        bool("reflink", "use btrfs COW lightweight copy"),
                        bool("print-xml", "print XML document rather than clone the volume")), VolumeCreate::cloneVol),
                new CmdDef("vol-resize", GROUP, "resize a vol", "Resizes a storage volume. This is safe only for storage "
                        + "volumes not in use by an active guest.\nSee blockresize for live resizing.", List.of(
                        data("vol", "vol name, key or path"),
                        data("capacity", "new capacity for the vol, as scaled integer (default bytes)"), pool(),
                        bool("allocate", "allocate the new capacity, rather than leaving it sparse"),
                        bool("delta", "use capacity as a delta to current size, rather than the new size"),
                        bool("shrink", "allow the resize to shrink the volume")), VolumeCommands::resize),
                new CmdDef("vol-wipe", GROUP, "wipe a vol", "Ensure data previously on a volume is not accessible to future reads",
                        List.of(data("vol", "vol name, key or path"), pool(),
                                string("algorithm", "perform selected wiping algorithm")), VolumeCommands::wipe),
                new CmdDef("vol-delete", GROUP, "delete a vol", "Delete a given vol.", List.of(
                        data("vol", "vol name, key or path"), pool(),
                        bool("delete-snapshots", "delete snapshots associated with volume (must be supported by storage driver)")),
                        VolumeCommands::delete),
                new CmdDef("vol-path", GROUP, "returns the volume path for a given volume name or key", "",
                        List.of(data("vol", "volume name or key"), pool()), VolumeCommands::path),
                new CmdDef("vol-key", GROUP, "returns the volume key for a given volume name or path", "",
                        List.of(data("vol", "volume name or path"), pool()), VolumeCommands::key),
                new CmdDef("vol-name", GROUP, "returns the volume name for a given volume key or path", "",
                        List.of(data("vol", "volume key or path")), VolumeCommands::name),
                new CmdDef("vol-pool", GROUP, "returns the storage pool for a given volume key or path", "",
                        List.of(data("vol", "volume key or path"), bool("uuid", "return the pool uuid rather than pool name")),
                        VolumeCommands::volPool));
    }

    // ---------------------------------------------------------------- lookup

    /**
     * virshCommandOptVolBy: with --pool, by name in that (active) pool; then by key and by path
     * (byKeyOrPath); null after reporting a failure in virsh's words.
     */
    private static StorageVol lookup(Vsh vsh, Cmd cmd, boolean withPoolOpt, boolean byName) throws LibvirtException {
        return lookup(vsh, cmd, withPoolOpt ? "pool" : null, byName);
    }

    static StorageVol lookup(Vsh vsh, Cmd cmd, String poolOpt, boolean byName) throws LibvirtException {
        boolean withPoolOpt = poolOpt != null;
        String n = cmd.get("vol");
        String p = withPoolOpt ? cmd.get(poolOpt) : null;
        StoragePool pool = null;
        if (p != null) {
            pool = PoolCommands.lookup(vsh, p, true, true);
            if (pool == null) return null;
            if (pool.isActive() != 1) {
                vsh.error("pool '" + p + "' is not active");
                return null;
            }
        }
        LibvirtException last = null;
        StorageVol vol = null;
        if (pool != null && byName) {
            try {
                vol = pool.storageVolLookupByName(n);
            } catch (LibvirtException e) {
                last = e;
            }
        }
        if (vol == null) {
            try {
                vol = vsh.conn().storageVolLookupByKey(n);
            } catch (LibvirtException e) {
                last = e;
            }
        }
        if (vol == null) {
            try {
                vol = vsh.conn().storageVolLookupByPath(n);
            } catch (LibvirtException e) {
                last = e;
            }
        }
        if (vol == null) {
            vsh.fail(pool != null || !withPoolOpt ? "failed to get vol '" + n + "'"
                    : "failed to get vol '" + n + "', specifying --" + poolOpt + " might help", last);
            return null;
        }
        if (pool != null && !vol.storagePoolLookupByVolume().getName().equals(pool.getName())) {
            vsh.error("Requested volume '" + n + "' is not in pool '" + pool.getName() + "'");
            return null;
        }
        return vol;
    }

    static StorageVol lookup(Vsh vsh, Cmd cmd) throws LibvirtException {
        return lookup(vsh, cmd, true, true);
    }

    // ---------------------------------------------------------------- commands

    /** virshVolumeTypeToString. */
    private static String type(StorageVolInfo.VirStorageVolType t) {
        return switch (t) {
            case VIR_STORAGE_VOL_FILE -> "file";
            case VIR_STORAGE_VOL_BLOCK -> "block";
            case VIR_STORAGE_VOL_DIR -> "dir";
            case VIR_STORAGE_VOL_NETWORK -> "network";
            case VIR_STORAGE_VOL_NETDIR -> "netdir";
            case VIR_STORAGE_VOL_PLOOP -> "ploop";
        };
    }

    private static boolean list(Vsh vsh, Cmd cmd) throws LibvirtException {
        StoragePool pool = PoolCommands.lookup(vsh, cmd.get("pool"), true, true);
        if (pool == null) return false;
        StorageVol[] vols;
        try {
            vols = pool.listAllVolumes();
        } catch (LibvirtException e) {
            return vsh.fail("Failed to list volumes", e);
        }
        List<StorageVol> sorted = new ArrayList<>(Arrays.asList(vols));
        sorted.sort(Comparator.comparing(StorageVol::getName, String.CASE_INSENSITIVE_ORDER));
        boolean details = cmd.flag("details");
        VshTable t = details ? new VshTable("Name", "Path", "Type", "Capacity", "Allocation") : new VshTable("Name", "Path");
        for (StorageVol v : sorted) {
            String path;
            try {
                path = v.getPath();
            } catch (LibvirtException e) {
                path = "unknown";
            }
            if (!details) {
                t.add(v.getName(), path);
                continue;
            }
            try {
                StorageVolInfo info = v.getInfo();
                t.add(v.getName(), path, type(info.type), PrettySize.format(info.capacity), PrettySize.format(info.allocation));
            } catch (LibvirtException e) {
                t.add(v.getName(), path, "unknown", "unknown", "unknown");
            }
        }
        vsh.printTable(t);
        return true;
    }

    private static String size(long bytes, boolean inBytes) {
        return inBytes ? Long.toUnsignedString(bytes) + " bytes" : PrettySize.format(bytes);
    }

    private static boolean info(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol v = lookup(vsh, cmd);
        if (v == null) return false;
        // the name comes out before the driver is asked (a volume whose file is gone shows its name, then the error)
        vsh.print(String.format("%-15s %s\n", "Name:", v.getName()));
        // virsh asks virStorageVolGetInfoFlags only for --physical (drivers without it refuse just that)
        StorageVolInfo info = cmd.flag("physical") ? v.getInfoFlags(1) : v.getInfo();
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-15s %s\n", "Type:", type(info.type)));
        b.append(String.format("%-15s %s\n", "Capacity:", size(info.capacity, cmd.flag("bytes"))));
        b.append(String.format("%-15s %s\n", cmd.flag("physical") ? "Physical:" : "Allocation:", size(info.allocation, cmd.flag("bytes"))));
        vsh.print(b.toString());
        return true;
    }

    private static boolean dumpxml(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol v = lookup(vsh, cmd);
        if (v == null) return false;
        return DumpXml.print(vsh, v.getXMLDesc(0), cmd.get("xpath"), cmd.flag("wrap"));
    }


    private static boolean resize(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol v = lookup(vsh, cmd);
        if (v == null) return false;
        String capacity = cmd.get("capacity").stripLeading();
        boolean delta = cmd.flag("delta");
        if (capacity.startsWith("-")) {
            // the API takes a positive value; virsh allows a negative one as a shrinking delta
            if (!cmd.flag("shrink")) {
                vsh.error("negative size requires --shrink");
                return false;
            }
            capacity = capacity.substring(1);
            delta = true;
        }
        long bytes = VolumeCreate.parseSize(vsh, capacity);
        if (bytes < 0) return false;
        // VIR_STORAGE_VOL_RESIZE_ALLOCATE (1), _DELTA (2), _SHRINK (4)
        int flags = (cmd.flag("allocate") ? 1 : 0) | (delta ? 2 : 0) | (cmd.flag("shrink") ? 4 : 0);
        String how = delta ? " by " : " to ";
        try {
            v.resize(bytes, flags);
            vsh.printExtra("Size of volume '" + v.getName() + "' successfully changed" + how + capacity + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to change size of volume '" + v.getName() + "'" + how + capacity, e);
        }
    }

    /** virStorageVolWipeAlgorithm names, by value. */
    private static final List<String> WIPE_ALGORITHMS = List.of("zero", "nnsa", "dod", "bsi", "gutmann", "schneier",
            "pfitzner7", "pfitzner33", "random", "trim");

    private static boolean wipe(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol v = lookup(vsh, cmd);
        if (v == null) return false;
        int algorithm = 0;
        if (cmd.get("algorithm") != null) {
            algorithm = WIPE_ALGORITHMS.indexOf(cmd.get("algorithm"));
            if (algorithm < 0) {
                vsh.error("Unsupported algorithm '" + cmd.get("algorithm") + "'");
                return false;
            }
        }
        try {
            if (algorithm == 0) v.wipe();
            else v.wipePattern(algorithm);
            vsh.printExtra("Vol " + cmd.get("vol") + " wiped\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to wipe vol " + cmd.get("vol"), e);
        }
    }

    private static boolean delete(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol v = lookup(vsh, cmd);
        if (v == null) return false;
        try {
            // VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS
            v.delete(cmd.flag("delete-snapshots") ? 2 : 0);
            vsh.printExtra("Vol " + cmd.get("vol") + " deleted\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to delete vol " + cmd.get("vol"), e);
        }
    }

    private static boolean path(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol v = lookup(vsh, cmd);
        if (v == null) return false;
        vsh.print(v.getPath() + "\n");
        return true;
    }

    private static boolean key(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol v = lookup(vsh, cmd);
        if (v == null) return false;
        vsh.print(v.getKey() + "\n");
        return true;
    }

    private static boolean name(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol v = lookup(vsh, cmd, false, false);
        if (v == null) return false;
        vsh.print(v.getName() + "\n");
        return true;
    }

    private static boolean volPool(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol v = lookup(vsh, cmd, false, false);
        if (v == null) return false;
        StoragePool p;
        try {
            p = v.storagePoolLookupByVolume();
        } catch (LibvirtException e) {
            vsh.error("failed to get parent pool");
            return false;
        }
        vsh.print((cmd.flag("uuid") ? p.getUUIDString() : p.getName()) + "\n");
        return true;
    }
}
