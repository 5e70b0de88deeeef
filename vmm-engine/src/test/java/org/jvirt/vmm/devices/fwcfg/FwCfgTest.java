package org.jvirt.vmm.devices.fwcfg;

import org.jvirt.vmm.memory.RamRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fw_cfg ports as SeaBIOS's paravirt.c drives them (outw selector, inb data). */
class FwCfgTest {

    private static byte[] read(FwCfg d, int key, int n) {
        d.write(0, 2, key);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) d.read(1, 1);
        return b;
    }

    @Test
    void signatureIdAndNumbersAsQemuGivesThem() {
        FwCfg d = new FwCfg(PcFwCfgItems.of(256L << 20, List.of(new RamRange(0, 256L << 20)), 2, true));
        assertEquals("QEMU", new String(read(d, FwCfgItems.SIGNATURE, 4), StandardCharsets.US_ASCII));
        assertEquals(1, le(read(d, FwCfgItems.ID, 4)), "traditional interface, no DMA");
        assertEquals(256L << 20, le(read(d, FwCfgItems.RAM_SIZE, 8)));
        assertEquals(2, le(read(d, FwCfgItems.NB_CPUS, 2)));
        assertEquals(1, le(read(d, FwCfgItems.NOGRAPHIC, 2)));
        assertEquals(0, le(read(d, 0x7ff, 4)), "an unknown key reads zeros");
        assertEquals(0x51, read(d, FwCfgItems.SIGNATURE | 0x4000, 2)[0], "the write bit is not part of the key");
        byte[] sig = read(d, FwCfgItems.SIGNATURE, 6);
        assertEquals(0, sig[4], "past the end: zeros");
        assertEquals(0xffff, d.read(1, 2), "only byte reads on the data port: wider ones float");
    }

    @Test
    void theFileDirectoryListsFilesInNameOrderWithTheirKeys() {
        FwCfg d = new FwCfg(new FwCfgItems().addFile("etc/z", new byte[]{7}).addFile("etc/a", new byte[]{1, 2, 3}));
        ByteBuffer dir = ByteBuffer.wrap(read(d, FwCfgItems.FILE_DIR, 4 + 2 * 64)).order(ByteOrder.BIG_ENDIAN);
        assertEquals(2, dir.getInt());
        assertEquals(3, dir.getInt());
        int keyA = dir.getShort() & 0xffff;
        dir.getShort();
        byte[] name = new byte[56];
        dir.get(name);
        assertEquals("etc/a", new String(name, StandardCharsets.US_ASCII).replace("\0", ""));
        assertEquals(FwCfgItems.FILE_FIRST, keyA);
        assertEquals(1, dir.getInt());
        int keyZ = dir.getShort() & 0xffff;
        assertEquals(FwCfgItems.FILE_FIRST + 1, keyZ);
        assertEquals(3, read(d, keyA, 3)[2]);
        assertEquals(7, read(d, keyZ, 1)[0]);
    }

    @Test
    void e820IsTheRamRangesLittleEndian() {
        byte[] e = PcFwCfgItems.e820(List.of(new RamRange(0, 0xC000_0000L), new RamRange(1L << 32, 1L << 30)));
        ByteBuffer b = ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(40, e.length);
        assertEquals(0, b.getLong());
        assertEquals(0xC000_0000L, b.getLong());
        assertEquals(1, b.getInt());
        assertEquals(1L << 32, b.getLong());
        assertEquals(1L << 30, b.getLong());
        assertEquals(1, b.getInt());
    }

    @Test
    void badNamesAndKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FwCfgItems().addFile("x".repeat(56), new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new FwCfgItems().add(FwCfgItems.FILE_DIR, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new FwCfgItems().add(0x20, new byte[0]));
    }

    private static long le(byte[] b) {
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) v = v << 8 | (b[i] & 0xff);
        return v;
    }
}
