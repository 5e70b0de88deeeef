package org.jvirt.driver.test;

import java.util.List;
import org.jvirt.driver.def.DomainDefinition;

/** A snapshot of the test driver: what virDomainSnapshotDef holds for an internal snapshot. */
final class TestSnapshot {
    final String name;
    final String description;
    /** "running", "paused" or "shutoff". */
    final String state;
    final long creationTime;
    final DomainDefinition domain;
    /** Disk targets with the snapshot mode libvirt aligned for them, then type, driver type and file of external ones. */
    final List<String[]> disks;
    /** The memory snapshot mode ("no", "internal" or "external"). */
    final String memory;
    /** The external memory snapshot's file, or null. */
    String memoryFile;
    String parent;

    TestSnapshot(String name, String description, String state, long creationTime, DomainDefinition domain,
                 List<String[]> disks, String parent) {
        this(name, description, state, creationTime, domain, disks, state.equals("shutoff") ? "no" : "internal", parent);
    }

    TestSnapshot(String name, String description, String state, long creationTime, DomainDefinition domain,
                 List<String[]> disks, String memory, String parent) {
        this.name = name;
        this.description = description;
        this.state = state;
        this.creationTime = creationTime;
        this.domain = domain;
        this.disks = disks;
        this.memory = memory;
        this.parent = parent;
    }

    /** virDomainSnapshotDefFormat: libvirt's layout, the domain indented by two spaces. */
    String format() {
        StringBuilder b = new StringBuilder("<domainsnapshot>\n");
        b.append("  <name>").append(Xml.escape(name)).append("</name>\n");
        if (description != null) b.append("  <description>").append(Xml.escape(description)).append("</description>\n");
        b.append("  <state>").append(state).append("</state>\n");
        if (parent != null) b.append("  <parent>\n    <name>").append(Xml.escape(parent)).append("</name>\n  </parent>\n");
        b.append("  <creationTime>").append(creationTime).append("</creationTime>\n");
        b.append("  <memory snapshot='").append(memory).append('\'');
        if (memoryFile != null) b.append(" file='").append(Xml.escape(memoryFile)).append('\'');
        b.append("/>\n");
        if (disks.isEmpty()) {
            b.append("  <disks/>\n");
        } else {
            b.append("  <disks>\n");
            for (String[] d : disks) org.jvirt.driver.def.SnapshotDiskAlign.formatDisk(b, d);
            b.append("  </disks>\n");
        }
        for (String line : domain.format(-1).split("\n")) b.append("  ").append(line).append('\n');
        return b.append("</domainsnapshot>\n").toString();
    }
}
