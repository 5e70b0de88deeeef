package org.jvirt.virsh.commands;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.xml.model.SourceTree;

/**
 * The {@code <disk>} XML virsh's change-media sends (virshFindDisk with
 * VIRSH_FIND_DISK_CHANGEABLE, virshUpdateDiskXML): the old {@code <source>} removed (its
 * surrounding blanks stay), a new one put before {@code <target>}, the disk's type set to file
 * or block, and the element written as libxml2's xmlNodeDump writes it with its blanks kept.
 */
final class MediumXml {

    private MediumXml() { }

    /** What change-media does, with virsh's words for it. */
    enum Change {
        EJECT("eject", "Successfully ejected media."),
        INSERT("insert", "Successfully inserted media."),
        UPDATE("update", "Successfully updated media.");

        private final String action, done;

        Change(String action, String done) {
            this.action = action;
            this.done = done;
        }

        String action() { return action; }
        String done() { return done; }
    }

    /** A change virsh refuses, in its words. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final String[] SOURCE_ATTRIBUTES = {"file", "dev", "dir", "name"};

    /** The first cdrom or floppy of the domain whose target or source is path; null when none. */
    static SourceTree.Element findChangeable(SourceTree tree, String path) {
        SourceTree.Element devices = child(tree.root, "devices");
        if (devices == null) return null;
        for (SourceTree.Element disk : children(devices, "disk")) {
            String device = attribute(disk, "device");
            if (!"cdrom".equals(device) && !"floppy".equals(device)) continue;
            SourceTree.Element target = child(disk, "target");
            if (target != null && path.equals(attribute(target, "dev"))) return disk;
            SourceTree.Element source = child(disk, "source");
            if (source != null && path.equals(sourcePath(source))) return disk;
        }
        return null;
    }

    /** The disk element changed (the element itself is changed too), written out. */
    static String changed(SourceTree.Element disk, String newSource, boolean block, String target, Change change) throws Refused {
        String device = attribute(disk, "device");
        if (!"cdrom".equals(device) && !"floppy".equals(device)) throw new Refused("The disk device '" + target + "' is not removable");
        SourceTree.Element source = child(disk, "source");
        if (change == Change.EJECT) {
            if (source == null) throw new Refused("The disk device '" + target + "' doesn't have media");
            block = false;
            newSource = null;
        } else if (newSource == null) {
            throw new Refused("New disk media source was not specified");
        }
        String startupPolicy = null;
        if (source != null) {
            if (sourcePath(source) != null && change == Change.INSERT) throw new Refused("The disk device '" + target + "' already has media");
            startupPolicy = attribute(source, "startupPolicy");
            disk.children.remove(source);
        }
        setAttribute(disk, "type", block ? "block" : "file");
        if (newSource != null) {
            SourceTree.Element added = new SourceTree.Element("source");
            added.attributes.add(new String[] {block ? "dev" : "file", newSource});
            if (startupPolicy != null) added.attributes.add(new String[] {"startupPolicy", startupPolicy});
            int at = disk.children.indexOf(child(disk, "target"));
            if (at < 0) {
                disk.children.add(added);
            } else {
                // before the target, followed by the blanks that stood before the target
                Object before = at > 0 ? disk.children.get(at - 1) : null;
                disk.children.add(at, added);
                if (before instanceof String s && s.isBlank()) disk.children.add(at + 1, s);
            }
        }
        StringBuilder b = new StringBuilder();
        write(b, disk);
        return b.toString();
    }

    private static String sourcePath(SourceTree.Element source) {
        for (String a : SOURCE_ATTRIBUTES) {
            String v = attribute(source, a);
            if (v != null) return v;
        }
        return null;
    }

    /** xmlNodeDump of an element whose blanks were kept: children as they are, empty elements as {@code <x/>}. */
    static void write(StringBuilder b, SourceTree.Element e) {
        b.append('<').append(e.name);
        for (String[] a : e.attributes) b.append(' ').append(a[0]).append("=\"").append(escapeAttribute(a[1])).append('"');
        if (e.children.isEmpty()) {
            b.append("/>");
            return;
        }
        b.append('>');
        for (Object c : e.children) {
            if (c instanceof SourceTree.Element child) write(b, child);
            else if (c instanceof String text) b.append(escapeText(text));
            else if (c instanceof SourceTree.Comment comment) b.append("<!--").append(comment.text()).append("-->");
        }
        b.append("</").append(e.name).append('>');
    }

    private static String escapeText(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;");
    }

    private static String escapeAttribute(String s) {
        return escapeText(s).replace("\"", "&quot;").replace("\n", "&#10;").replace("\t", "&#9;");
    }

    static SourceTree.Element child(SourceTree.Element e, String name) {
        for (Object c : e.children) if (c instanceof SourceTree.Element el && el.name.equals(name)) return el;
        return null;
    }

    static List<SourceTree.Element> children(SourceTree.Element e, String name) {
        List<SourceTree.Element> out = new ArrayList<>();
        for (Object c : e.children) if (c instanceof SourceTree.Element el && el.name.equals(name)) out.add(el);
        return out;
    }

    static String attribute(SourceTree.Element e, String name) {
        for (String[] a : e.attributes) if (a[0].equals(name)) return a[1];
        return null;
    }

    static void setAttribute(SourceTree.Element e, String name, String value) {
        for (String[] a : e.attributes) {
            if (a[0].equals(name)) {
                a[1] = value;
                return;
            }
        }
        e.attributes.add(new String[] {name, value});
    }
}
