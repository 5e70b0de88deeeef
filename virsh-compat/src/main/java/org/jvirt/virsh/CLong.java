package org.jvirt.virsh;

/** Numbers read as libvirt's virStrToLong_i reads them: strtol with base 0, the whole string, an int. */
final class CLong {

    private CLong() {
    }

    /** The value, or null where virStrToLong_i fails (empty, junk after the digits, out of int range). */
    static Integer parseInt(String s) {
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) i++;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) negative = s.charAt(i++) == '-';
        int radix = 10;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            // strtol takes "0x" as hex only when a hex digit follows; otherwise it reads the "0"
            if (i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
                radix = 16;
                i += 2;
            }
        } else if (s.startsWith("0", i)) {
            radix = 8;
        }
        String digits = s.substring(i);
        if (digits.isEmpty()) return null;
        for (int k = 0; k < digits.length(); k++) if (digits.charAt(k) > 127 || Character.digit(digits.charAt(k), radix) < 0) return null;
        try {
            long v = new java.math.BigInteger(digits, radix).longValueExact();
            v = negative ? -v : v;
            return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? null : (int) v;
        } catch (ArithmeticException e) {
            return null;
        }
    }
}
