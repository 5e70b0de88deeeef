package org.jvirt.vmm.acpi;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.devices.pci.PciIrqRouting;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcpiTablesTest {

    static final long BASE = 0xE0000;
    final HeapGuestMemory mem = new HeapGuestMemory(1 << 20);
    final AcpiConfig cfg = new AcpiConfig(4, 0x600, 9, 0xE000_0000L, 0x1EC0_0000L, 0x80_0000_0000L, 0x10_0000_0000L);
    final long rsdp = AcpiTables.build(mem, BASE, cfg);

    byte[] bytes(long gpa, int len) { byte[] b = new byte[len]; mem.read(gpa, b, 0, len); return b; }
    ByteBuffer table(long gpa) {
        int len = mem.readInt(gpa + 4);
        return ByteBuffer.wrap(bytes(gpa, len)).order(ByteOrder.LITTLE_ENDIAN);
    }
    static int sum(byte[] b, int len) { int s = 0; for (int i = 0; i < len; i++) s += b[i]; return s & 0xFF; }
    static String sig(ByteBuffer t) { return new String(t.array(), 0, 4, StandardCharsets.US_ASCII); }

    Map<String, Long> xsdtTables() {
        ByteBuffer x = table(mem.readLong(rsdp + 24));
        assertEquals("XSDT", sig(x));
        Map<String, Long> m = new HashMap<>();
        for (int off = 36; off < x.capacity(); off += 8) {
            long addr = x.getLong(off);
            m.put(sig(table(addr)), addr);
        }
        return m;
    }

    @Test
    void rsdpIsValidRevision2() {
        assertEquals(BASE, rsdp);
        byte[] r = bytes(rsdp, 36);
        assertEquals("RSD PTR ", new String(r, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(0, sum(r, 20), "ACPI 1.0 checksum");
        assertEquals(0, sum(r, 36), "extended checksum");
        assertEquals(2, r[15]);
        assertEquals(36, mem.readInt(rsdp + 20));
    }

    @Test
    void everyTableChecksumsAndIsReachableFromBothRootTables() {
        Map<String, Long> t = xsdtTables();
        assertEquals(2, t.size());
        assertTrue(t.containsKey("FACP"));
        assertTrue(t.containsKey("APIC"));
        ByteBuffer rsdt = table(mem.readInt(rsdp + 16) & 0xFFFF_FFFFL);
        assertEquals("RSDT", sig(rsdt));
        assertEquals(t.get("FACP"), rsdt.getInt(36) & 0xFFFF_FFFFL);
        assertEquals(t.get("APIC"), rsdt.getInt(40) & 0xFFFF_FFFFL);
        long dsdt = table(t.get("FACP")).getLong(140);
        for (long addr : new long[] {t.get("FACP"), t.get("APIC"), dsdt, mem.readLong(rsdp + 24), mem.readInt(rsdp + 16) & 0xFFFF_FFFFL}) {
            ByteBuffer tb = table(addr);
            assertEquals(0, sum(tb.array(), tb.capacity()), sig(tb) + " checksum");
            assertEquals("JVIRT ", new String(tb.array(), 10, 6, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void fadtFields() {
        ByteBuffer f = table(xsdtTables().get("FACP"));
        assertEquals(276, f.capacity());
        assertEquals(6, f.get(8));
        long facs = f.getInt(36) & 0xFFFF_FFFFL;
        assertEquals(0, facs % 64);
        assertEquals("FACS", new String(bytes(facs, 4), StandardCharsets.US_ASCII));
        assertEquals(f.getInt(40) & 0xFFFF_FFFFL, f.getLong(140), "DSDT and X_DSDT agree");
        assertEquals(9, f.getShort(46));
        assertEquals(0, f.getInt(48), "no SMI_CMD");
        assertEquals(0x600, f.getInt(56));
        assertEquals(0x604, f.getInt(64));
        assertEquals(0x608, f.getInt(76));
        assertEquals(4, f.get(88));
        assertEquals(2, f.get(89));
        assertEquals(4, f.get(91));
        assertEquals(0x32, f.get(108));
        int flags = f.getInt(112);
        assertEquals(0, flags & (1 << 4), "fixed power button present");
        assertEquals(0, flags & (1 << 20), "not hardware-reduced");
        assertNotEquals(0, flags & (1 << 10), "reset register supported");
        assertEquals(1, f.get(116), "reset register in system I/O");
        assertEquals(0x64, f.getLong(120));
        assertEquals((byte) 0xFE, f.get(128));
        assertEquals(0x0002, f.getShort(109) & 0x0002, "8042 present");
    }

    @Test
    void madtEntries() {
        ByteBuffer m = table(xsdtTables().get("APIC"));
        assertEquals(0xFEE0_0000, m.getInt(36));
        int lapics = 0, ioapics = 0;
        Map<Integer, int[]> iso = new HashMap<>();
        for (int off = 44; off < m.capacity(); off += m.get(off + 1) & 0xFF) {
            int type = m.get(off), len = m.get(off + 1);
            assertTrue(len >= 2);
            switch (type) {
                case 0 -> { assertEquals(lapics, m.get(off + 3)); assertEquals(1, m.getInt(off + 4)); lapics++; }
                case 1 -> { ioapics++; assertEquals(0xFEC0_0000, m.getInt(off + 4)); assertEquals(0, m.getInt(off + 8)); }
                case 2 -> iso.put((int) m.get(off + 3), new int[] {m.getInt(off + 4), m.getShort(off + 8)});
                default -> { }
            }
        }
        assertEquals(4, lapics);
        assertEquals(1, ioapics);
        assertArrayEquals(new int[] {2, 0}, iso.get(0), "IRQ0 -> GSI2");
        assertArrayEquals(new int[] {9, 0x0D}, iso.get(9), "SCI level, active-high");
    }

    @Test
    void x2apicEntriesBeyond254() {
        byte[] madt = AcpiTables.madt(AcpiConfig.defaults(300));
        ByteBuffer m = ByteBuffer.wrap(madt).order(ByteOrder.LITTLE_ENDIAN);
        int x2 = 0, l = 0;
        for (int off = 44; off < m.capacity(); off += m.get(off + 1) & 0xFF) {
            if (m.get(off) == 9) { assertEquals(255 + x2, m.getInt(off + 4)); x2++; }
            if (m.get(off) == 0) l++;
        }
        assertEquals(255, l);
        assertEquals(45, x2);
        assertEquals(0, sum(madt, madt.length));
    }

    @Test
    void dsdtHasS5WithSlpTyp0AndPciRoot() {
        ByteBuffer f = table(xsdtTables().get("FACP"));
        byte[] d = table(f.getLong(140)).array();
        assertEquals("DSDT", new String(d, 0, 4, StandardCharsets.US_ASCII));
        // Name(\_S5, Package(4){0,0,0,0}) encodes exactly as below.
        byte[] s5 = {0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00};
        assertTrue(indexOf(d, s5) >= 0, "\\_S5 package");
        assertTrue(indexOf(d, new byte[] {0x41, (byte) 0xD0, 0x0A, 0x03}) >= 0, "EisaId PNP0A03");
        assertTrue(indexOf(d, "PCI0".getBytes(StandardCharsets.US_ASCII)) >= 0);
        assertTrue(indexOf(d, "_PRT".getBytes(StandardCharsets.US_ASCII)) >= 0);
    }

    @Test
    void amlEncodings() {
        assertArrayEquals(new byte[] {0x0A, 0x10}, Aml.integer(16));
        assertArrayEquals(new byte[] {0x0B, 0x34, 0x12}, Aml.integer(0x1234));
        assertArrayEquals(new byte[] {0x0C, 0x41, (byte) 0xD0, 0x0A, 0x03}, Aml.eisaId("PNP0A03"));
        assertArrayEquals(new byte[] {0x2E, '_', 'S', 'B', '_', 'P', 'C', 'I', '0'}, Aml.nameString("_SB.PCI0"));
        assertArrayEquals(new byte[] {0x3F}, Aml.pkgLength(0x3E));
        byte[] two = Aml.pkgLength(0x3F); // total 0x41 with two length bytes
        assertArrayEquals(new byte[] {0x41, 0x04}, two);
        byte[] three = Aml.pkgLength(0x1000);
        assertEquals(3, three.length);
        int total = (three[0] & 0x0F) | (three[1] & 0xFF) << 4 | (three[2] & 0xFF) << 12;
        assertEquals(0x1000 + 3, total);
    }

    @Test
    void iaslDisassemblesTheDsdtWhenInstalled(@TempDir Path dir) throws Exception {
        Path iasl = Path.of("/usr/bin/iasl");
        Assumptions.assumeTrue(Files.isExecutable(iasl), "iasl (acpica-tools) not installed: skipping disassembly check");
        ByteBuffer f = table(xsdtTables().get("FACP"));
        Files.write(dir.resolve("dsdt.aml"), table(f.getLong(140)).array());
        Files.write(dir.resolve("facp.dat"), f.array());
        Process p = new ProcessBuilder(iasl.toString(), "-d", "dsdt.aml").directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        String dsl = Files.readString(dir.resolve("dsdt.dsl"));
        assertTrue(dsl.contains("Name (\\_S5, Package (0x04)"), dsl);
        assertTrue(dsl.contains("EisaId (\"PNP0A03\")"), dsl);
        assertTrue(dsl.contains("WordBusNumber"), dsl);
        assertTrue(dsl.contains("DWordMemory"), dsl);
        assertTrue(dsl.contains("0xE0000000"), dsl);
        assertTrue(dsl.contains("Name (_PRT, Package (0x7C)"), dsl);
        assertTrue(dsl.contains("EisaId (\"PNP0303\")"), dsl);
        assertTrue(dsl.contains("EisaId (\"PNP0F13\")"), dsl); // the PS/2 mouse, as QEMU's MOU
        assertFalse(dsl.contains("Unknown"), dsl);

        Files.write(dir.resolve("apic.dat"), table(xsdtTables().get("APIC")).array());
        for (String name : new String[] {"facp", "apic"}) {
            Process q = new ProcessBuilder(iasl.toString(), "-d", name + ".dat").directory(dir.toFile()).redirectErrorStream(true).start();
            String qlog = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(q.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, q.exitValue(), qlog);
            String out = Files.readString(dir.resolve(name + ".dsl"));
            assertFalse(out.contains("Invalid") || out.contains("**** "), out);
            if (name.equals("facp")) {
                assertTrue(out.contains("Control Method Power Button (V1) : 0"), out);
                assertTrue(out.contains("PM1A Event Block Address : 00000600"), out);
            } else {
                assertTrue(out.contains("Interrupt Source Override"), out);
            }
        }
    }

    @Test
    void prtMatchesRoutingHelper() {
        assertEquals(17, PciIrqRouting.gsi(1, 0));
        assertEquals(20, PciIrqRouting.gsi(3, 1));
        assertEquals(16, PciIrqRouting.gsi(7, 1), "wraps within the 8 PCI GSIs");
        assertThrows(IllegalArgumentException.class, () -> PciIrqRouting.gsi(3, 4));
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void acpiexecLoadsAndEvaluatesTheDsdtWhenInstalled(@TempDir Path dir) throws Exception {
        Path acpiexec = Path.of("/usr/bin/acpiexec");
        Assumptions.assumeTrue(Files.isExecutable(acpiexec), "acpiexec (acpica-tools) not installed: skipping AML evaluation");
        ByteBuffer f = table(xsdtTables().get("FACP"));
        Files.write(dir.resolve("dsdt.aml"), table(f.getLong(140)).array());
        Process p = new ProcessBuilder(acpiexec.toString(), "-b",
                "evaluate \\_S5; evaluate \\_SB.PCI0._HID; evaluate \\_SB.PCI0._PRT; evaluate \\_SB.PCI0._CRS", "dsdt.aml")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertFalse(out.contains("ACPI Error") || out.contains("ACPI Exception") || out.contains("AE_"), out);
        assertTrue(out.contains("Evaluation of \\_S5 returned"), out);
        assertTrue(out.contains("[Package] Contains 4 Elements:\n    [Integer] = 0000000000000000\n    [Integer] = 0000000000000000"), out);
        assertTrue(out.contains("[Integer] = 00000000030AD041"), out);
        assertTrue(out.contains("[Package] Contains 124 Elements:"), out);
        assertTrue(out.contains("Evaluation of \\_SB.PCI0._CRS returned"), out);
    }
}
