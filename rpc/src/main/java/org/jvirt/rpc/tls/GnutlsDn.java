package org.jvirt.rpc.tls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate's subject as libvirt 9.0 prints and matches it (GnuTLS's compatibility format,
 * also what {@code virt-pki-query-dn} shows): the RDNs in the order the certificate holds them,
 * country first as certtool writes them ("C=GB,ST=London,L=London,O=Red Hat,CN=client1"), which
 * is the reverse of RFC 4514's order; values escaped as RFC 4514 escapes them ("O=Red Hat\, Inc.":
 * ',', '+', '"', '\', '<', '>', ';', a leading '#' or space, a trailing space).
 */
public final class GnutlsDn {
    /** GnuTLS's names for attributes Java would otherwise print as OIDs. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("1.2.840.113549.1.9.1", "EMAIL"),
            Map.entry("2.5.4.4", "surName"),
            Map.entry("2.5.4.5", "serialNumber"),
            Map.entry("2.5.4.12", "title"),
            Map.entry("2.5.4.17", "postalCode"),
            Map.entry("2.5.4.42", "givenName"),
            Map.entry("2.5.4.43", "initials"),
            Map.entry("2.5.4.44", "generationQualifier"),
            Map.entry("2.5.4.46", "dnQualifier"),
            Map.entry("2.5.4.65", "pseudonym"));

    private GnutlsDn() {
    }

    public static String of(X500Principal subject) {
        List<String> rdns = splitRdns(subject.getName(X500Principal.RFC2253, NAMES));
        Collections.reverse(rdns);
        List<String> out = new ArrayList<>();
        for (String rdn : rdns) {
            String r = unescapeInnerHashes(rdn);
            out.add(r.startsWith("STREET=") ? "street=" + r.substring(7) : r);
        }
        return String.join(",", out);
    }

    /** Java escapes every '#' and '=', GnuTLS only a leading '#' and no '=' (as RFC 4514 asks). */
    private static String unescapeInnerHashes(String rdn) {
        StringBuilder b = new StringBuilder();
        boolean valueStart = false;
        for (int i = 0; i < rdn.length(); i++) {
            char c = rdn.charAt(i);
            if (c == '\\' && i + 1 < rdn.length()) {
                char n = rdn.charAt(++i);
                if ((n != '#' || valueStart) && n != '=') b.append(c);
                b.append(n);
                valueStart = false;
            } else {
                b.append(c);
                valueStart = c == '=' || c == '+';
            }
        }
        return b.toString();
    }

    /** Splits an RFC 2253 name at its unescaped commas. */
    private static List<String> splitRdns(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' && i + 1 < name.length()) {
                cur.append(c).append(name.charAt(++i));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        if (!name.isEmpty()) out.add(cur.toString());
        return out;
    }
}
