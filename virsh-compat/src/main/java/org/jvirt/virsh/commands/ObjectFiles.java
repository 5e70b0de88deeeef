package org.jvirt.virsh.commands;

import org.jvirt.driver.api.Error.ErrorDomain;
import org.jvirt.driver.api.Error.ErrorNumber;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.xml.io.XmlFileReadException;
import org.jvirt.xml.io.XmlFiles;
import org.jvirt.xml.io.XmlLimits;

/** virsh's reading of an XML file for net-define, pool-create... (virFileReadAll: 10 MiB at most, errors in its words). */
final class ObjectFiles {

    private ObjectFiles() { }

    static String read(Vsh vsh, String file) throws LibvirtException {
        try {
            return XmlFiles.read(vsh.path(file), XmlLimits.LIBVIRT);
        } catch (XmlFileReadException e) {
            throw new LibvirtException(ErrorNumber.VIR_ERR_SYSTEM_ERROR, ErrorDomain.VIR_FROM_NONE,
                    (e.opening() ? "Failed to open file '" : "Failed to read file '") + file + "': " + e.reason());
        }
    }
}
