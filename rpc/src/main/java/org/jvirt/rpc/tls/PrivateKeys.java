package org.jvirt.rpc.tls;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Private keys in the PEM forms libvirt's GnuTLS reads: PKCS#8 ("PRIVATE KEY", and "ENCRYPTED
 * PRIVATE KEY" under the empty password, which is how {@code certtool --pkcs8 --empty-password}
 * writes it and GnuTLS opens it without asking), PKCS#1 ("RSA PRIVATE KEY", certtool's default
 * for RSA) and SEC1 ("EC PRIVATE KEY", certtool's ECDSA keys). RSA, EC, Ed25519/Ed448 and RSA-PSS.
 */
final class PrivateKeys {
    private static final byte[] RSA_OID = oid("2a864886f70d010101");
    private static final byte[] EC_OID = oid("2a8648ce3d0201");
    private static final byte[] DER_NULL = {Der.NULL, 0};

    private PrivateKeys() {
    }

    private static byte[] oid(String hex) {
        return Der.tlv(Der.OID, HexFormat.of().parseHex(hex));
    }

    /** The first private key in {@code pemText}, or null when there is none that can be read. */
    static PrivateKey first(String pemText) {
        for (Pem.Block b : Pem.blocks(pemText)) {
            try {
                PrivateKey k = switch (b.label()) {
                    case "PRIVATE KEY" -> pkcs8(b.der());
                    case "ENCRYPTED PRIVATE KEY" -> pkcs8(decryptWithEmptyPassword(b.der()));
                    case "RSA PRIVATE KEY" -> pkcs8(Der.pkcs8(RSA_OID, DER_NULL, b.der()));
                    case "EC PRIVATE KEY" -> pkcs8(Der.pkcs8(EC_OID, curveOf(b.der()), b.der()));
                    default -> null;
                };
                if (k != null) return k;
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // unreadable block: GnuTLS reports "no key" the same way, so look further
            }
        }
        return null;
    }

    /** The named curve of a SEC1 ECPrivateKey: its [0] parameters element. */
    private static byte[] curveOf(byte[] sec1) {
        Der.Element seq = Der.parse(sec1);
        for (Der.Element e : seq.children()) {
            if (e.tag() == 0xa0) {
                Der.Element oid = e.children().get(0);
                return Der.tlv(Der.OID, oid.content());
            }
        }
        throw new IllegalArgumentException("EC key without its curve");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        Der.Element seq = Der.parse(der);
        List<Der.Element> parts = seq.children();
        byte[] algOid = parts.get(1).children().get(0).content();
        String alg = switch (HexFormat.of().formatHex(algOid)) {
            case "2a864886f70d010101" -> "RSA";
            case "2a864886f70d01010a" -> "RSASSA-PSS";
            case "2a8648ce3d0201" -> "EC";
            case "2b6570" -> "Ed25519";
            case "2b6571" -> "Ed448";
            default -> throw new GeneralSecurityException("unsupported key algorithm");
        };
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static byte[] decryptWithEmptyPassword(byte[] der) throws GeneralSecurityException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String alg = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            SecretKeyFactory f = SecretKeyFactory.getInstance(alg);
            Cipher c = Cipher.getInstance(alg);
            c.init(Cipher.DECRYPT_MODE, f.generateSecret(new PBEKeySpec(new char[0])), info.getAlgParameters());
            return info.getKeySpec(c).getEncoded();
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
