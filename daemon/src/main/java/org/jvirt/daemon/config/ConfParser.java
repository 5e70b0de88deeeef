package org.jvirt.daemon.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads libvirt's config syntax (virConf): {@code name = value} statements separated by new
 * lines or ';', '#' comments, values that are integers, strings in double, single or triple
 * double quotes, and bracketed lists that may run over several lines. Accepts and refuses
 * exactly what libvirt 9.0's parser does, with its messages and line numbers (checked against
 * libvirtd by ConfParserTest), e.g. a file of blank lines only is "expecting a name".
 */
final class ConfParser {
    static final String SYNTAX = "configuration file syntax error: ";

    private final String file;
    private final String text;
    private int pos;
    private int line = 1;
    /** Every statement in file order; a name given twice keeps its first value, as virConfGetValue does. */
    private final Map<String, ConfValue> entries = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    private ConfParser(String file, String text) {
        this.file = file;
        this.text = text;
    }

    /** Parses {@code text}; {@code file} names it in errors. */
    static ConfFile parse(String file, String text) throws ConfigException {
        ConfParser p = new ConfParser(file, text);
        while (p.pos < p.text.length()) {
            p.statement();
            p.separator();
        }
        return new ConfFile(file, p.entries, p.order);
    }

    /** The current character; past the end it is NUL, as in libvirt's NUL-terminated buffer. */
    private char cur() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private void next() {
        if (pos < text.length()) pos++;
    }

    private static boolean eol(char c) {
        return c == '\n' || c == '\r';
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean alpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private void skipBlanks() {
        while (!atEnd() && blank(cur())) pos++;
    }

    private void skipBlanksAndEol() {
        while (!atEnd() && (blank(cur()) || eol(cur()))) {
            if (cur() == '\n') line++;
            pos++;
        }
    }

    private ConfigException error(String what) {
        return new ConfigException(SYNTAX + file + ":" + line + ": " + what);
    }

    private void statement() throws ConfigException {
        skipBlanksAndEol();
        if (cur() == '#') {
            while (!atEnd() && !eol(cur())) pos++;
            return;
        }
        String name = name();
        skipBlanks();
        if (cur() != '=') throw error("expecting an assignment");
        next();
        skipBlanks();
        ConfValue value = value();
        skipBlanks();
        if (cur() == '#') {
            while (!atEnd() && !eol(cur())) pos++;
        }
        order.add(name);
        entries.putIfAbsent(name, value);
    }

    private String name() throws ConfigException {
        skipBlanks();
        int base = pos;
        if (!alpha(cur())) throw error("expecting a name");
        while (!atEnd() && (alpha(cur()) || digit(cur()) || cur() == '_')) pos++;
        return text.substring(base, pos);
    }

    private void separator() throws ConfigException {
        skipBlanks();
        if (atEnd()) return;
        if (eol(cur())) {
            skipBlanksAndEol();
        } else if (cur() == ';') {
            next();
            skipBlanksAndEol();
        } else {
            throw error("expecting a separator");
        }
    }

    private ConfValue value() throws ConfigException {
        skipBlanks();
        if (atEnd()) throw error("expecting a value");
        char c = cur();
        if (c == '"' || c == '\'') return new ConfValue.Text(string());
        if (c == '[') return list();
        if (digit(c) || c == '-' || c == '+') return number();
        throw error("expecting a value");
    }

    private ConfValue list() throws ConfigException {
        next();
        skipBlanksAndEol();
        List<ConfValue> items = new ArrayList<>();
        if (!atEnd() && cur() != ']') {
            items.add(value());
            skipBlanksAndEol();
        }
        while (!atEnd() && cur() != ']') {
            if (cur() != ',') throw error("expecting a separator in list");
            next();
            skipBlanksAndEol();
            if (cur() == ']') break;
            items.add(value());
            skipBlanksAndEol();
        }
        if (cur() != ']') throw error("list is not closed with ]");
        next();
        return new ConfValue.Items(items);
    }

    private ConfValue number() throws ConfigException {
        boolean negative = cur() == '-';
        if (cur() == '-' || cur() == '+') next();
        if (atEnd() || !digit(cur())) throw error("unterminated number");
        long v = 0;
        while (!atEnd() && digit(cur())) {
            v = v * 10 + (cur() - '0'); // wraps on overflow like libvirt's long long
            pos++;
        }
        return new ConfValue.Number(negative ? -v : v, negative);
    }

    private String string() throws ConfigException {
        if (cur() == '\'') return quoted('\'');
        // libvirt only takes """ as an opener when more than six characters remain
        if (pos + 6 < text.length() && text.startsWith("\"\"\"", pos)) {
            pos += 3;
            int base = pos;
            while (pos + 2 < text.length() && !text.startsWith("\"\"\"", pos)) {
                if (cur() == '\n') line++;
                next();
            }
            if (!text.startsWith("\"\"\"", pos)) throw error("unterminated string");
            String s = text.substring(base, pos);
            pos += 3;
            return s;
        }
        return quoted('"');
    }

    private String quoted(char quote) throws ConfigException {
        next();
        int base = pos;
        while (!atEnd() && cur() != quote && !eol(cur())) pos++;
        if (cur() != quote) throw error("unterminated string");
        String s = text.substring(base, pos);
        next();
        return s;
    }
}
