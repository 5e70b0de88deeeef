package org.jvirt.virsh.commands;

import org.jvirt.virsh.shell.Vsh;
import org.jvirt.xml.units.MemoryUnits;

/**
 * virsh's scaled sizes (vshCommandOptScaledInt): an unsigned decimal number (leading blanks and
 * '+' allowed, as strtoull) with an optional unit read by virScaleInteger (default KiB); a
 * failure prints virsh's line, then libvirt's own reason where it gave one.
 */
final class Sizes {

    private Sizes() { }

    /** virsh setmem's limit: 1024ull * ULONG_MAX, which wraps to ULLONG_MAX - 1023. */
    private static final long MEMORY_LIMIT = -1024L;

    /** The size of option OPT in KiB (rounded up), or -1 after reporting why it is not one. */
    static long kib(Vsh vsh, String text, String opt) {
        String malformed = "Scaled numeric value '" + text + "' for <" + opt + "> option is malformed or out of range";
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
        if (i < text.length() && text.charAt(i) == '+') i++;
        int digits = i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        long value;
        try {
            value = Long.parseUnsignedLong(text.substring(digits, i));
        } catch (NumberFormatException e) {
            vsh.error(malformed);
            return -1;
        }
        String suffix = text.substring(i);
        long scale = MemoryUnits.scale(suffix);
        if (scale < 0) {
            vsh.error(malformed);
            vsh.error("invalid argument: unknown suffix '" + suffix + "'");
            return -1;
        }
        if (Long.compareUnsigned(value, Long.divideUnsigned(MEMORY_LIMIT, scale)) > 0) {
            vsh.error(malformed);
            vsh.error("numerical overflow: value too large: " + Long.toUnsignedString(value) + suffix);
            return -1;
        }
        long bytes = value * scale;
        return Long.divideUnsigned(bytes, 1024) + (Long.remainderUnsigned(bytes, 1024) == 0 ? 0 : 1);
    }
}
