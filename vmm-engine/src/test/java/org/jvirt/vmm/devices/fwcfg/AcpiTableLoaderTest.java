package org.jvirt.vmm.devices.fwcfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.jvirt.vmm.acpi.AcpiConfig;
import org.jvirt.vmm.acpi.AcpiTables;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.junit.jupiter.api.Test;

/**
 * The loader script run the way SeaBIOS's romfile_loader_execute runs it (allocate, add the
 * pointee's address to each pointer, subtract each range's sum from its checksum byte), with the
 * files placed where a kernel boot puts the tables (RSDP at 0xE0000, FACS 64 bytes on): the bytes
 * must be exactly those {@link AcpiTables#build} writes there.
 */
class AcpiTableLoaderTest {
    static final long BASE = 0xE0000;

    @Test
    void theLoaderInstallsTheKernelBootsTablesByteForByte() {
        AcpiConfig cfg = AcpiConfig.defaults(2);
        HeapGuestMemory mem = new HeapGuestMemory(1 << 20);
        AcpiTables.build(mem, BASE, cfg);

        Map<String, byte[]> files = files(AcpiTableLoader.addTo(new FwCfgItems(), AcpiTables.relocatable(cfg)));
        Map<String, Long> placed = new HashMap<>();
        Map<String, byte[]> data = new HashMap<>();
        ByteBuffer script = ByteBuffer.wrap(files.get(AcpiTableLoader.LOADER)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, script.capacity() % AcpiTableLoader.COMMAND_SIZE);
        for (int at = 0; at < script.capacity(); at += AcpiTableLoader.COMMAND_SIZE) {
            switch (script.getInt(at)) {
                case AcpiTableLoader.ALLOCATE -> {
                    String f = name(script, at + 4);
                    int align = script.getInt(at + 60), zone = script.get(at + 64);
                    long where = f.equals(AcpiTableLoader.RSDP) ? BASE : BASE + 64;
                    assertEquals(f.equals(AcpiTableLoader.RSDP) ? AcpiTableLoader.ZONE_FSEG : AcpiTableLoader.ZONE_HIGH, zone, f);
                    assertEquals(0, where % align, f + " aligned");
                    placed.put(f, where);
                    data.put(f, files.get(f).clone());
                }
                case AcpiTableLoader.ADD_POINTER -> {
                    ByteBuffer dest = ByteBuffer.wrap(data.get(name(script, at + 4))).order(ByteOrder.LITTLE_ENDIAN);
                    long src = placed.get(name(script, at + 60));
                    int off = script.getInt(at + 116), size = script.get(at + 120);
                    if (size == 4) dest.putInt(off, (int) (dest.getInt(off) + src));
                    else if (size == 8) dest.putLong(off, dest.getLong(off) + src);
                    else throw new AssertionError("pointer size " + size);
                }
                case AcpiTableLoader.ADD_CHECKSUM -> {
                    byte[] d = data.get(name(script, at + 4));
                    int off = script.getInt(at + 60), start = script.getInt(at + 64), len = script.getInt(at + 68);
                    int sum = 0;
                    for (int i = start; i < start + len; i++) sum += d[i];
                    d[off] -= (byte) sum;
                }
                default -> throw new AssertionError("command " + script.getInt(at));
            }
        }
        assertEquals(2, placed.size(), "both files allocated");
        for (String f : placed.keySet()) {
            byte[] expected = new byte[data.get(f).length];
            mem.read(placed.get(f), expected, 0, expected.length);
            assertArrayEquals(expected, data.get(f), f);
        }
        assertTrue(new String(data.get(AcpiTableLoader.RSDP), 0, 8, StandardCharsets.US_ASCII).equals("RSD PTR "));
    }

