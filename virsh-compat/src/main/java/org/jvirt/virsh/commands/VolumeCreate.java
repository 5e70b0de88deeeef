package org.jvirt.virsh.commands;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePool;
import org.jvirt.driver.api.StorageVol;
import org.jvirt.driver.objxml.ScaledSize;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.Vsh;

/** virsh's volume creation commands: vol-create-as (and its sizes), vol-create, vol-create-from, vol-clone. */
final class VolumeCreate {

    private VolumeCreate() { }

    /** virshVolSize: an unsigned decimal number and a virScaleInteger suffix (default bytes). */
    private static long volSize(String text) throws LibvirtException {
        int i = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        if (i == 0) return -1;
        long n;
        try {
            n = Long.parseLong(text.substring(0, i));
        } catch (NumberFormatException e) {
            return -1;
        }
        String suffix = text.substring(i);
        long scale = ScaledSize.scale(suffix, 1);
        if (scale < 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_NONE, "unknown suffix '" + suffix + "'");
        }
        if (n != 0 && Long.compareUnsigned(n, Long.divideUnsigned(-1L, scale)) > 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_OVERFLOW, ErrorDomain.VIR_FROM_NONE, "value too large: " + n + suffix);
        }
        return n * scale;
    }

    static long parseSize(Vsh vsh, String text) throws LibvirtException {
        try {
            long v = volSize(text);
            if (v < 0) vsh.error("Malformed size " + text);
            return v;
        } catch (LibvirtException e) {
            vsh.fail("Malformed size " + text, e);
            return -2;
        }
    }

    static boolean createAs(Vsh vsh, Cmd cmd) throws LibvirtException {
        StoragePool pool = PoolCommands.lookup(vsh, cmd.get("pool"), true, true);
        if (pool == null) return false;
        String name = cmd.get("name");
        long capacity = parseSize(vsh, cmd.get("capacity"));
        if (capacity < 0) return false;
        StringBuilder xml = new StringBuilder("<volume>\n  <name>").append(name).append("</name>\n");
        xml.append("  <capacity>").append(Long.toUnsignedString(capacity)).append("</capacity>\n");
        if (cmd.get("allocation") != null) {
            long allocation = parseSize(vsh, cmd.get("allocation"));
            if (allocation < 0) return false;
            xml.append("  <allocation>").append(Long.toUnsignedString(allocation)).append("</allocation>\n");
        }
        if (cmd.get("format") != null) {
            xml.append("  <target>\n    <format type='").append(cmd.get("format")).append("'/>\n  </target>\n");
        }
        if (cmd.get("backing-vol") != null) {
            String b = cmd.get("backing-vol");
            StorageVol snap = null;
            for (int attempt = 0; attempt < 3 && snap == null; attempt++) {
                try {
                    snap = attempt == 0 ? pool.storageVolLookupByName(b)
                            : attempt == 1 ? vsh.conn().storageVolLookupByKey(b) : vsh.conn().storageVolLookupByPath(b);
                } catch (LibvirtException e) {
                    // tried as name, key, then path
                }
            }
            if (snap == null) {
                vsh.error("failed to get vol '" + b + "'");
                return false;
            }
            xml.append("  <backingStore>\n    <path>").append(snap.getPath()).append("</path>\n");
            if (cmd.get("backing-vol-format") != null) {
                xml.append("    <format type='").append(cmd.get("backing-vol-format")).append("'/>\n");
            }
            xml.append("  </backingStore>\n");
        }
        xml.append("</volume>\n");
        if (cmd.flag("print-xml")) {
            vsh.print(xml.toString());
            return true;
        }
        try {
            pool.storageVolCreateXML(xml.toString(), cmd.flag("prealloc-metadata") ? 1 : 0);
            vsh.printExtra("Vol " + name + " created\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to create vol " + name, e);
        }
    }

    static boolean create(Vsh vsh, Cmd cmd) throws LibvirtException {
        // VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA (1), _VALIDATE (4)
        int flags = (cmd.flag("prealloc-metadata") ? 1 : 0) | (cmd.flag("validate") ? 4 : 0);
        StoragePool pool = PoolCommands.lookup(vsh, cmd.get("pool"), true, true);
        if (pool == null) return false;
        String file = cmd.get("file");
        String xml = ObjectFiles.read(vsh, file);
        try {
            StorageVol v = pool.storageVolCreateXML(xml, flags);
            vsh.printExtra("Vol " + v.getName() + " created from " + file + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to create vol from " + file, e);
        }
    }

    static boolean createFrom(Vsh vsh, Cmd cmd) throws LibvirtException {
        StoragePool pool = PoolCommands.lookup(vsh, cmd.get("pool"), true, true);
        if (pool == null) return false;
        // VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA (1), _REFLINK (2), _VALIDATE (4)
        int flags = (cmd.flag("prealloc-metadata") ? 1 : 0) | (cmd.flag("reflink") ? 2 : 0) | (cmd.flag("validate") ? 4 : 0);
        String file = cmd.get("file");
        StorageVol input = VolumeCommands.lookup(vsh, cmd, "inputpool", true);
        if (input == null) return false;
        String xml = ObjectFiles.read(vsh, file);
        try {
            StorageVol v = pool.storageVolCreateXMLFrom(xml, input, flags);
            vsh.printExtra("Vol " + v.getName() + " created from input vol " + input.getName() + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to create vol from " + file, e);
        }
    }

    /** virsh's vol-clone: the volume's XML with the new name, created from it in its own pool. */
    static boolean cloneVol(Vsh vsh, Cmd cmd) throws LibvirtException {
        StorageVol orig = VolumeCommands.lookup(vsh, cmd);
        if (orig == null) return false;
        int flags = (cmd.flag("prealloc-metadata") ? 1 : 0) | (cmd.flag("reflink") ? 2 : 0);
        StoragePool pool;
        try {
            pool = orig.storagePoolLookupByVolume();
        } catch (LibvirtException e) {
            vsh.error("failed to get parent pool");
            return false;
        }
        String xml = DumpXml.withName(orig.getXMLDesc(0), cmd.get("newname"));
        if (cmd.flag("print-xml")) {
            vsh.print(xml);
            return true;
        }
        try {
            pool.storageVolCreateXMLFrom(xml, orig, flags);
            vsh.printExtra("Vol " + cmd.get("newname") + " cloned from " + orig.getName() + "\n");
            return true;
        } catch (LibvirtException e) {
            return vsh.fail("Failed to clone vol from " + orig.getName(), e);
        }
    }
}
