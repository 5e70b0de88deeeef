package org.jvirt.xml.io;

/**
 * Refuses text holding bytes that are not UTF-8 (kept as {@link SurrogateEscape} characters)
 * as libxml2 does: "(domain_definition):2: Input is not proper UTF-8, indicate encoding !",
 * the next four bytes, the line as it is (raw bytes) and a caret under the bad byte.
 */
final class NotUtf8 {

    private NotUtf8() { }

    static void check(String text, String label) throws XmlParseException {
        int bad = -1;
        for (int i = 0; i < text.length() && bad < 0; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) i++;
            else if (SurrogateEscape.isEscapedByte(c)) bad = i;
        }
        if (bad < 0) return;
        int lineStart = text.lastIndexOf('\n', bad - 1) + 1;
        int lineEnd = text.indexOf('\n', bad);
        if (lineEnd < 0) lineEnd = text.length();
        int line = 1;
        for (int i = 0; i < lineStart; i++) if (text.charAt(i) == '\n') line++;
        byte[] next = SurrogateEscape.encode(text.substring(bad, Math.min(text.length(), bad + 4)));
        StringBuilder bytes = new StringBuilder("Bytes:");
        for (int i = 0; i < Math.min(4, next.length); i++) bytes.append(String.format(" 0x%02X", next[i] & 0xff));
        int column = SurrogateEscape.encode(text.substring(lineStart, bad)).length + 1;
        String context = text.substring(lineStart, lineEnd);
        if (context.endsWith("\r")) context = context.substring(0, context.length() - 1);
        throw new XmlParseException("(" + label + "):" + line + ": Input is not proper UTF-8, indicate encoding !\n"
                + bytes + "\n" + context + "\n" + "-".repeat(column - 1) + "^", line, column);
    }
}
