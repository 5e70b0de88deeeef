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
import org.jvirt.driver.api.Error.ErrorNumber;
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
                        SnapshotCommands::createAs),
                new CmdDef("snapshot-create", GROUP, "Create a snapshot from XML", "Create a snapshot (disk and RAM) from XML",
                        List.of(domain(), OptDef.string("xmlfile", "domain snapshot XML"),
                                bool("redefine", "redefine metadata for existing snapshot"),
                                bool("current", "with redefine, set current snapshot"),
                                bool("no-metadata", "take snapshot but create no metadata"),
                                bool("halt", "halt domain after snapshot is created"),
                                bool("disk-only", "capture disk state but not vm state"),
                                bool("reuse-external", "reuse any existing external files"),
                                bool("quiesce", "quiesce guest's file systems"),
                                bool("atomic", "require atomic operation"), bool("live", "take a live snapshot"),
                                bool("validate", "validate the XML against the schema")), SnapshotCommands::create),
                new CmdDef("snapshot-edit", GROUP, "edit XML for a snapshot", "Edit the domain snapshot XML for a named snapshot",
                        List.of(domain(), OptDef.string("snapshotname", "snapshot name"),
                                bool("current", "also set edited snapshot as current"),
                                bool("rename", "allow renaming an existing snapshot"),
                                bool("clone", "allow cloning to new name")), SnapshotCommands::edit),
                new CmdDef("snapshot-parent", GROUP, "Get the name of the parent of a snapshot",
                        "Extract the snapshot's parent, if any",
                        List.of(domain(), OptDef.string("snapshotname", "find parent of snapshot name"),
                                bool("current", "find parent of current snapshot")), SnapshotCommands::parent),
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

    /** The virDomainSnapshotCreateXML flags both snapshot-create and snapshot-create-as take. */
    private static int createFlags(Cmd cmd) {
        int flags = 0;
        if (cmd.flag("no-metadata")) flags |= Flags.SnapshotCreate.NO_METADATA;
        if (cmd.flag("halt")) flags |= Flags.SnapshotCreate.HALT;
        if (cmd.flag("disk-only")) flags |= Flags.SnapshotCreate.DISK_ONLY;
        if (cmd.flag("reuse-external")) flags |= Flags.SnapshotCreate.REUSE_EXT;
        if (cmd.flag("quiesce")) flags |= Flags.SnapshotCreate.QUIESCE;
        if (cmd.flag("atomic")) flags |= Flags.SnapshotCreate.ATOMIC;
        if (cmd.flag("live")) flags |= Flags.SnapshotCreate.LIVE;
        if (cmd.flag("validate")) flags |= Flags.SnapshotCreate.VALIDATE;
        return flags;
    }

    private static boolean createAs(Vsh vsh, Cmd cmd) throws LibvirtException {
        int flags = createFlags(cmd);
        Domain d = vsh.domain(cmd, "domain");
        StringBuilder xml = new StringBuilder("<domainsnapshot>\n");
        if (cmd.get("name") != null) xml.append("  <name>").append(escape(cmd.get("name"))).append("</name>\n");
        if (cmd.get("description") != null) {
            xml.append("  <description>").append(escape(cmd.get("description"))).append("</description>\n");
        }
        String memspec;
        try {
            memspec = Options.string(vsh, cmd, "memspec");
        } catch (Options.Invalid e) {
            return false;
        }
        if (memspec != null && !SnapshotSpecs.memspec(vsh, xml, memspec)) return false;
        if (!cmd.argv().isEmpty()) {
            xml.append("  <disks>\n");
            for (String spec : cmd.argv()) {
                if (!SnapshotSpecs.diskspec(vsh, xml, spec)) return false;
            }
            xml.append("  </disks>\n");
        }
        xml.append("</domainsnapshot>\n");
        if (cmd.flag("print-xml")) {
            vsh.print(xml + "\n"); // virsh prints "%s\n" after the document's own newline
            return true;
        }
        DomainSnapshot s = d.snapshotCreateXML(xml.toString(), flags);
        vsh.printExtra("Domain snapshot " + s.getName() + " created");
        return true;
    }

    /** virshLookupSnapshot: the snapshot named by ARG or --current (exclusive: not both). */
    private static DomainSnapshot lookup(Cmd cmd, String arg, boolean exclusive, Domain d) throws LibvirtException {
        String name = cmd.get(arg);
        if (exclusive && name != null && cmd.flag("current")) {
            throw new Vsh.LookupFailed("--" + arg + " and --current are mutually exclusive");
        }
        if (name != null) return d.snapshotLookupByName(name);
        if (cmd.flag("current")) return d.snapshotCurrent();
        throw new Vsh.LookupFailed("--" + arg + " or --current is required");
    }

    private static DomainSnapshot pick(Vsh vsh, Cmd cmd, Domain d) throws LibvirtException {
        return lookup(cmd, "snapshotname", true, d);
    }

    private static boolean create(Vsh vsh, Cmd cmd) throws LibvirtException {
        int flags = createFlags(cmd);
        if (cmd.flag("redefine")) flags |= Flags.SnapshotCreate.REDEFINE;
        if (cmd.flag("current")) flags |= Flags.SnapshotCreate.CURRENT;
        Domain d = vsh.domain(cmd, "domain");
        String from = cmd.get("xmlfile");
        String xml = from == null ? "<domainsnapshot/>" : DomainCommands.readFile(vsh, from);
        DomainSnapshot s = d.snapshotCreateXML(xml, flags);
        vsh.printExtra(from == null ? "Domain snapshot " + s.getName() + " created"
                : "Domain snapshot " + s.getName() + " created from '" + from + "'");
        return true;
    }

    /** virshGetSnapshotParent: the parent's name, or null for a root. */
    private static String parentOf(Vsh vsh, DomainSnapshot s) throws LibvirtException {
        try {
            return s.getParent().getName();
        } catch (LibvirtException e) {
            if (e.code() == ErrorNumber.VIR_ERR_NO_DOMAIN_SNAPSHOT) return null;
            vsh.error(e.getMessage());
            throw new Vsh.LookupFailed("unable to determine if snapshot has parent");
        }
    }

    private static boolean parent(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        DomainSnapshot s = pick(vsh, cmd, d);
        String parent = parentOf(vsh, s);
        if (parent == null) {
            vsh.error("snapshot '" + s.getName() + "' has no parent");
            return false;
        }
        vsh.print(parent);
        return true;
    }

    /** virsh-edit.c over a snapshot's XML, defined back with REDEFINE; a new name needs --rename or --clone. */
    private static boolean edit(Vsh vsh, Cmd cmd) throws LibvirtException {
        boolean rename = cmd.flag("rename");
        boolean clone = cmd.flag("clone");
        if (rename && clone) {
            vsh.error("Options --rename and --clone are mutually exclusive");
            return false;
        }
        int defineFlags = Flags.SnapshotCreate.REDEFINE;
        if (cmd.flag("current") && cmd.get("snapshotname") != null) defineFlags |= Flags.SnapshotCreate.CURRENT;
        Domain d = vsh.domain(cmd, "domain");
        DomainSnapshot s = lookup(cmd, "snapshotname", false, d);
        String name = s.getName();
        String original = s.getXMLDesc(1);
        java.nio.file.Path tmp = null;
        try {
            tmp = java.nio.file.Files.createTempFile(java.nio.file.Path.of(vsh.env().getOrDefault("TMPDIR", "/tmp")),
                    "jvirsh", ".xml");
            java.nio.file.Files.writeString(tmp, original);
            if (!EditCommand.runEditor(vsh, tmp)) return failedUpdate(vsh, name);
            String edited = java.nio.file.Files.readString(tmp);
            if (edited.equals(original) && (defineFlags & Flags.SnapshotCreate.CURRENT) == 0) {
                vsh.printExtra("Snapshot " + name + " XML configuration not changed.\n");
                return true;
            }
            if (edited.contains("<state>disk-snapshot</state>")) defineFlags |= Flags.SnapshotCreate.DISK_ONLY;
            DomainSnapshot after;
            try {
                after = d.snapshotCreateXML(edited, defineFlags);
            } catch (LibvirtException e) {
                vsh.error(e.getMessage());
                return failedUpdate(vsh, name);
            }
            if (after.getName().equals(name)) {
                vsh.printExtra("Snapshot " + name + " edited.\n");
            } else if (clone) {
                vsh.printExtra("Snapshot " + name + " cloned to " + after.getName() + ".\n");
            } else {
                try {
                    (rename ? s : after).delete(Flags.SnapshotDelete.METADATA_ONLY);
                } catch (LibvirtException e) {
                    vsh.error(e.getMessage());
                    vsh.error("Failed to clean up " + (rename ? name : after.getName()));
                    return failedUpdate(vsh, name);
                }
                if (!rename) {
                    vsh.error("Must use --rename or --clone to change " + name + " to " + after.getName());
                    return failedUpdate(vsh, name);
                }
            }
            return true;
        } catch (java.io.IOException e) {
            vsh.error("unable to edit the snapshot XML: " + e.getMessage());
            return failedUpdate(vsh, name);
        } finally {
            if (tmp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(tmp);
                } catch (java.io.IOException e) {
                    // a temporary file left in TMPDIR is harmless
                }
            }
        }
    }

    private static boolean failedUpdate(Vsh vsh, String name) {
        vsh.error("Failed to update " + name);
        return false;
    }

    private static final Pattern STATE = Pattern.compile("<state>([^<]*)</state>");
    private static final Pattern TIME = Pattern.compile("<creationTime>(\\d+)</creationTime>");
    private static final Pattern PARENT = Pattern.compile("<parent>\\s*<name>([^<]*)</name>");

    /** One snapshot of a listing: parent as the tree lookup found it, xmlParent as its XML names it. */
    private record Row(String name, String parent, String xmlParent, String state, long time) { }

    private static Row row(DomainSnapshot s, String parent) throws LibvirtException {
        String xml = s.getXMLDesc();
        Matcher st = STATE.matcher(xml);
        Matcher tm = TIME.matcher(xml);
        Matcher pm = PARENT.matcher(xml);
        return new Row(s.getName(), parent, pm.find() ? unescape(pm.group(1)) : null, st.find() ? st.group(1) : "",
                tm.find() ? Long.parseLong(tm.group(1)) : 0);
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    /** virsh's cmdSnapshotList: option checks in its order, then virshSnapshotListCollect. */
    private static boolean list(Vsh vsh, Cmd cmd) throws LibvirtException {
        boolean tree = cmd.flag("tree");
        boolean from = cmd.get("from") != null;
        boolean current = cmd.flag("current");
        String[][] exclusive = {{"tree", "name"}, {"parent", "roots"}, {"parent", "tree"}, {"roots", "tree"},
                {"roots", "from"}, {"roots", "current"}};
        for (String[] pair : exclusive) {
            if (cmd.flag(pair[0]) && cmd.flag(pair[1])) {
                vsh.error("Options --" + pair[0] + " and --" + pair[1] + " are mutually exclusive");
                return false;
            }
        }
        int flags = 0;
        String[] filters = {"leaves", "no-leaves", "inactive", "active", "disk-only", "internal", "external"};
        int[] bits = {Flags.SnapshotList.LEAVES, Flags.SnapshotList.NO_LEAVES, Flags.SnapshotList.INACTIVE,
                Flags.SnapshotList.ACTIVE, Flags.SnapshotList.DISK_ONLY, Flags.SnapshotList.INTERNAL,
                Flags.SnapshotList.EXTERNAL};
        for (int i = 0; i < filters.length; i++) {
            if (!cmd.flag(filters[i])) continue;
            if (tree) {
                vsh.error("--" + filters[i] + " and --tree are mutually exclusive");
                return false;
            }
            flags |= bits[i];
        }
        if (cmd.flag("roots")) flags |= Flags.SnapshotList.ROOTS;
        if (cmd.flag("metadata")) flags |= Flags.SnapshotList.METADATA;
        if (cmd.flag("no-metadata")) flags |= Flags.SnapshotList.NO_METADATA;
        boolean topological = cmd.flag("topological");
        if (topological) flags |= Flags.SnapshotList.TOPOLOGICAL;
        if (cmd.flag("descendants")) {
            if (!from && !current) {
                vsh.error("--descendants requires either --from or --current");
                return false;
            }
            flags |= Flags.SnapshotList.DESCENDANTS;
        }
        Domain d = vsh.domain(cmd, "domain");
        DomainSnapshot start = from || current ? lookup(cmd, "from", true, d) : null;
        List<DomainSnapshot> snaps = start != null ? start.listAllChildren(flags) : d.listAllSnapshots(flags);
        List<Row> rows = new ArrayList<>();
        for (DomainSnapshot s : snaps) rows.add(row(s, tree ? parentOf(vsh, s) : null));
        // with --from and --tree the start is listed too, as the one entry without a parent
        if (tree && start != null) rows.add(row(start, null));
        if (!topological) rows.sort(Comparator.comparing(Row::name, String.CASE_INSENSITIVE_ORDER));
        if (tree) {
            StringBuilder b = new StringBuilder();
            for (Row r : rows) if (r.parent == null) tree(b, rows, r, r, true, new StringBuilder());
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
            if (parent) t.add(r.name, time, r.state, r.xmlParent == null ? "" : r.xmlParent);
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
        Row r = row(s, null);
        String xml = s.getXMLDesc();
        StringBuilder b = new StringBuilder();
        b.append(field("Name:", s.getName()));
        b.append(field("Domain:", d.getName()));
        b.append(field("Current:", s.isCurrent() ? "yes" : "no"));
        b.append(field("State:", r.state));
        boolean external = xml.contains("snapshot='external'");
        boolean internal = xml.contains("snapshot='internal'");
        b.append(field("Location:", external ? (internal ? "mixed" : "external") : "internal"));
        b.append(field("Parent:", r.xmlParent == null ? "-" : r.xmlParent));
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
        if (cmd.flag("name") && cmd.get("snapshotname") != null) {
            vsh.error("Options --name and --snapshotname are mutually exclusive");
            return false;
        }
        Domain d = vsh.domain(cmd, "domain");
        String name = cmd.get("snapshotname");
        if (name != null) {
            // virsh makes a snapshot current by redefining it with its own XML
            String xml = d.snapshotLookupByName(name).getXMLDesc(1);
            int flags = Flags.SnapshotCreate.REDEFINE | Flags.SnapshotCreate.CURRENT;
            if (xml.contains("<state>disk-snapshot</state>")) flags |= Flags.SnapshotCreate.DISK_ONLY;
            d.snapshotCreateXML(xml, flags);
            vsh.printExtra("Snapshot " + name + " set as current");
            return true;
        }
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
        // virDomainSnapshotRevertFlags as virsh's cmdDomainSnapshotRevert sets them
        int flags = (cmd.flag("running") ? 1 : 0) | (cmd.flag("paused") ? 2 : 0) | (cmd.flag("force") ? 4 : 0);
        d.revertToSnapshot(s, flags);
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
