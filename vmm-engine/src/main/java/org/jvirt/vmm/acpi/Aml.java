package org.jvirt.vmm.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small AML (ACPI Machine Language) encoder for the static DSDT: names, integers, strings,
 * packages, buffers, scopes, devices and simple methods. Each method returns the encoded bytes
 * of one term; nest them by passing the bytes of the children. Build-time only (allocates freely).
 * Encodings follow ACPI 6.x section 20 (AML grammar).
 */
public final class Aml {
    private Aml() { }

    private static final int ZERO_OP = 0x00, ONE_OP = 0x01, ONES_OP = 0xFF;
    private static final int BYTE_PREFIX = 0x0A, WORD_PREFIX = 0x0B, DWORD_PREFIX = 0x0C, STRING_PREFIX = 0x0D,
            QWORD_PREFIX = 0x0E;
    private static final int NAME_OP = 0x08, SCOPE_OP = 0x10, BUFFER_OP = 0x11, PACKAGE_OP = 0x12, METHOD_OP = 0x14;
    private static final int RETURN_OP = 0xA4, EXT_OP_PREFIX = 0x5B, DEVICE_OP = 0x82;
    private static final int DUAL_NAME_PREFIX = 0x2E, MULTI_NAME_PREFIX = 0x2F, ROOT_CHAR = '\\', PARENT_CHAR = '^';

    /** Name(name, value). */
    public static byte[] name(String name, byte[] value) {
        return concat(new byte[] {NAME_OP}, nameString(name), value);
    }

    /** Scope(name) { terms }. */
    public static byte[] scope(String name, byte[]... terms) {
        return withPkgLength(new byte[] {SCOPE_OP}, concat(nameString(name), concat(terms)));
    }

    /** Device(name) { terms }. */
    public static byte[] device(String name, byte[]... terms) {
        return withPkgLength(new byte[] {EXT_OP_PREFIX, (byte) DEVICE_OP}, concat(nameString(name), concat(terms)));
    }

    /** Method(name, argCount, NotSerialized) { terms }. */
    public static byte[] method(String name, int argCount, byte[]... terms) {
        if (argCount < 0 || argCount > 7) throw new IllegalArgumentException("argCount " + argCount);
        return withPkgLength(new byte[] {METHOD_OP}, concat(nameString(name), new byte[] {(byte) argCount}, concat(terms)));
    }

    /** Return(value). */
    public static byte[] returnValue(byte[] value) {
        return concat(new byte[] {(byte) RETURN_OP}, value);
    }

    /** The shortest encoding of an integer constant. */
    public static byte[] integer(long v) {
        if (v == 0) return new byte[] {ZERO_OP};
        if (v == 1) return new byte[] {ONE_OP};
        if (v == -1) return new byte[] {(byte) ONES_OP};
        if (v > 0 && v <= 0xFF) return new byte[] {BYTE_PREFIX, (byte) v};
        if (v > 0 && v <= 0xFFFF) return concat(new byte[] {WORD_PREFIX}, le(v, 2));
        if (v > 0 && v <= 0xFFFF_FFFFL) return concat(new byte[] {DWORD_PREFIX}, le(v, 4));
        return concat(new byte[] {QWORD_PREFIX}, le(v, 8));
    }

    /** A 32-bit integer always in DWord form (as EisaId and _PRT addresses are usually written). */
    public static byte[] dword(long v) {
        return concat(new byte[] {DWORD_PREFIX}, le(v, 4));
    }

    /** EisaId("PNP0A03"): the compressed 32-bit EISA id of a 7-character PNP id. */
    public static byte[] eisaId(String id) {
        if (id.length() != 7) throw new IllegalArgumentException("EISA id must have 7 characters: " + id);
        int c1 = id.charAt(0) - 0x40, c2 = id.charAt(1) - 0x40, c3 = id.charAt(2) - 0x40;
        int product = Integer.parseInt(id.substring(3), 16);
        long b0 = (c1 << 2) | (c2 >> 3), b1 = ((c2 & 7) << 5) | c3, b2 = product >> 8, b3 = product & 0xFF;
        return dword(b0 | b1 << 8 | b2 << 16 | b3 << 24);
    }

    public static byte[] string(String s) {
        for (int i = 0; i < s.length(); i++)
            if (s.charAt(i) == 0 || s.charAt(i) > 0x7F) throw new IllegalArgumentException("AML strings are ASCII without NUL");
        return concat(new byte[] {STRING_PREFIX}, s.getBytes(StandardCharsets.US_ASCII), new byte[] {0});
    }

    /** Package { elements } (at most 255 elements). */
    public static byte[] pkg(byte[]... elements) {
        if (elements.length > 255) throw new IllegalArgumentException("package of " + elements.length + " elements");
        return withPkgLength(new byte[] {PACKAGE_OP}, concat(new byte[] {(byte) elements.length}, concat(elements)));
    }

    /** Buffer { bytes }. */
    public static byte[] buffer(byte[] data) {
        return withPkgLength(new byte[] {BUFFER_OP}, concat(integer(data.length), data));
    }

    /** A NameString: optional root '\' or parent '^' prefixes, then dot-separated segments padded with '_'. */
    public static byte[] nameString(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < path.length() && (path.charAt(i) == ROOT_CHAR || path.charAt(i) == PARENT_CHAR)) out.write(path.charAt(i++));
        String rest = path.substring(i);
        String[] segs = rest.isEmpty() ? new String[0] : rest.split("\\.");
        if (segs.length == 0) out.write(0); // NullName
        else if (segs.length == 2) out.write(DUAL_NAME_PREFIX);
        else if (segs.length > 2) { out.write(MULTI_NAME_PREFIX); out.write(segs.length); }
        for (String seg : segs) out.writeBytes(nameSeg(seg));
        return out.toByteArray();
    }

    private static byte[] nameSeg(String seg) {
        if (seg.isEmpty() || seg.length() > 4) throw new IllegalArgumentException("bad name segment '" + seg + "'");
        byte[] b = {'_', '_', '_', '_'};
        for (int i = 0; i < seg.length(); i++) {
            char c = seg.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            if (!ok) throw new IllegalArgumentException("bad name segment '" + seg + "'");
            b[i] = (byte) c;
        }
        return b;
    }

    /** op + PkgLength + body, where PkgLength counts itself and the body. */
    static byte[] withPkgLength(byte[] op, byte[] body) {
        return concat(op, pkgLength(body.length), body);
    }

    static byte[] pkgLength(int bodyLength) {
        if (bodyLength + 1 < 0x40) return new byte[] {(byte) (bodyLength + 1)};
        for (int extra = 1; extra <= 3; extra++) {
            long total = bodyLength + 1 + extra;
            if (total < (1L << (4 + 8 * extra))) {
                byte[] b = new byte[1 + extra];
                b[0] = (byte) ((extra << 6) | (total & 0x0F));
                for (int k = 1; k <= extra; k++) b[k] = (byte) (total >> (4 + 8 * (k - 1)));
                return b;
            }
        }
        throw new IllegalArgumentException("AML package too long: " + bodyLength);
    }

    static byte[] le(long v, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) b[i] = (byte) (v >>> (8 * i));
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
