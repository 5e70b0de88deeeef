package org.jvirt.daemon.server;

import java.util.List;
import javax.security.auth.x500.X500Principal;

/** The DN allow-list check; the TLS helper's DnAllowList replaces this when it lands. */
final class TlsPeers {
    private TlsPeers() { }

    static boolean permits(List<String> globs, X500Principal subject) {
        String dn = subject.getName(X500Principal.RFC2253);
        for (String g : globs) {
            String regex = "\\Q" + g.replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q") + "\\E";
            if (dn.matches(regex)) return true;
        }
        return false;
    }
}
