package org.jvirt.vmm.vnc;

/**
 * The VNC password and its expiry, as QEMU's VncDisplay keeps them: none until set_password,
 * never expiring until expire_password. With none set or once expired every VNC
 * authentication fails, as QEMU's protocol_client_auth_vnc rejects it.
 */
final class VncPassword {
    private String password;
    private long expiresEpochSecond = Long.MAX_VALUE;

    synchronized void set(String password) { this.password = password; }

    synchronized void expireAt(long epochSecond) { this.expiresEpochSecond = epochSecond; }

    /** The password valid now, or null (none set, or expired). */
    synchronized String current() {
        if (password == null) return null;
        if (expiresEpochSecond < System.currentTimeMillis() / 1000) return null;
        return password;
    }

    /**
     * The epoch second of expire_password's time: "now" (0: already past), "never",
     * "+SECONDS" from now, or SECONDS since the epoch. Read as QEMU's strtoull reads it: the
     * leading digits count, text without any is 0 (so expired at once).
     */
    static long parseExpiry(String time) {
        if (time.equals("now")) return 0L;
        if (time.equals("never")) return Long.MAX_VALUE;
        long now = System.currentTimeMillis() / 1000;
        return time.startsWith("+") ? saturatingAdd(now, leadingNumber(time.substring(1))) : leadingNumber(time);
    }

    private static long leadingNumber(String s) {
        long v = 0;
        for (int i = 0; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < a ? Long.MAX_VALUE : r;
    }
}
