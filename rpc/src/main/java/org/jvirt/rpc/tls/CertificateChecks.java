package org.jvirt.rpc.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * libvirt's sanity checks of its own certificates before it serves or connects (libvirtd runs
 * them unless tls_no_sanity_certificate = 1): validity dates, basic constraints, key usage and
 * purpose when marked critical, and our certificate verified against the CA file. Messages are
 * libvirt's.
 */
final class CertificateChecks {
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXT_KEY_USAGE = "2.5.29.37";
    private static final String TLS_SERVER = "1.3.6.1.5.5.7.3.1";
    private static final String TLS_CLIENT = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_PURPOSE = "2.5.29.37.0";

    private CertificateChecks() {
    }

    static void check(X509Certificate cert, Path certFile, List<X509Certificate> cas, Path caFile, boolean server)
            throws TlsException {
        checkOne(cert, certFile, server, false);
        for (X509Certificate ca : cas) checkOne(ca, caFile, server, true);
        checkPair(cert, certFile, cas, caFile, server);
    }

    private static void checkOne(X509Certificate c, Path file, boolean server, boolean ca) throws TlsException {
        Date now = new Date();
        String who = ca ? "CA" : server ? "server" : "client";
        if (c.getNotAfter().before(now)) throw new TlsException("The " + who + " certificate " + file + " has expired");
        if (c.getNotBefore().after(now)) throw new TlsException("The " + who + " certificate " + file + " is not yet active");

        boolean hasConstraints = c.getExtensionValue(BASIC_CONSTRAINTS) != null;
        boolean isCa = c.getBasicConstraints() >= 0;
        if (hasConstraints && isCa && !ca) {
            throw new TlsException("The certificate " + file + " basic constraints show a CA, but we need one for a "
                    + (server ? "server" : "client"));
        }
        if (hasConstraints && !isCa && ca) {
            throw new TlsException("The certificate " + file + " basic constraints do not show a CA");
        }
        if (!hasConstraints && ca) {
            throw new TlsException("The certificate " + file + " is missing basic constraints for a CA");
        }

        Set<String> critical = c.getCriticalExtensionOIDs() == null ? Set.of() : c.getCriticalExtensionOIDs();
        boolean[] usage = c.getKeyUsage();
        if (usage != null && critical.contains(KEY_USAGE)) {
            if (ca && !bit(usage, 5)) {
                throw new TlsException("Certificate " + file + " usage does not permit certificate signing");
            }
            if (!ca && !bit(usage, 0)) {
                throw new TlsException("Certificate " + file + " usage does not permit digital signature");
            }
            if (!ca && !bit(usage, 2)) {
                throw new TlsException("Certificate " + file + " usage does not permit key encipherment");
            }
        }
        if (!ca) checkPurpose(c, file, server, critical.contains(EXT_KEY_USAGE));
    }

    private static void checkPurpose(X509Certificate c, Path file, boolean server, boolean critical) throws TlsException {
        List<String> purposes;
        try {
            purposes = c.getExtendedKeyUsage();
        } catch (java.security.cert.CertificateParsingException e) {
            throw new TlsException("Unable to query certificate " + file + " key purpose " + e.getMessage());
        }
        if (purposes == null || !critical) return; // none at all allows both; non-critical only warns in libvirt
        Set<String> p = new HashSet<>(purposes);
        boolean any = p.stream().anyMatch(o -> !o.equals(TLS_SERVER) && !o.equals(TLS_CLIENT) && !o.equals(ANY_PURPOSE));
        if (server && !p.contains(TLS_SERVER) && !any) {
            throw new TlsException("Certificate " + file + " purpose does not allow use for with a TLS server");
        }
        if (!server && !p.contains(TLS_CLIENT) && !any) {
            throw new TlsException("Certificate " + file + " purpose does not allow use for with a TLS client");
        }
    }

    private static boolean bit(boolean[] usage, int i) {
        return usage.length > i && usage[i];
    }

    private static void checkPair(X509Certificate cert, Path certFile, List<X509Certificate> cas, Path caFile,
                                  boolean server) throws TlsException {
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate ca : cas) anchors.add(new TrustAnchor(ca, null));
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
        } catch (CertPathValidatorException e) {
            String reason = e.getReason() == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED
                    ? "The certificate uses an insecure algorithm"
                    : e.getReason() == CertPathValidatorException.BasicReason.REVOKED
                    ? "The certificate has been revoked."
                    : e.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE
                    ? "The certificate is not trusted."
                    : "The certificate hasn't got a known issuer.";
            throw new TlsException("Our own certificate " + certFile + " failed validation against " + caFile + ": " + reason);
        } catch (GeneralSecurityException e) {
            throw new TlsException("Unable to verify " + (server ? "server" : "client") + " certificate " + certFile
                    + " against CA certificate " + caFile);
        }
    }
}