    /**
     * The script run as OVMF's AcpiPlatformDxe runs it (QemuFwCfgAcpi.c): pointers must point
     * inside the pointee, a checksum command stores the checksum of its range (the byte itself
     * included, so it must start as zero), and every pointed-to table that is not the RSDT or
     * XSDT must then have a valid checksum to be installed. Blobs at addresses OVMF could choose.
     */
    @Test
    void ovmfsLoaderFindsEveryTableWithAValidChecksum() {
        AcpiConfig cfg = AcpiConfig.defaults(2);
        Map<String, byte[]> files = files(AcpiTableLoader.addTo(new FwCfgItems(), AcpiTables.relocatable(cfg)));
        Map<String, Long> placed = new HashMap<>();
        Map<String, byte[]> data = new HashMap<>();
        ByteBuffer script = ByteBuffer.wrap(files.get(AcpiTableLoader.LOADER)).order(ByteOrder.LITTLE_ENDIAN);
        java.util.List<long[]> pointees = new java.util.ArrayList<>(); // absolute address, pointee base, pointee size
        long next = 0x1f770000L;
        for (int at = 0; at < script.capacity(); at += AcpiTableLoader.COMMAND_SIZE) {
            switch (script.getInt(at)) {
                case AcpiTableLoader.ALLOCATE -> {
                    String f = name(script, at + 4);
                    placed.put(f, next);
                    next += 0x10000;
                    data.put(f, files.get(f).clone());
                }
                case AcpiTableLoader.ADD_POINTER -> {
                    ByteBuffer dest = ByteBuffer.wrap(data.get(name(script, at + 4))).order(ByteOrder.LITTLE_ENDIAN);
                    String pointee = name(script, at + 60);
                    int off = script.getInt(at + 116), size = script.get(at + 120);
                    long value = size == 4 ? dest.getInt(off) & 0xffffffffL : dest.getLong(off);
                    assertTrue(value < data.get(pointee).length, "pointer value inside " + pointee);
                    long abs = value + placed.get(pointee);
                    if (size == 4) dest.putInt(off, (int) abs); else dest.putLong(off, abs);
                    pointees.add(new long[] {abs, placed.get(pointee), data.get(pointee).length});
                }
                case AcpiTableLoader.ADD_CHECKSUM -> {
                    byte[] d = data.get(name(script, at + 4));
                    int off = script.getInt(at + 60), start = script.getInt(at + 64), len = script.getInt(at + 68);
                    int sum = 0;
                    for (int i = start; i < start + len; i++) sum += d[i];
                    d[off] = (byte) -sum; // CalculateCheckSum8: 0x100 - sum, the byte's old value counted
                }
                default -> throw new AssertionError("command " + script.getInt(at));
            }
        }
        java.util.Set<String> installed = new java.util.TreeSet<>();
        for (long[] p : pointees) {
            String file = placed.entrySet().stream().filter(e -> e.getValue() == p[1]).findFirst().orElseThrow().getKey();
            ByteBuffer b = ByteBuffer.wrap(data.get(file)).order(ByteOrder.LITTLE_ENDIAN);
            int at = (int) (p[0] - p[1]);
            String sig = new String(data.get(file), at, 4, StandardCharsets.US_ASCII);
            int len = b.getInt(at + 4);
            if (sig.equals("FACS")) {
                installed.add(sig);
                continue;
            }
            int sum = 0;
            for (int i = at; i < at + len; i++) sum += data.get(file)[i];
            assertEquals(0, sum & 0xff, sig + " checksum after OVMF's loader");
            installed.add(sig);
        }
        assertEquals(java.util.Set.of("APIC", "DSDT", "FACP", "FACS", "RSDT", "XSDT"), installed);
        int rsdpSum = 0, rsdp1Sum = 0;
        byte[] rsdp = data.get(AcpiTableLoader.RSDP);
        for (int i = 0; i < 36; i++) rsdpSum += rsdp[i];
        for (int i = 0; i < 20; i++) rsdp1Sum += rsdp[i];
        assertEquals(0, rsdpSum & 0xff, "RSDP extended checksum");
        assertEquals(0, rsdp1Sum & 0xff, "RSDP checksum");
    }

    /** The named files, through the file directory the device serves. */
    static Map<String, byte[]> files(FwCfgItems items) {
        Map<Integer, byte[]> byKey = items.build();
        ByteBuffer dir = ByteBuffer.wrap(byKey.get(FwCfgItems.FILE_DIR));
        Map<String, byte[]> out = new HashMap<>();
        for (int n = dir.getInt(), i = 0; i < n; i++) {
            dir.getInt();
            int key = dir.getShort() & 0xFFFF;
            dir.getShort();
            byte[] name = new byte[FwCfgItems.NAME_LENGTH];
            dir.get(name);
            out.put(new String(name, StandardCharsets.US_ASCII).replace("\0", ""), byKey.get(key));
        }
        return out;
    }

    private static String name(ByteBuffer script, int at) {
        byte[] b = new byte[FwCfgItems.NAME_LENGTH];
        script.get(at, b);
        return new String(b, StandardCharsets.US_ASCII).replace("\0", "");
    }
}
