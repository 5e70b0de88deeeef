package org.jvirt.virsh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values in virsh's output that libvirt's test driver derives from the wall clock or a
 * random source, so that no two runs agree: CPU times and block and interface counters (the
 * test driver reports the time of day), snapshot creation times and the names made from them, and generated uuids. Both the
 * recorded and jvirsh's output have them replaced by placeholders before the byte comparison;
 * generated uuids become uuid#1, uuid#2... in order of appearance, so a uuid that should repeat
 * must still repeat. Everything else is compared byte for byte.
 */
final class Volatile {

    private Volatile() { }

    /** uuids that are fixed in libvirt's test driver and so are compared as they are. */
    private static final String FIXED_UUID = "6695eb01-f6a4-8304-79aa-97f2502e193f";

    private static final Pattern CPU_TIME = Pattern.compile("(CPU time: +)\\d+\\.\\ds");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}");
    private static final Pattern EPOCH = Pattern.compile("\\b1[6-9]\\d{8}\\b");
    /** domblkstat and domifstat counters: libvirt's test driver derives them from the time of day. */
    private static final Pattern IO_COUNTER = Pattern.compile(
            "(?m)^(\\S* ?(?:rd_req|rd_bytes|wr_req|wr_bytes|errs|rx_bytes|rx_packets|rx_errs|rx_drop|tx_bytes|tx_packets"
            + "|tx_errs|tx_drop|number of [a-z ]+:|error count:) +)\\d+$");
    /** screenshot's generated file name (virshGenFileName): the domain's name and the time of day. */
    private static final Pattern SCREENSHOT_NAME = Pattern.compile("-\\d{4}-\\d\\d-\\d\\d-\\d\\d:\\d\\d:\\d\\d\\.(png|ppm)\\b");
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static String mask(String s) {
        s = IO_COUNTER.matcher(s).replaceAll("$1<counter>");
        s = CPU_TIME.matcher(s).replaceAll("$1<cpu-time>s");
        s = DATE.matcher(s).replaceAll("<yyyy-mm-dd hh:mm:ss +zzzz>");
        s = EPOCH.matcher(s).replaceAll("<epoch>");
        s = SCREENSHOT_NAME.matcher(s).replaceAll("-<yyyy-mm-dd-hh:mm:ss>.$1");
        Map<String, String> seen = new LinkedHashMap<>();
        Matcher m = UUID.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String u = m.group();
            String r = u.equals(FIXED_UUID) ? u : seen.computeIfAbsent(u, k -> "uuid#" + (seen.size() + 1));
            m.appendReplacement(b, Matcher.quoteReplacement(r));
        }
        m.appendTail(b);
        return b.toString();
    }
}
