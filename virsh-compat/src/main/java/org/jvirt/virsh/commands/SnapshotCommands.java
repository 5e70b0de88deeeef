package org.jvirt.virsh.commands;

import static org.jvirt.virsh.shell.OptDef.bool;
import static org.jvirt.virsh.shell.OptDef.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainSnapshot;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.OptDef;
import org.jvirt.virsh.shell.Vsh;
import org.jvirt.virsh.shell.VshTable;

/** The snapshot commands (virsh-snapshot.c). */
final class SnapshotCommands {

    private SnapshotCommands() { }

    static final String GROUP = "Snapshot (help keyword 'snapshot')";

    static List<CmdDef> all() {
        return List.of(
                new CmdDef("snapshot-create-as", GROUP, "Create a snapshot from a set of args",
                        "Create a snapshot (disk and RAM) from arguments", List.of(domain(),
                        OptDef.string("name", "name of snapshot"), OptDef.string("description", "description of snapshot"),
                        bool("print-xml", "print XML document rather than create"),
                        bool("no-metadata", "take snapshot but create no metadata"),
                        bool("halt", "halt domain after snapshot is created"),
                        bool("disk-only", "capture disk state but not vm state"),
                        bool("reuse-external", "reuse any existing external files"),
                        bool("quiesce", "quiesce guest's file systems"),
                        bool("atomic", "require atomic operation"), bool("live", "take a live snapshot"),
                        bool("validate", "validate the XML against the schema"),
                        OptDef.namedString("memspec", "memory attributes: [file=]name[,snapshot=type]"),
                        OptDef.argv("diskspec", "disk attributes: disk[,snapshot=type][,driver=type][,stype=type][,file=name]")),
                        SnapshotCommands::createAs).unsupported("memspec", "diskspec"),
                new CmdDef("snapshot-list", GROUP, "List snapshots for a domain", "Snapshot List", List.of(domain(),
                        bool("parent", "add a column showing parent snapshot"), bool("roots", "list only snapshots without parents"),
                        bool("leaves", "list only snapshots without children"),
                        bool("no-leaves", "list only snapshots that are not leaves (with children)"),
                        bool("metadata", "list only snapshots that have metadata that would prevent undefine"),
                        bool("no-metadata", "list only snapshots that have no metadata managed by libvirt"),
                        bool("inactive", "filter by snapshots taken while inactive"),
                        bool("active", "filter by snapshots taken while active (full system snapshots)"),
                        bool("disk-only", "filter by disk-only snapshots"), bool("internal", "filter by internal snapshots"),
                        bool("external", "filter by external snapshots"), bool("tree", "list snapshots in a tree"),
                        OptDef.string("from", "limit list to children of given snapshot"),
                        bool("current", "limit list to children of current snapshot"),
                        bool("descendants", "with --from, list all descendants"),
                        bool("name", "list snapshot names only"), bool("topological", "sort list topologically rather than by name")),
                        SnapshotCommands::list),
                new CmdDef("snapshot-info", GROUP, "snapshot information", "Returns basic information about a snapshot.",
                        List.of(domain(), OptDef.string("snapshotname", "snapshot name"),
                                bool("current", "info on current snapshot")), SnapshotCommands::info),
                new CmdDef("snapshot-dumpxml", GROUP, "Dump XML for a domain snapshot", "Snapshot Dump XML",
                        List.of(domain(), OptDef.data("snapshotname", "snapshot name"),
                                bool("security-info", "include security sensitive information in XML dump"),
                                OptDef.namedString("xpath", "xpath expression to filter the XML document"),
                                bool("wrap", "wrap xpath results in an common root element")),
                        SnapshotCommands::dumpxml).unsupported("xpath", "wrap"),
                new CmdDef("snapshot-current", GROUP, "Get or set the current snapshot", "Get or set the current snapshot",
                        List.of(domain(), bool("name", "list the name, rather than the full xml"),
                                bool("security-info", "include security sensitive information in XML dump"),
                                OptDef.string("snapshotname", "name of existing snapshot to make current")),
                        SnapshotCommands::current),
                new CmdDef("snapshot-revert", GROUP, "Revert a domain to a snapshot", "Revert domain to snapshot",
                        List.of(domain(), OptDef.string("snapshotname", "snapshot name"),
                                bool("current", "revert to current snapshot"), bool("running", "after reverting, change state to running"),
                                bool("paused", "after reverting, change state to paused"),
                                bool("force", "try harder on risky reverts"),
                                bool("reset-nvram", "re-initialize NVRAM from its pristine template")), SnapshotCommands::revert),
                new CmdDef("snapshot-delete", GROUP, "Delete a domain snapshot", "Snapshot Delete",
                        List.of(domain(), OptDef.string("snapshotname", "snapshot name"),
                                bool("current", "delete current snapshot"), bool("children", "delete snapshot and all children"),
                                bool("children-only", "delete children but not snapshot"),
                                bool("metadata", "delete only libvirt metadata, leaving snapshot contents behind")),
                        SnapshotCommands::delete));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static boolean createAs(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        StringBuilder xml = new StringBuilder("<domainsnapshot>\n");
        if (cmd.get("name") != null) xml.append("  <name>").append(escape(cmd.get("name"))).append("</name>\n");
        if (cmd.get("description") != null) {
            xml.append("  <description>").append(escape(cmd.get("description"))).append("</description>\n");
        }
        xml.append("</domainsnapshot>\n");
        if (cmd.flag("print-xml")) {
            vsh.print(xml.toString());
            return true;
        }
        DomainSnapshot s = d.snapshotCreateXML(xml.toString(), 0);
        vsh.printExtra("Domain snapshot " + s.getName() + " created");
        return true;
    }

    /** The snapshot named by snapshotname or --current. */
    private static DomainSnapshot pick(Vsh vsh, Cmd cmd, Domain d) throws LibvirtException {
        if (cmd.get("snapshotname") != null) return d.snapshotLookupByName(cmd.get("snapshotname"));
        if (cmd.flag("current")) return d.snapshotCurrent();
        throw new Vsh.LookupFailed("--snapshotname or --current is required");
    }

    private static final Pattern STATE = Pattern.compile("<state>([^<]*)</state>");
    private static final Pattern TIME = Pattern.compile("<creationTime>(\\d+)</creationTime>");

    private record Row(String name, String parent, String state, long time) { }

    private static Row row(DomainSnapshot s) throws LibvirtException {
        String xml = s.getXMLDesc();
        Matcher st = STATE.matcher(xml);
        Matcher tm = TIME.matcher(xml);
        return new Row(s.getName(), s.getParentName(), st.find() ? st.group(1) : "",
                tm.find() ? Long.parseLong(tm.group(1)) : 0);
    }

    private static boolean list(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        int flags = 0;
        if (cmd.flag("roots")) flags |= Flags.SnapshotList.ROOTS;
        if (cmd.flag("leaves")) flags |= Flags.SnapshotList.LEAVES;
        if (cmd.flag("no-leaves")) flags |= Flags.SnapshotList.NO_LEAVES;
        if (cmd.flag("metadata")) flags |= Flags.SnapshotList.METADATA;
        if (cmd.flag("no-metadata")) flags |= Flags.SnapshotList.NO_METADATA;
        if (cmd.flag("inactive")) flags |= Flags.SnapshotList.INACTIVE;
        if (cmd.flag("active")) flags |= Flags.SnapshotList.ACTIVE;
        if (cmd.flag("disk-only")) flags |= Flags.SnapshotList.DISK_ONLY;
        if (cmd.flag("internal")) flags |= Flags.SnapshotList.INTERNAL;
        if (cmd.flag("external")) flags |= Flags.SnapshotList.EXTERNAL;
        List<String> names;
        DomainSnapshot from = null;
        if (cmd.get("from") != null) from = d.snapshotLookupByName(cmd.get("from"));
        else if (cmd.flag("current") && d.hasCurrentSnapshot()) from = d.snapshotCurrent();
        if (from != null) {
            int childFlags = flags & ~Flags.SnapshotList.ROOTS;
            if (cmd.flag("descendants") || cmd.flag("tree")) childFlags |= Flags.SnapshotList.DESCENDANTS;
            names = List.of(from.listChildrenNames(childFlags));
        } else if (cmd.flag("current")) {
            names = List.of();
        } else {
            names = List.of(d.snapshotListNames(flags));
        }
        List<Row> rows = new ArrayList<>();
        for (String n : names) rows.add(row(d.snapshotLookupByName(n)));
        rows.sort(Comparator.comparing(Row::name));
        if (cmd.flag("tree")) {
            StringBuilder b = new StringBuilder();
            Map<String, Row> byName = new LinkedHashMap<>();
            for (Row r : rows) byName.put(r.name, r);
            for (Row r : rows) {
                if (r.parent == null || !byName.containsKey(r.parent)) tree(b, rows, r, r, true, new StringBuilder());
            }
            vsh.print(b.toString());
            return true;
        }
        if (cmd.flag("name")) {
            StringBuilder b = new StringBuilder();
            for (Row r : rows) b.append(r.name).append('\n');
            vsh.print(b.toString());
            return true;
        }
        boolean parent = cmd.flag("parent");
        VshTable t = parent ? new VshTable("Name", "Creation Time", "State", "Parent")
                : new VshTable("Name", "Creation Time", "State");
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z").withZone(ZoneId.systemDefault());
        for (Row r : rows) {
            String time = fmt.format(Instant.ofEpochSecond(r.time));
            if (parent) t.add(r.name, time, r.state, r.parent == null ? "" : r.parent);
            else t.add(r.name, time, r.state);
        }
        vsh.printTable(t);
        return true;
    }

    /** vshTreePrintInternal: the same drawing virsh makes. */
    private static void tree(StringBuilder b, List<Row> rows, Row dev, Row lastdev, boolean root, StringBuilder indent) {
        b.append(indent).append(root ? "" : "+- ").append(dev.name).append('\n');
        if (!root) indent.append(dev == lastdev ? ' ' : '|').append(' ');
        Row nextLast = null;
        for (Row r : rows) if (dev.name.equals(r.parent)) nextLast = r;
        if (nextLast != null) b.append(indent).append("  |\n");
        indent.append("  ");
        for (Row r : rows) if (dev.name.equals(r.parent)) tree(b, rows, r, nextLast, false, indent);
        indent.setLength(indent.length() - 2);
        if (nextLast == null && dev == lastdev) b.append(indent).append('\n');
        if (!root) indent.setLength(indent.length() - 2);
    }

    private static String field(String label, String value) {
        return String.format("%-15s %s", label, value) + "\n";
    }

    private static boolean info(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        DomainSnapshot s = pick(vsh, cmd, d);
        Row r = row(s);
        String xml = s.getXMLDesc();
        StringBuilder b = new StringBuilder();
        b.append(field("Name:", s.getName()));
        b.append(field("Domain:", d.getName()));
        b.append(field("Current:", s.isCurrent() ? "yes" : "no"));
        b.append(field("State:", r.state));
        boolean external = xml.contains("snapshot='external'");
        boolean internal = xml.contains("snapshot='internal'");
        b.append(field("Location:", external ? (internal ? "mixed" : "external") : "internal"));
        b.append(field("Parent:", r.parent == null ? "-" : r.parent));
        b.append(field("Children:", Integer.toString(s.listChildrenNames(0).length)));
        b.append(field("Descendants:", Integer.toString(s.listChildrenNames(Flags.SnapshotList.DESCENDANTS).length)));
        b.append(field("Metadata:", "yes"));
        vsh.print(b.toString());
        return true;
    }

    private static boolean dumpxml(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        vsh.print(d.snapshotLookupByName(cmd.get("snapshotname")).getXMLDesc());
        return true;
    }

    private static boolean current(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        if (!d.hasCurrentSnapshot()) {
            vsh.error("domain '" + d.getName() + "' has no current snapshot");
            return false;
        }
        DomainSnapshot s = d.snapshotCurrent();
        vsh.print(cmd.flag("name") ? s.getName() : s.getXMLDesc());
        return true;
    }

    private static boolean revert(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        DomainSnapshot s = pick(vsh, cmd, d);
        d.revertToSnapshot(s);
        vsh.printExtra("Domain snapshot " + s.getName() + " reverted\n");
        return true;
    }

    private static boolean delete(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        DomainSnapshot s = pick(vsh, cmd, d);
        int flags = (cmd.flag("children") ? Flags.SnapshotDelete.CHILDREN : 0)
                | (cmd.flag("children-only") ? Flags.SnapshotDelete.CHILDREN_ONLY : 0)
                | (cmd.flag("metadata") ? Flags.SnapshotDelete.METADATA_ONLY : 0);
        try {
            s.delete(flags);
        } catch (LibvirtException e) {
            return vsh.fail("Failed to delete snapshot " + s.getName(), e);
        }
        vsh.printExtra(cmd.flag("children-only") ? "Domain snapshot " + s.getName() + " children deleted\n"
                : "Domain snapshot " + s.getName() + " deleted\n");
        return true;
    }
}
