package org.jvirt.rpc.tls;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The checks libvirt makes of the peer once the handshake is done, with its messages. */
public final class TlsPeers {
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private TlsPeers() {
    }

    /** The peer's certificate; the handshake already verified it against the CA. */
    public static X509Certificate peerCertificate(SSLSession session) throws TlsException {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0) throw new TlsException("The certificate has no peers");
            return (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException e) {
            throw new TlsException("The certificate has no peers", e);
        }
    }

    /**
     * Server side: the client's DN against tls_allowed_dn_list ({@code null}: no list). On
     * refusal close the connection without sending {@link TlsConfirmation}.
     */
    public static X509Certificate checkClient(SSLSession session, List<String> allowedDns) throws TlsException {
        X509Certificate cert = peerCertificate(session);
        if (!DnAllowList.permits(allowedDns, cert.getSubjectX500Principal())) throw new TlsException(DnAllowList.REFUSED);
        return cert;
    }

    /**
     * Client side: the server's certificate must name {@code host} (subjectAltName DNS names, with
     * a leading '*' label, or IP addresses; the CN when there is no DNS name), as libvirt checks
     * it: "Certificate [session] owner does not match the hostname HOST".
     */
    public static X509Certificate checkServer(SSLSession session, String host) throws TlsException {
        X509Certificate cert = peerCertificate(session);
        checkServerName(cert, host);
        return cert;
    }

    static void checkServerName(X509Certificate cert, String host) throws TlsException {
        if (!names(cert, host)) {
            throw new TlsException("Certificate [session] owner does not match the hostname " + host);
        }
    }

    static boolean names(X509Certificate cert, String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        boolean literal = isIpLiteral(h);
        boolean anyDns = false;
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                if (type == SAN_IP && literal && sameAddress(value, h)) return true;
                if (type == SAN_DNS) {
                    anyDns = true;
                    if (!literal && dnsMatches(value, h)) return true;
                }
            }
        }
        if (anyDns) return false;
        String cn = commonName(cert);
        return cn != null && (literal ? cn.equals(h) : dnsMatches(cn, h));
    }

    private static boolean isIpLiteral(String h) {
        return h.matches("[0-9.]+") || h.contains(":");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = IDN.toASCII(pattern).toLowerCase(Locale.ROOT);
        String h = IDN.toASCII(host).toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) p = p.substring(0, p.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    private static String commonName(X509Certificate cert) {
        String dn = GnutlsDn.of(cert.getSubjectX500Principal());
        String cn = null;
        for (String part : dn.split("(?<!\\\\),")) {
            if (part.startsWith("CN=")) cn = part.substring(3).replace("\\", "");
        }
        return cn;
    }
}
