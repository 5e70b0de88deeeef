package org.jvirt.driver.keycode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * libvirt's keycode sets and tables (virkeycode.c): the codeset names in virKeycodeSet's order,
 * key names for linux, os_x and win32, and translation between sets through one table of rows
 * in libvirt's order. The table (keycodes.tsv) is generated from keycodemapdb's keymaps.csv by
 * driver/tools/keycodes/generate.py; see the driver README.
 */
public final class Keycodes {

    /** virKeycodeSet's names, by number: linux 0 ... qnum 9 (qnum was called rfb; virsh still takes that name). */
    public static final List<String> CODESETS = List.of("linux", "xt", "atset1", "atset2", "atset3", "os_x", "xt_kbd", "usb",
            "win32", "qnum");
    public static final int LINUX = 0;
    public static final int OS_X = 5;
    public static final int WIN32 = 8;
    public static final int QNUM = 9;
    /** VIR_DOMAIN_SEND_KEY_MAX_KEYS. */
    public static final int MAX_KEYS = 16;

    private static final int NAMES = 3;

    private static final Table TABLE = load();

    private record Table(String[][] names, int[][] values) { }

    private Keycodes() { }

    /** virKeycodeSetTypeFromString: the set's number, or -1. */
    public static int codesetFromString(String name) {
        return CODESETS.indexOf(name);
    }

    /** virKeycodeSetTypeToString: null past the last set. */
    public static String codesetName(int codeset) {
        return codeset >= 0 && codeset < CODESETS.size() ? CODESETS.get(codeset) : null;
    }

    /** virKeycodeValueFromString: the first row with this name in the set's name table, or -1 (only linux, os_x and win32 have names). */
    public static int valueFromString(int codeset, String name) {
        int column = switch (codeset) {
            case LINUX -> 0;
            case OS_X -> 1;
            case WIN32 -> 2;
            default -> -1;
        };
        if (column < 0) return -1;
        for (int i = 0; i < TABLE.values.length; i++) {
            if (name.equals(TABLE.names[i][column])) return TABLE.values[i][codeset];
        }
        return -1;
    }

    /** The key names of a set (linux, os_x or win32), in the table's order; empty for the others. */
    public static List<String> names(int codeset) {
        int column = codeset == LINUX ? 0 : codeset == OS_X ? 1 : codeset == WIN32 ? 2 : -1;
        List<String> out = new ArrayList<>();
        if (column < 0) return out;
        for (String[] n : TABLE.names) if (n[column] != null) out.add(n[column]);
        return out;
    }

    /** virKeycodeValueTranslate: the first row holding value in the from set gives the to set's value; -1 when none does. */
    public static int translate(int from, int to, long value) {
        if (value < 0) return -1;
        for (int[] row : TABLE.values) {
            if (row[from] == value) return row[to];
        }
        return -1;
    }

    private static Table load() {
        List<String[]> names = new ArrayList<>();
        List<int[]> values = new ArrayList<>();
        try (InputStream in = Keycodes.class.getResourceAsStream("keycodes.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isEmpty()) continue;
                String[] f = line.split("\t", -1);
                String[] n = new String[NAMES];
                for (int i = 0; i < NAMES; i++) n[i] = f[i].isEmpty() ? null : f[i];
                int[] v = new int[CODESETS.size()];
                for (int i = 0; i < v.length; i++) v[i] = Integer.parseInt(f[NAMES + i]);
                names.add(n);
                values.add(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Table(names.toArray(new String[0][]), values.toArray(new int[0][]));
    }

}
