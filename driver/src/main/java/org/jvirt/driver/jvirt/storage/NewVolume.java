package org.jvirt.driver.jvirt.storage;

import static org.jvirt.driver.objxml.ObjectXml.attr;
import static org.jvirt.driver.objxml.ObjectXml.child;
import static org.jvirt.driver.objxml.ObjectXml.childText;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.objxml.ObjectXml;
import org.jvirt.driver.objxml.VolumeDef;
import org.jvirt.xml.model.SourceTree.Element;

/**
 * A volume to create, from virStorageVolCreateXML's document: what {@link VolumeDef} reads
 * (name, sizes, format with the dir pool's default raw) plus the backing store and the
 * target's mode (libvirt's default for new volumes: 0600) and the qcow2 version: 3 when the
 * target asks compat 1.1 or features, else 2 (libvirt asks qemu-img for compat=0.10 then).
 */
record NewVolume(VolumeDef def, String backingPath, String backingFormat, int mode, int qcow2Version) {

    static final int DEFAULT_MODE = 0600;

    static NewVolume parse(String xml) throws LibvirtException {
        VolumeDef def = VolumeDef.parse(xml, "dir");
        if (def.name().contains("/")) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_INVALID_ARG, ErrorDomain.VIR_FROM_STORAGE,
                    "volume name '" + def.name() + "' cannot contain '/'");
        }
        Element root = ObjectXml.parse(xml, "volume", "storage_volume_definition");
        Element backing = child(root, "backingStore");
        String backingPath = backing == null ? null : childText(backing, "path");
        Element bf = backing == null ? null : child(backing, "format");
        String backingFormat = bf == null ? null : attr(bf, "type");
        Element target = child(root, "target");
        Element perms = target == null ? null : child(target, "permissions");
        String mode = perms == null ? null : childText(perms, "mode");
        int m;
        try {
            m = mode == null ? DEFAULT_MODE : Integer.parseInt(mode.trim(), 8);
        } catch (NumberFormatException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_XML_ERROR, ErrorDomain.VIR_FROM_STORAGE, "malformed octal mode");
        }
        String compat = target == null ? null : childText(target, "compat");
        boolean features = target != null && child(target, "features") != null;
        int version = compat != null ? (compat.trim().equals("0.10") ? 2 : 3) : features ? 3 : 2;
        return new NewVolume(def, backingPath, backingFormat, m, version);
    }
}
