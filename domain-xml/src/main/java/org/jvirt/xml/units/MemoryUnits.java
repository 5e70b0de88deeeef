package org.jvirt.xml.units;

import java.util.Locale;

/**
 * libvirt's scaled integers ({@code virScaleInteger}): "b"/"byte"/"bytes" = 1; a single letter
 * (k, M, G, T, P, E) or the letter + "iB" is a power of 1024; the letter + "B" is a power of
 * 1000. Case does not matter, as in libvirt. Memory elements default to KiB.
 */
public final class MemoryUnits {

    private MemoryUnits() { }

    /** Bytes per unit, or -1 for a unit libvirt does not know. */
    public static long scale(String unit) {
        if (unit == null || unit.isEmpty()) return 1024;
        String u = unit.toLowerCase(Locale.ROOT);
        if (u.equals("b") || u.equals("byte") || u.equals("bytes")) return 1;
        int power = "kmgtpe".indexOf(u.charAt(0)) + 1;
        if (power == 0) return -1;
        String rest = u.substring(1);
        long base;
        if (rest.isEmpty() || rest.equals("ib")) base = 1024;
        else if (rest.equals("b")) base = 1000;
        else return -1;
        long s = 1;
        for (int i = 0; i < power; i++) s *= base;
        return s;
    }

    /** value × unit in bytes; throws ArithmeticException on overflow, IllegalArgumentException on a bad unit. */
    public static long toBytes(long value, String unit) {
        long s = scale(unit);
        if (s < 0) throw new IllegalArgumentException("unknown suffix '" + unit + "'");
        if (value < 0) throw new IllegalArgumentException("negative value");
        return Math.multiplyExact(value, s);
    }

    /** Bytes as libvirt stores memory: KiB, rounded up. */
    public static long toKiBRoundedUp(long bytes) {
        return bytes / 1024 + (bytes % 1024 == 0 ? 0 : 1);
    }
}
