package org.jvirt.virsh.commands;

import java.util.ArrayList;
import java.util.List;
import org.jvirt.virsh.shell.Vsh;

/**
 * snapshot-create-as's --memspec and --diskspec (virshParseSnapshotMemspec and
 * virshParseSnapshotDiskspec): comma lists turned into the snapshot XML's {@code <memory>} and
 * {@code <disk>} elements, indented as virsh's buffer indents them.
 */
final class SnapshotSpecs {

    private SnapshotSpecs() { }

    /** [file=]NAME[,snapshot=TYPE]: a bare word starting with '/' is the file. */
    static boolean memspec(Vsh vsh, StringBuilder xml, String spec) {
        String snapshot = null, file = null;
        for (String w : words(spec)) {
            if (snapshot == null && w.startsWith("snapshot=")) snapshot = w.substring("snapshot=".length());
            else if (file == null && w.startsWith("file=")) file = w.substring("file=".length());
            else if (file == null && w.startsWith("/")) file = w;
            else {
                vsh.error("unable to parse memspec: " + spec);
                return false;
            }
        }
        xml.append("  <memory").append(escaped(" snapshot='%s'", snapshot)).append(escaped(" file='%s'", file)).append("/>\n");
        return true;
    }

    /** DISK[,snapshot=TYPE][,driver=TYPE][,stype=file|block][,file=NAME]. */
    static boolean diskspec(Vsh vsh, StringBuilder xml, String spec) {
        List<String> w = words(spec);
        String snapshot = null, driver = null, stype = null, file = null;
        boolean ok = !w.isEmpty();
        for (int i = 1; ok && i < w.size(); i++) {
            String a = w.get(i);
            if (snapshot == null && a.startsWith("snapshot=")) snapshot = a.substring("snapshot=".length());
            else if (driver == null && a.startsWith("driver=")) driver = a.substring("driver=".length());
            else if (stype == null && a.startsWith("stype=")) stype = a.substring("stype=".length());
            else if (file == null && a.startsWith("file=")) file = a.substring("file=".length());
            else ok = false;
        }
        if (ok && stype != null && !stype.equals("file") && !stype.equals("block")) {
            vsh.error("Unknown storage type: '" + stype + "'");
            ok = false;
        }
        if (!ok) {
            vsh.error("unable to parse diskspec: " + spec);
            return false;
        }
        // snapshot, driver and stype go in unescaped, as virBufferAsprintf writes them
        xml.append("    ").append(escaped("<disk name='%s'", w.get(0)));
        if (snapshot != null) xml.append(" snapshot='").append(snapshot).append('\'');
        if (stype != null) xml.append(" type='").append(stype).append('\'');
        if (driver == null && file == null) {
            xml.append("/>\n");
            return true;
        }
        xml.append(">\n");
        if (driver != null) xml.append("      <driver type='").append(driver).append("'/>\n");
        if (file != null) {
            String line = escaped("block".equals(stype) ? "<source dev='%s'/>\n" : "<source file='%s'/>\n", file);
            if (!line.isEmpty()) xml.append("      ").append(line);
        }
        xml.append("    </disk>\n");
        return true;
    }

    /** vshStringToArray: comma-separated words, ",," standing for a comma. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' && i + 1 < s.length() && s.charAt(i + 1) == ',') {
                w.append(',');
                i++;
            } else if (c == ',') {
                out.add(w.toString());
                w.setLength(0);
            } else {
                w.append(c);
            }
        }
        out.add(w.toString());
        return out;
    }

    /** virBufferEscapeString: FORMAT with the value escaped; nothing at all for a missing or empty value. */
    private static String escaped(String format, String value) {
        return value == null || value.isEmpty() ? "" : format.replace("%s", escape(value));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace("\"", "&quot;");
    }
}
