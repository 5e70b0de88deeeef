package org.jvirt.xml.units;

import java.util.UUID;

/**
 * UUID text as libvirt reads it ({@code virUUIDParse}): 32 hex digits in pairs, with '-' or
 * ' ' allowed between pairs anywhere, and surrounding white space. Formatted back in the
 * canonical 8-4-4-4-12 form, as libvirt prints it.
 */
public final class Uuids {

    private Uuids() { }

    /** Parses a uuid the way libvirt accepts it; null when it is malformed. */
    public static UUID parseOrNull(String text) {
        if (text == null) return null;
        int i = 0, n = text.length();
        while (i < n && Character.isWhitespace(text.charAt(i))) i++;
        byte[] b = new byte[16];
        for (int k = 0; k < 16; ) {
            if (i >= n) return null;
            char c = text.charAt(i);
            if (c == '-' || c == ' ') { i++; continue; }
            int hi = Character.digit(c, 16);
            if (hi < 0 || i + 1 >= n) return null;
            int lo = Character.digit(text.charAt(i + 1), 16);
            if (lo < 0) return null;
            b[k++] = (byte) (hi << 4 | lo);
            i += 2;
        }
        while (i < n) if (!Character.isWhitespace(text.charAt(i++))) return null;
        long msb = 0, lsb = 0;
        for (int k = 0; k < 8; k++) msb = msb << 8 | (b[k] & 0xff);
        for (int k = 8; k < 16; k++) lsb = lsb << 8 | (b[k] & 0xff);
        return new UUID(msb, lsb);
    }

    public static String format(UUID uuid) {
        return uuid.toString();
    }
}
