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
 * target format (default raw).
 */
public final class VolumeDef {

    private final String name;
    private final long capacity;
    private final long allocation;
    private final String format;

    private VolumeDef(String name, long capacity, long allocation, String format) {
        this.name = name;
        this.capacity = capacity;
        this.allocation = allocation;
        this.format = format;
    }

    public static VolumeDef parse(String xml) throws LibvirtException {
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
        return new VolumeDef(name, capacity, allocation == null ? capacity : allocation, type == null ? "raw" : type);
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
        o.line("<format type='" + XmlOut.escape(format) + "'/>");
        o.close("target");
        o.close("volume");
        return o.toString();
    }
}
