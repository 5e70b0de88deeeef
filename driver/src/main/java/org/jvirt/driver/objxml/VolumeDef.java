package org.jvirt.driver.objxml;

import static org.jvirt.driver.objxml.ObjectXml.attr;
import static org.jvirt.driver.objxml.ObjectXml.child;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * A storage volume's definition (libvirt's virStorageVolDef) as virStorageVolDefParseXML reads
 * it: name, capacity and allocation with their units (allocation defaults to the capacity),
 * target format (by the pool's type). The test driver writes every volume as type 'file'.
 */
public final class VolumeDef {

    private final String name;
    private final long capacity;
    private final long allocation;
    private final String format;
    /** The format the XML names, before the pool's default applies. */
    private String givenFormat;

    private VolumeDef(String name, long capacity, long allocation, String format) {
        this.name = name;
        this.capacity = capacity;
        this.allocation = allocation;
        this.format = format;
    }

    /** virStorageFileFormat: the formats of file-backed volumes (dir, fs, netfs, rbd ... pools). */
    private static final java.util.List<String> FILE_FORMATS = java.util.List.of("none", "raw", "dir", "bochs", "cloop",
            "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk");
    /** virStorageVolFormatDisk: partition types of disk pools. */
    private static final java.util.List<String> DISK_FORMATS = java.util.List.of("none", "linux", "fat16", "fat32",
            "linux-swap", "linux-lvm", "linux-raid", "extended");
    /** Pools whose volumes have no format (logical volumes, LUNs...). */
    private static final java.util.Set<String> NO_FORMAT = java.util.Set.of("logical", "iscsi", "iscsi-direct", "scsi", "mpath", "zfs");

    /**
     * Parses a volume for a pool of poolType: the target format defaults as that pool's backend
     * says (raw for files, none for disk partitions, none at all for logical volumes and LUNs),
     * and a format the backend does not know is refused as libvirt does.
     */
    public static VolumeDef parse(String xml, String poolType) throws LibvirtException {
        VolumeDef d = parse(xml);
        if (NO_FORMAT.contains(poolType)) return new VolumeDef(d.name, d.capacity, d.allocation, null);
        boolean disk = poolType.equals("disk");
        String format = d.givenFormat == null ? (disk ? "none" : "raw") : d.givenFormat;
        if (!(disk ? DISK_FORMATS : FILE_FORMATS).contains(format)) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorDomain.VIR_FROM_STORAGE,
                    "unknown volume format type " + format);
        }
        return new VolumeDef(d.name, d.capacity, d.allocation, format);
    }

    private static VolumeDef parse(String xml) throws LibvirtException {
        Element root = ObjectXml.parse(xml, "volume", "storage_volume_definition");
        String name = ObjectXml.childText(root, "name");
        if (name == null) throw new LibvirtException(ErrorNumber.VIR_ERR_NO_NAME, ErrorDomain.VIR_FROM_STORAGE, null);
        // libvirt's test driver takes any volume name, '/' included (it only joins it to the pool's path)
        Long capacity = size(child(root, "capacity"));
        if (capacity == null) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_STORAGE, "missing capacity element");
        }
        Long allocation = size(child(root, "allocation"));
        Element target = child(root, "target");
        Element format = target == null ? null : child(target, "format");
        String type = format == null ? null : attr(format, "type");
        VolumeDef d = new VolumeDef(name, capacity, allocation == null ? capacity : allocation, null);
        d.givenFormat = type;
        return d;
    }

    /** A size element with its unit attribute (default bytes), or null when absent. */
    private static Long size(Element e) throws LibvirtException {
        if (e == null) return null;
        long bytes = ScaledSize.bytes(ObjectXml.text(e), attr(e, "unit"));
        if (bytes < 0) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_STORAGE,
                    "malformed " + e.name + " element");
        }
        return bytes;
    }

    public String name() { return name; }

    public long capacity() { return capacity; }

    public long allocation() { return allocation; }

    /** The target format, or null for volumes without one. */
    public String format() { return format; }

    /** The XML as virStorageVolDefFormat writes it for a file volume at path. */
    public String format(String path, long alloc) {
        XmlOut o = new XmlOut();
        o.open("volume type='file'");
        o.element("name", name);
        o.element("key", path);
        o.line("<capacity unit='bytes'>" + capacity + "</capacity>");
        o.line("<allocation unit='bytes'>" + alloc + "</allocation>");
        o.open("target");
        o.element("path", path);
        if (format != null) o.line("<format type='" + XmlOut.escape(format) + "'/>");
        o.close("target");
        o.close("volume");
        return o.toString();
    }
}
