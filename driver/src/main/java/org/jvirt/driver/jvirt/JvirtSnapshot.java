package org.jvirt.driver.jvirt;

import java.util.List;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.test.SnapshotRequest;

/**
 * One snapshot's metadata as libvirt's virDomainSnapshotDef holds it for an internal snapshot:
 * name, description, state ("running", "paused", "shutoff", "disk-snapshot"), creation time, parent,
 * memory mode (and the file of external memory),
 * disk targets with their mode ("internal" or "no") and the domain's XML at that moment.
 */
record JvirtSnapshot(String name, String description, String state, long creationTime, String parent,
                     String memory, String memoryFile, List<String[]> disks, String domainXml) {

    JvirtSnapshot withParent(String p) {
        return new JvirtSnapshot(name, description, state, creationTime, p, memory, memoryFile, disks, domainXml);
    }

    /** virDomainSnapshotDefFormat's layout: the domain indented by two spaces. */
    String format() {
        StringBuilder b = new StringBuilder("<domainsnapshot>\n");
        b.append("  <name>").append(escape(name)).append("</name>\n");
        if (description != null) b.append("  <description>").append(escape(description)).append("</description>\n");
        b.append("  <state>").append(state).append("</state>\n");
        if (parent != null) b.append("  <parent>\n    <name>").append(escape(parent)).append("</name>\n  </parent>\n");
        b.append("  <creationTime>").append(creationTime).append("</creationTime>\n");
        b.append("  <memory snapshot='").append(memory).append('\'');
        if (memoryFile != null) b.append(" file='").append(escape(memoryFile)).append('\'');
        b.append("/>\n");
        if (disks.isEmpty()) {
            b.append("  <disks/>\n");
        } else {
            b.append("  <disks>\n");
            for (String[] d : disks) org.jvirt.driver.def.SnapshotDiskAlign.formatDisk(b, d);
            b.append("  </disks>\n");
        }
        for (String line : domainXml.split("\n")) b.append("  ").append(line).append('\n');
        return b.append("</domainsnapshot>\n").toString();
    }

    /** Part I of a disk entry, null when absent or empty. */
    static String part(String[] d, int i) {
        return i < d.length && d[i] != null && !d[i].isEmpty() ? d[i] : null;
    }

    /** True when a disk or the memory was saved outside the disk images (virDomainSnapshotIsExternal). */
    boolean external() {
        if ("external".equals(memory)) return true;
        for (String[] d : disks) if ("external".equals(d[1])) return true;
        return false;
    }

    JvirtSnapshot withDomainXml(String xml) {
        return new JvirtSnapshot(name, description, state, creationTime, parent, memory, memoryFile, disks, xml);
    }

    /** The metadata as {@link #format()} wrote it. */
    static JvirtSnapshot parse(String xml) throws LibvirtException {
        SnapshotRequest r = SnapshotRequest.parse(xml);
        // the domain was written indented by two spaces: undo that
        String domain = r.domainXml() == null ? "" : r.domainXml().replace("\n  ", "\n");
        return new JvirtSnapshot(r.name(), r.description(), r.state(), r.creationTime() == null ? 0 : r.creationTime(),
                r.parent(), r.memory(), r.memoryFile(), r.disks(), domain);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace("\"", "&quot;");
    }
}
