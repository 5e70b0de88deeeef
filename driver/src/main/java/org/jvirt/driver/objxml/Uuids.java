package org.jvirt.driver.objxml;

/** libvirt's uuid spelling rules (virUUIDParse): 32 hex digits, '-' allowed between them, spaces around. */
public final class Uuids {

    private Uuids() { }

    /** The canonical lower-case 8-4-4-4-12 form, or null when text is not a uuid libvirt accepts. */
    public static String canonical(String text) {
        String t = text.strip();
        StringBuilder hex = new StringBuilder(32);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '-') continue;
            if (Character.digit(c, 16) < 0 || hex.length() == 32) return null;
            hex.append(Character.toLowerCase(c));
        }
        if (hex.length() != 32) return null;
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }
}
