package org.jvirt.vmm.devices.fwcfg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The items a fw_cfg device serves, by selector key: fixed items (signature, ID, RAM size, ...)
 * and named files, which get keys from 0x20 up in name order and are listed in the file
 * directory (key 0x19): a big-endian count, then per file a big-endian size, key, reserved
 * u16 and a NUL-padded 56-byte name.
 */
public final class FwCfgItems {
    public static final int SIGNATURE = 0x00, ID = 0x01, RAM_SIZE = 0x03, NOGRAPHIC = 0x04, NB_CPUS = 0x05,
            BOOT_MENU = 0x0e, MAX_CPUS = 0x0f, FILE_DIR = 0x19, FILE_FIRST = 0x20;
    /** ID bit 0: the traditional interface (no DMA, bit 1, is offered). */
    public static final int ID_TRADITIONAL = 1;
    static final int NAME_LENGTH = 56, DIR_ENTRY = 64, MAX_FILES = 0x3fff - FILE_FIRST;

    private final Map<Integer, byte[]> fixed = new TreeMap<>();
    private final Map<String, byte[]> files = new TreeMap<>();

    /** A fixed item (key below 0x20). */
    public FwCfgItems add(int key, byte[] value) {
        if (key < 0 || key >= FILE_FIRST || key == FILE_DIR) throw new IllegalArgumentException("fw_cfg key " + key + " is not a fixed item");
        fixed.put(key, value.clone());
        return this;
    }

    public FwCfgItems addU16(int key, int v) { return add(key, le(2, v)); }
    public FwCfgItems addU32(int key, long v) { return add(key, le(4, v)); }
    public FwCfgItems addU64(int key, long v) { return add(key, le(8, v)); }

    /** A named file ("etc/e820"); the name must fit the directory's 55 characters. */
    public FwCfgItems addFile(String name, byte[] contents) {
        if (name.isEmpty() || name.getBytes(StandardCharsets.US_ASCII).length >= NAME_LENGTH) {
            throw new IllegalArgumentException("fw_cfg file name '" + name + "' must be 1 to 55 ASCII characters");
        }
        if (files.size() >= MAX_FILES && !files.containsKey(name)) throw new IllegalArgumentException("too many fw_cfg files");
        files.put(name, contents.clone());
        return this;
    }

    /** Every item by key, the file directory included (the device's table). */
    Map<Integer, byte[]> build() {
        Map<Integer, byte[]> out = new TreeMap<>(fixed);
        ByteBuffer dir = ByteBuffer.allocate(4 + DIR_ENTRY * files.size()).order(ByteOrder.BIG_ENDIAN);
        dir.putInt(files.size());
        int key = FILE_FIRST;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            dir.putInt(f.getValue().length).putShort((short) key).putShort((short) 0);
            byte[] name = new byte[NAME_LENGTH];
            byte[] ascii = f.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(ascii, 0, name, 0, ascii.length);
            dir.put(name);
            out.put(key++, f.getValue());
        }
        out.put(FILE_DIR, dir.array());
        return out;
    }

    static byte[] le(int bytes, long v) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) b[i] = (byte) (v >>> (8 * i));
        return b;
    }
}
