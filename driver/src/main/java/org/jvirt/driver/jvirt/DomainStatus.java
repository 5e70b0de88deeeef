package org.jvirt.driver.jvirt;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running domain's status file (libvirt's {@code <domstatus>}): state and reason, the VMM's
 * pid and start time (so a reused pid is not mistaken for it), its control socket, the
 * console it serves, whether a config exists, and the live XML (with {@code id='N'}).
 * State {@code starting} is written before the VMM is spawned (pid 0): a client that finds it
 * later adopts the VMM or cleans up (see {@link VmmReconciler}).
 */
record DomainStatus(int id, String state, int reason, long pid, long startMillis, String monitor,
                    String consoleType, String consolePath, boolean persistent, String liveXml) {

    private static final Pattern HEAD = Pattern.compile("<domstatus ([^>]*)>");
    private static final Pattern ATTR = Pattern.compile("(\\w+)='([^']*)'");

    static final String STARTING = "starting";

    /** The record of a start in progress: what the VMM will be, before it exists. */
    static DomainStatus starting(int id, String monitor, String consoleType, String consolePath, boolean persistent, String liveXml) {
        return new DomainStatus(id, STARTING, 0, 0, 0, monitor, consoleType, consolePath, persistent, liveXml);
    }

    boolean isStarting() { return STARTING.equals(state); }

    DomainStatus withState(String newState, int newReason) {
        return new DomainStatus(id, newState, newReason, pid, startMillis, monitor, consoleType, consolePath, persistent, liveXml);
    }

    DomainStatus withPid(long newPid, long newStartMillis) {
        return new DomainStatus(id, state, reason, newPid, newStartMillis, monitor, consoleType, consolePath, persistent, liveXml);
    }

    DomainStatus withLiveXml(String xml) {
        return new DomainStatus(id, state, reason, pid, startMillis, monitor, consoleType, consolePath, persistent, xml);
    }

    DomainStatus withPersistent(boolean p) {
        return new DomainStatus(id, state, reason, pid, startMillis, monitor, consoleType, consolePath, p, liveXml);
    }

    String format() {
        StringBuilder b = new StringBuilder();
        b.append("<domstatus id='").append(id).append("' state='").append(state).append("' reason='").append(reason)
                .append("' pid='").append(pid).append("' starttime='").append(startMillis)
                .append("' persistent='").append(persistent ? "yes" : "no").append("'>\n");
        b.append("  <monitor path='").append(esc(monitor)).append("'/>\n");
        if (consoleType != null) {
            b.append("  <console type='").append(consoleType).append('\'');
            if (consolePath != null) b.append(" path='").append(esc(consolePath)).append('\'');
            b.append("/>\n");
        }
        b.append(liveXml);
        if (!liveXml.endsWith("\n")) b.append('\n');
        return b.append("</domstatus>\n").toString();
    }

    /** Parses a status file; null when it is not one. */
    static DomainStatus parse(String text) {
        try {
            return parseOrExplain(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Parses a status file, or says what is wrong with it (writes are atomic, so a damaged file
     * comes from outside: a full disk, a crash of the file system, a hand edit).
     */
    static DomainStatus parseOrExplain(String text) {
        if (text.isBlank()) throw new IllegalArgumentException("the file is empty");
        Matcher h = HEAD.matcher(text);
        if (!h.find()) throw new IllegalArgumentException("no <domstatus> element");
        Map<String, String> a = attrs(h.group(1));
        Map<String, String> mon = element(text, "monitor");
        Map<String, String> con = element(text, "console");
        int start = text.indexOf("<domain ");
        int end = text.lastIndexOf("</domain>");
        if (start < 0 || end < start || mon == null || mon.get("path") == null || !text.stripTrailing().endsWith("</domstatus>")) {
            throw new IllegalArgumentException("incomplete <domstatus> (truncated?)");
        }
        try {
            return new DomainStatus(Integer.parseInt(a.get("id")), a.get("state"), Integer.parseInt(a.get("reason")),
                    Long.parseLong(a.get("pid")), Long.parseLong(a.get("starttime")), unesc(mon.get("path")),
                    con == null ? null : con.get("type"), con == null || con.get("path") == null ? null : unesc(con.get("path")),
                    "yes".equals(a.get("persistent")), text.substring(start, end + "</domain>".length()) + "\n");
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad <domstatus> attributes: " + h.group(1));
        }
    }

    private static Map<String, String> element(String text, String name) {
        Matcher m = Pattern.compile("\n  <" + name + " ([^>]*)/>").matcher(text);
        return m.find() ? attrs(m.group(1)) : null;
    }

    private static Map<String, String> attrs(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher a = ATTR.matcher(s);
        while (a.find()) m.put(a.group(1), a.group(2));
        return m;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("'", "&apos;").replace("<", "&lt;");
    }

    private static String unesc(String s) {
        return s.replace("&lt;", "<").replace("&apos;", "'").replace("&amp;", "&");
    }
}
