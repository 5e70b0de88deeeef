package org.jvirt.virsh;

import org.jvirt.xml.io.SurrogateEscape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One recorded virsh run from ../shared/reference/virsh: command words, exit code, stdout, stderr. */
record Transcript(String name, List<String> args, int exitCode, String stdout, String stderr) {

    static Transcript read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Cursor c = new Cursor(b);
        c.expectLine("=== COMMAND ===");
        String command = c.line();
        c.expectLine("=== EXIT CODE ===");
        int exit = Integer.parseInt(c.line().trim());
        String header = c.line();
        while (!header.startsWith("=== STDOUT")) header = c.line(); // e.g. a WALL TIME section
        String out = c.bytes(count(header));
        String errHeader = c.line();
        String err = c.bytes(count(errHeader));
        return new Transcript(file.getFileName().toString(), shellWords(command), exit, out, err);
    }

    private static int count(String header) {
        int open = header.indexOf("verbatim, ") + "verbatim, ".length();
        return Integer.parseInt(header.substring(open, header.indexOf(" bytes", open)));
    }

    /** POSIX shell word splitting for the recorded command (quotes and backslashes). */
    static List<String> shellWords(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ' ') {
                if (w != null) { out.add(w.toString()); w = null; }
                continue;
            }
            if (w == null) w = new StringBuilder();
            if (ch == '\'') {
                int end = s.indexOf('\'', i + 1);
                w.append(s, i + 1, end);
                i = end;
            } else if (ch == '"') {
                i++;
                while (s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) i++;
                    w.append(s.charAt(i++));
                }
            } else if (ch == '\\') {
                w.append(s.charAt(++i));
            } else {
                w.append(ch);
            }
        }
        if (w != null) out.add(w.toString());
        return out;
    }

    private static final class Cursor {
        private final byte[] b;
        private int pos;

        Cursor(byte[] b) { this.b = b; }

        String line() {
            int start = pos;
            while (b[pos] != '\n') pos++;
            pos++;
            return new String(b, start, pos - 1 - start, StandardCharsets.UTF_8);
        }

        void expectLine(String expected) {
            String l = line();
            if (!l.equals(expected)) throw new IllegalStateException("expected " + expected + " but read " + l);
        }

        String bytes(int n) {
            // bytes that are not UTF-8 (libxml2 echoes a file's raw bytes) are kept, so comparisons stay byte for byte
            String s = SurrogateEscape.decode(b, pos, n);
            pos += n;
            return s;
        }
    }
}
