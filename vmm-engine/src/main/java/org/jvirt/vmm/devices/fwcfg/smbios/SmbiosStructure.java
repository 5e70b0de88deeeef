package org.jvirt.vmm.devices.fwcfg.smbios;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One SMBIOS structure as QEMU writes it: the formatted area (type, length, handle, then the
 * type's fields, little-endian) and its string set. A string field gets the next string number,
 * or 0 when the value is absent or empty (QEMU's SMBIOS_TABLE_SET_STR); the set ends with one
 * NUL after the last string, or two when there is none.
 */
final class SmbiosStructure {
    private final byte[] formatted;
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private int count;

    SmbiosStructure(int type, int handle, int length) {
        formatted = new byte[length];
        formatted[0] = (byte) type;
        formatted[1] = (byte) length;
        u16(2, handle);
    }

    SmbiosStructure u8(int offset, int v) {
        formatted[offset] = (byte) v;
        return this;
    }

    SmbiosStructure u16(int offset, int v) { return le(offset, 2, v); }
    SmbiosStructure u32(int offset, long v) { return le(offset, 4, v); }
    SmbiosStructure u64(int offset, long v) { return le(offset, 8, v); }

    SmbiosStructure bytes(int offset, byte[] b) {
        System.arraycopy(b, 0, formatted, offset, b.length);
        return this;
    }

    private SmbiosStructure le(int offset, int n, long v) {
        for (int i = 0; i < n; i++) formatted[offset + i] = (byte) (v >>> (8 * i));
        return this;
    }

    /** A string field at offset: its number in the set, 0 for null or "". */
    SmbiosStructure string(int offset, String value) {
        formatted[offset] = (byte) add(value);
        return this;
    }

    /** Appends a string without a field for it (type 11's list); returns its number, 0 when empty. */
    int add(String value) {
        if (value == null || value.isEmpty()) return 0;
        strings.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        return ++count;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(formatted);
        out.writeBytes(strings.toByteArray());
        out.write(0);
        if (count == 0) out.write(0);
        return out.toByteArray();
    }
}
