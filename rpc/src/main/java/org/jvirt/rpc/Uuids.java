package org.jvirt.rpc;

/** A uuid between its 16 wire bytes and libvirt's text form. */
public final class Uuids {
    private Uuids() { }

    public static String format(byte[] u) {
        StringBuilder sb = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) sb.append('-');
            sb.append(Character.forDigit((u[i] >> 4) & 0xf, 16)).append(Character.forDigit(u[i] & 0xf, 16));
        }
        return sb.toString();
    }

    /** 32 hex digits, dashes anywhere ignored (as virUUIDParse); null if it is not a uuid. */
    public static byte[] parse(String s) {
        byte[] u = new byte[16];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '-') continue;
            int d = Character.digit(c, 16);
            if (d < 0 || n >= 32) return null;
            u[n / 2] |= (byte) (n % 2 == 0 ? d << 4 : d);
            n++;
        }
        return n == 32 ? u : null;
    }
}
