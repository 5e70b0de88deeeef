package org.jvirt.driver.objxml;

import static org.jvirt.driver.objxml.ObjectXml.attr;
import static org.jvirt.driver.objxml.ObjectXml.child;
import static org.jvirt.driver.objxml.ObjectXml.children;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.StoragePoolInfo;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * A storage pool's definition (libvirt's virStoragePoolDef) read from and written as libvirt's
 * pool XML: type, name, uuid and target path checked as virStoragePoolDefParseXML does, the
 * source elements kept in libvirt's order, and the per-type defaults (netfs format "auto";
 * logical source name, format "lvm2" and target /dev/NAME).
 */
public final class PoolDef {

    private static final List<String> SOURCE_ORDER = List.of("host", "device", "dir", "adapter", "name",
            "initiator", "auth", "vendor", "product", "format", "protocol");
    /** Types whose target is a local path the user must give. */
    private static final Set<String> NEEDS_TARGET = Set.of("dir", "fs", "netfs", "disk", "iscsi", "scsi", "mpath");

    private final Element root;
    private final String type;
    private final String name;
    private final String uuid;
    private final String targetPath;

    private PoolDef(Element root, String type, String name, String uuid, String targetPath) {
        this.root = root;
        this.type = type;
        this.name = name;
        this.uuid = uuid;
        this.targetPath = targetPath;
    }

    public static PoolDef parse(String xml, Supplier<UUID> fresh) throws LibvirtException {
        Element root = ObjectXml.parse(xml, "pool", "storage_pool_definition");
        String type = attr(root, "type");
        if (type == null) throw xmlError("Missing required attribute 'type' in element 'pool'");
        if (!StoragePoolInfo.TYPES.contains(type)) {
            throw xmlError("Invalid value for attribute 'type' in element 'pool': '" + type + "'.");
        }
        String name = ObjectXml.childText(root, "name");
        if (name == null) throw xmlError("missing pool source name element");
        if (name.contains("/")) throw xmlError("name " + name + " cannot contain '/'");
        String uuid = ObjectXml.uuid(root, fresh, ErrorNumber.VIR_ERR_XML_ERROR);
        Element target = child(root, "target");
        String path = target == null ? null : ObjectXml.childText(target, "path");
        if (path == null && type.equals("logical")) path = "/dev/" + sourceName(root, name);
        if (path == null && NEEDS_TARGET.contains(type)) throw xmlError("missing storage pool target path");
        return new PoolDef(root, type, name, uuid, path);
    }

    private static LibvirtException xmlError(String message) {
        return new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_STORAGE, message);
    }

    private static String sourceName(Element root, String poolName) {
        Element source = child(root, "source");
        String n = source == null ? null : ObjectXml.childText(source, "name");
        return n == null ? poolName : n;
    }

    public String type() { return type; }

    public String name() { return name; }

    public String uuid() { return uuid; }

    /** The target path, or null for types without one. */
    public String targetPath() { return targetPath; }

    /** The XML as virStoragePoolDefFormat writes it, with the pool's current sizes in bytes. */
    public String format(long capacity, long allocation, long available) {
        return format(capacity, allocation, available, null);
    }

    /** A target's permissions as a pool's refresh reads them from its directory (mode in octal). */
    public record Permissions(int mode, long owner, long group) {
        public void format(XmlOut o) {
            o.open("permissions");
            o.element("mode", String.format("%04o", mode));
            o.element("owner", Long.toString(owner));
            o.element("group", Long.toString(group));
            o.close("permissions");
        }
    }

    /** The mode the XML's target permissions ask for, or fallback. */
    public int targetMode(int fallback) {
        Element target = child(root, "target");
        Element perms = target == null ? null : child(target, "permissions");
        String mode = perms == null ? null : ObjectXml.childText(perms, "mode");
        return mode == null ? fallback : Integer.parseInt(mode.trim(), 8);
    }

    /** As {@link #format(long, long, long)}, the target's permissions replaced by perms when not null. */
    public String format(long capacity, long allocation, long available, Permissions perms) {
        XmlOut o = new XmlOut();
        o.open("pool type='" + type + "'");
        o.element("name", name);
        o.element("uuid", uuid);
        o.line("<capacity unit='bytes'>" + capacity + "</capacity>");
        o.line("<allocation unit='bytes'>" + allocation + "</allocation>");
        o.line("<available unit='bytes'>" + available + "</available>");
        formatSource(o);
        if (targetPath != null) {
            o.open("target");
            o.element("path", targetPath);
            Element target = child(root, "target");
            if (target != null) {
                for (Element c : children(target)) {
                    if (!c.name.equals("path") && !(perms != null && c.name.equals("permissions"))) o.copy(c);
                }
            }
            if (perms != null) perms.format(o);
            o.close("target");
        }
        o.close("pool");
        return o.toString();
    }

    private void formatSource(XmlOut o) {
        Element source = child(root, "source");
        o.open("source");
        for (String n : SOURCE_ORDER) {
            boolean seen = false;
            if (source != null) {
                for (Element c : children(source)) {
                    if (c.name.equals(n)) {
                        o.copy(c);
                        seen = true;
                    }
                }
            }
            if (!seen && type.equals("logical") && n.equals("name")) o.element("name", sourceName(root, name));
            if (!seen && n.equals("format")) {
                if (type.equals("netfs")) o.line("<format type='auto'/>");
                if (type.equals("logical")) o.line("<format type='lvm2'/>");
            }
        }
        o.close("source");
    }
}
