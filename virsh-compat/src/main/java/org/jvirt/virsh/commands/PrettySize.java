package org.jvirt.virsh.commands;

import java.util.Locale;

/** virsh's vshPrettyCapacity: a byte count in the largest binary unit below it, "%.2lf UNIT". */
final class PrettySize {

    private PrettySize() { }

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    static String format(long bytes) {
        double val = bytes < 0 ? bytes + 0x1p64 : bytes;   // libvirt's sizes are unsigned
        int u = 0;
        while (u < UNITS.length - 1 && val >= 1024) {
            val /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f %s", val, UNITS[u]);
    }
}
