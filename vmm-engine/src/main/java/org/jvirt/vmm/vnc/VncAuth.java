package org.jvirt.vmm.vnc;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * VNC Authentication (RFB security type 2): a 16-byte challenge the client encrypts with DES,
 * the key being the password's first 8 characters (zero-padded) with each byte's bits reversed,
 * as every VNC implementation (and QEMU's DES_RFB cipher) does.
 */
final class VncAuth {
    private static final SecureRandom RANDOM = new SecureRandom();

    private VncAuth() { }

    static byte[] challenge() {
        byte[] c = new byte[16];
        RANDOM.nextBytes(c);
        return c;
    }

    /** The response a client knowing password gives to challenge. */
    static byte[] response(String password, byte[] challenge) {
        byte[] key = new byte[8];
        byte[] pw = password.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 8 && i < pw.length; i++) key[i] = (byte) (Integer.reverse(pw[i] & 0xff) >>> 24);
        try {
            Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            return des.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DES is not available: " + e.getMessage(), e);
        }
    }

    /** Whether the client's answer matches (constant time). */
    static boolean check(String password, byte[] challenge, byte[] answer) {
        return MessageDigest.isEqual(response(password, challenge), answer);
    }
}
