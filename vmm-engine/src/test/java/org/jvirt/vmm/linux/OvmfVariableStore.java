package org.jvirt.vmm.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live variables of an OVMF variable store file (OVMF_VARS*.fd): the firmware volume header
 * (its length at 0x30), the 28-byte variable store header, then authenticated variable headers
 * (0x55AA, state, attributes, counters, NameSize at 36, DataSize at 40, GUID; 60 bytes), each
 * followed by its UTF-16 name and its data, 4-byte aligned. Live: state VAR_ADDED (0x3F), also
 * while it is being replaced (0x3E).
 */
final class OvmfVariableStore {
    private OvmfVariableStore() { }

    static final int START_ID = 0x55AA, HEADER = 60, STORE_HEADER = 28;

    /** Name to data of each live variable. */
    static Map<String, byte[]> read(Path vars) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(vars)).order(ByteOrder.LITTLE_ENDIAN);
        int at = align4((b.getShort(0x30) & 0xffff) + STORE_HEADER);
        Map<String, byte[]> out = new TreeMap<>();
        while (at + HEADER <= b.capacity() && (b.getShort(at) & 0xffff) == START_ID) {
            int state = b.get(at + 2) & 0xff;
            int nameSize = b.getInt(at + 36), dataSize = b.getInt(at + 40);
            if (nameSize < 0 || dataSize < 0 || at + HEADER + (long) nameSize + dataSize > b.capacity()) break;
            String name = new String(b.array(), at + HEADER, nameSize, StandardCharsets.UTF_16LE).replace("\0", "");
            byte[] data = new byte[dataSize];
            b.get(at + HEADER + nameSize, data);
            if (state == 0x3F || state == 0x3E) out.put(name, data);
            at = align4(at + HEADER + nameSize + dataSize);
        }
        return out;
    }

    private static int align4(int v) {
        return (v + 3) & ~3;
    }
}
