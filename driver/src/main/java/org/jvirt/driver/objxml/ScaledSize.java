package org.jvirt.driver.objxml;

/** libvirt's scaled sizes (virScaleInteger): a number and a unit, powers of 1024 or of 1000 ("KB"). */
public final class ScaledSize {

    private ScaledSize() { }

    /** The multiplier of a unit ("" and null mean defaultScale), or -1 for an unknown suffix. */
    public static long scale(String unit, long defaultScale) {
        if (unit == null || unit.isEmpty()) return defaultScale;
        String u = unit.toLowerCase(java.util.Locale.ROOT);
        if (u.equals("b") || u.equals("byte") || u.equals("bytes")) return 1;
        String prefixes = "kmgtpe";
        int power = prefixes.indexOf(u.charAt(0)) + 1;
        if (power == 0) return -1;
        long base;
        String rest = u.substring(1);
        if (rest.isEmpty() || rest.equals("ib")) base = 1024;
        else if (rest.equals("b")) base = 1000;
        else return -1;
        long s = 1;
        for (int i = 0; i < power; i++) s *= base;
        return s;
    }

    /** number * unit in bytes, or -1 when malformed or too large. */
    public static long bytes(String number, String unit) {
        if (number.isEmpty() || !number.chars().allMatch(Character::isDigit)) return -1;
        long s = scale(unit, 1);
        if (s < 0) return -1;
        try {
            return Math.multiplyExact(Long.parseLong(number), s);
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }
}
