package org.jvirt.rpc.tls;

import java.util.List;
import javax.security.auth.x500.X500Principal;

/**
 * libvirtd's tls_allowed_dn_list: glob patterns ('*' any run of characters, '?' any one
 * character, nothing escaped, case-sensitive: GLib's g_pattern_match_simple) matched against the
 * whole client DN as {@link GnutlsDn} prints it.
 */
public final class DnAllowList {
    /** libvirtd's message when a client's DN matches no pattern. */
    public static final String REFUSED = "Client's Distinguished Name is not on the list of allowed clients"
            + " (tls_allowed_dn_list).  Use 'virt-pki-query-dn clientcert.pem' to view the Distinguished Name"
            + " field in the client certificate, or run this daemon with --verbose option.";

    private DnAllowList() {
    }

    /**
     * Whether {@code subject} may connect. {@code null} (tls_allowed_dn_list not set) lets every
     * client with a valid certificate in; an empty list lets none in, as in libvirtd ("If this is
     * an empty list, no client can connect").
     */
    public static boolean permits(List<String> globs, X500Principal subject) {
        if (globs == null) return true;
        String dn = GnutlsDn.of(subject);
        for (String glob : globs) {
            if (matches(glob, dn)) return true;
        }
        return false;
    }

    /** A simple glob match of the whole string: '*' and '?' only (by code point). */
    static boolean matches(String glob, String text) {
        int[] g = glob.codePoints().toArray();
        int[] t = text.codePoints().toArray();
        int gi = 0, ti = 0, star = -1, mark = 0;
        while (ti < t.length) {
            if (gi < g.length && (g[gi] == '?' || (g[gi] != '*' && g[gi] == t[ti]))) {
                gi++;
                ti++;
            } else if (gi < g.length && g[gi] == '*') {
                star = gi++;
                mark = ti;
            } else if (star >= 0) {
                gi = star + 1;
                ti = ++mark;
            } else {
                return false;
            }
        }
        while (gi < g.length && g[gi] == '*') gi++;
        return gi == g.length;
    }
}
