package org.jvirt.xml.io;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamException;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the JDK parser's syntax errors into libxml2's wording, which is what libvirt users
 * see: "(domain_definition):6: Opening and ending tag mismatch: vcpu line 4 and domain",
 * followed by the offending source line and a caret under the column.
 */
final class SyntaxErrors {

    private SyntaxErrors() { }

    private static final Pattern END_TAG_MISMATCH =
            Pattern.compile("The element type \"([^\"]+)\" must be terminated by the matching end-tag");
    private static final Pattern PREFIX = Pattern.compile("^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", Pattern.DOTALL);

    static XmlParseException translate(XMLStreamException e, String text, String label, Deque<String[]> open) {
        Location loc = e.getLocation();
        int line = loc == null ? -1 : loc.getLineNumber();
        int col = loc == null ? -1 : loc.getColumnNumber();
        String raw = e.getMessage() == null ? "malformed XML" : PREFIX.matcher(e.getMessage()).replaceFirst("").trim();
        String message = libxml2Wording(raw, text, line, col, open);
        if (END_TAG_MISMATCH.matcher(raw).find()) col = endOfClosingTag(text, line, col);
        if (message.startsWith("Extra content")) col = startOfExtraContent(text, line, col);
        StringBuilder sb = new StringBuilder();
        sb.append('(').append(label).append(')');
        if (line > 0) sb.append(':').append(line);
        sb.append(": ").append(message);
        String context = contextLine(text, line);
        // past the input's last newline libxml2's context is empty, and libvirt's "%s" of
        // that empty (NULL) context prints "(null)"
        if (context != null && context.isEmpty() && line > 1 && text.endsWith("\n")
                && text.split("\n", -1).length == line) context = "(null)";
        if (context != null && col > 0) {
            sb.append('\n').append(context).append('\n');
            sb.append("-".repeat(Math.max(0, Math.min(col - 1, context.length())))).append('^');
        }
        return new XmlParseException(sb.toString(), line, col);
    }

    private static String libxml2Wording(String raw, String text, int line, int col, Deque<String[]> open) {
        Matcher m = END_TAG_MISMATCH.matcher(raw);
        if (m.find()) {
            String opened = m.group(1);
            String openedLine = "?";
            for (String[] e : open) if (e[0].equals(opened)) { openedLine = e[1]; break; }
            String closing = closingTagBefore(text, line, col);
            return "Opening and ending tag mismatch: " + opened + " line " + openedLine + " and " + (closing == null ? "?" : closing);
        }
        if (raw.startsWith("Premature end of file") || raw.contains("XML document structures must start and end"))
            return "Premature end of data in tag" + (open.isEmpty() ? "" : " " + open.peek()[0] + " line " + open.peek()[1]);
        if (raw.contains("Content is not allowed in prolog")) return "Start tag expected, '<' not found";
        if (raw.contains("markup in the document following the root element")) return "Extra content at the end of the document";
        return raw;
    }

    /** libxml2 points at the '<' that starts the extra element; StAX reports the column after it. */
    private static int startOfExtraContent(String text, int line, int col) {
        String l = contextLine(text, line);
        if (l != null && col >= 2 && col - 2 < l.length() && l.charAt(col - 2) == '<') return col - 1;
        return col;
    }

    /** The name in the end tag that ends just before (line, col). */
    private static String closingTagBefore(String text, int line, int col) {
        String l = contextLine(text, line);
        if (l == null) return null;
        int end = Math.min(Math.max(col - 1, 0), l.length());
        int lt = l.lastIndexOf("</", Math.max(end - 1, 0));
        if (lt < 0) return null;
        int stop = lt + 2;
        while (stop < l.length() && l.charAt(stop) != '>' && !Character.isWhitespace(l.charAt(stop))) stop++;
        return l.substring(lt + 2, stop);
    }

    /** libxml2 puts the caret just past the '>' of the mismatched end tag: the 1-based column of that. */
    private static int endOfClosingTag(String text, int line, int col) {
        String l = contextLine(text, line);
        if (l == null) return col;
        int lt = l.lastIndexOf("</", Math.max(Math.min(col - 1, l.length()) - 1, 0));
        if (lt < 0) return col;
        int gt = l.indexOf('>', lt);
        return gt < 0 ? col : gt + 2;
    }

    /** The 1-based line of text, or null. */
    static String contextLine(String text, int line) {
        if (line <= 0) return null;
        int start = 0;
        for (int i = 1; i < line; i++) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) return null;
            start = nl + 1;
        }
        int end = text.indexOf('\n', start);
        String l = text.substring(start, end < 0 ? text.length() : end);
        return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
    }
}
