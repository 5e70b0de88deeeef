package org.jvirt.rpc.tls;

import java.io.ByteArrayOutputStream;

/**
 * The little DER this package needs: walking a SEQUENCE's elements and writing the PKCS#8
 * wrapper around a PKCS#1 or SEC1 private key.
 */
final class Der {
    static final int SEQUENCE = 0x30;
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;

    /** One element: its tag, where its content starts and how long it is. */
    record Element(int tag, byte[] source, int offset, int length) {
        byte[] content() {
            byte[] b = new byte[length];
            System.arraycopy(source, offset, b, 0, length);
            return b;
        }

        /** The elements inside a constructed element. */
        java.util.List<Element> children() {
            java.util.List<Element> out = new java.util.ArrayList<>();
            int p = offset;
            while (p < offset + length) {
                Element e = read(source, p, offset + length);
                out.add(e);
                p = e.offset + e.length;
            }
            return out;
        }
    }

    private Der() {
    }

    /** The element at {@code pos}, which must end by {@code limit}. */
    static Element read(byte[] b, int pos, int limit) {
        if (pos + 2 > limit) throw new IllegalArgumentException("truncated DER");
        int tag = b[pos] & 0xff;
        int len = b[pos + 1] & 0xff;
        int p = pos + 2;
        if (len >= 0x80) {
            int n = len & 0x7f;
            if (n == 0 || n > 4 || p + n > limit) throw new IllegalArgumentException("bad DER length");
            len = 0;
            for (int i = 0; i < n; i++) len = (len << 8) | (b[p++] & 0xff);
            if (len < 0) throw new IllegalArgumentException("bad DER length");
        }
        if (p + len > limit || p + len < p) throw new IllegalArgumentException("truncated DER");
        return new Element(tag, b, p, len);
    }

    static Element parse(byte[] b) {
        return read(b, 0, b.length);
    }

    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) body.writeBytes(part);
        int len = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (len < 0x80) {
            out.write(len);
        } else {
            int n = len > 0xffffff ? 4 : len > 0xffff ? 3 : len > 0xff ? 2 : 1;
            out.write(0x80 | n);
            for (int i = n - 1; i >= 0; i--) out.write(len >>> (8 * i));
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** A PKCS#8 PrivateKeyInfo: version 0, the algorithm (OID and its parameters), the key. */
    static byte[] pkcs8(byte[] algorithmOid, byte[] algorithmParams, byte[] privateKey) {
        return tlv(SEQUENCE, tlv(INTEGER, new byte[] {0}), tlv(SEQUENCE, algorithmOid, algorithmParams),
                tlv(OCTET_STRING, privateKey));
    }
}
