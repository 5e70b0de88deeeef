package org.jvirt.vmm.acpi;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import org.jvirt.vmm.devices.q35.Ich9IrqRouting;
import org.jvirt.vmm.devices.q35.Q35Chipset;
import org.junit.jupiter.api.Test;

/** The q35's tables: MCFG for the ECAM window, a PNP0A08 root over buses 0-255, the ICH9 routing in _PRT. */
class Q35AcpiTablesTest {
    static final AcpiConfig Q35 = AcpiConfig.defaults(2)
            .withPciRoot(AcpiConfig.PciRoot.express(Ich9IrqRouting::gsi, Q35Chipset.ECAM_BASE, Q35Chipset.ECAM_SIZE));
    static final long BASE = 0xE0000;
    final org.jvirt.vmm.testutil.HeapGuestMemory mem = new org.jvirt.vmm.testutil.HeapGuestMemory(1 << 20);
    final long rsdp = AcpiTables.build(mem, BASE, Q35);

    ByteBuffer table(long gpa) {
        byte[] b = new byte[mem.readInt(gpa + 4)];
        mem.read(gpa, b, 0, b.length);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    Map<String, Long> xsdtTables() {
        ByteBuffer x = table(mem.readLong(rsdp + 24));
        Map<String, Long> m = new java.util.HashMap<>();
        for (int off = 36; off < x.capacity(); off += 8) m.put(new String(table(x.getLong(off)).array(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII), x.getLong(off));
        return m;
    }

    static int sum(byte[] b, int len) { return AcpiTablesTest.sum(b, len); }
    static int indexOf(byte[] hay, byte[] needle) { return AcpiTablesTest.indexOf(hay, needle); }

    @Test
    void mcfgListedInBothRootTablesForTheEcamWindow() {
        Map<String, Long> t = xsdtTables();
        assertEquals(3, t.size(), t.toString());
        ByteBuffer rsdt = table(mem.readInt(rsdp + 16) & 0xFFFF_FFFFL);
        assertEquals(t.get("MCFG"), rsdt.getInt(44) & 0xFFFF_FFFFL);
        ByteBuffer m = table(t.get("MCFG"));
        assertEquals(0, sum(m.array(), m.capacity()), "MCFG checksum");
        assertEquals(60, m.capacity());
        assertEquals(0xB000_0000L, m.getLong(44), "ECAM base");
        assertEquals(0, m.getShort(52), "segment");
        assertEquals(0, m.get(54), "first bus");
        assertEquals(0xFF, m.get(55) & 0xFF, "last bus");
    }

    @Test
    void fadtPmBlockAtThePmbaseJvirtAndSeaBiosProgram() {
        ByteBuffer f = table(xsdtTables().get("FACP"));
        assertEquals(0x600, f.getInt(56), "PM1a_EVT where SeaBIOS and jvirt put the LPC's PMBASE");
        assertEquals(0x604, f.getInt(64));
        assertEquals(0x608, f.getInt(76));
        assertEquals(9, f.getShort(46));
    }

    @Test
    void dsdtHasAnExpressRootWithTheIch9Routing() {
        byte[] dsdt = table(table(xsdtTables().get("FACP")).getLong(140)).array();
        assertTrue(indexOf(dsdt, Aml.name("_HID", Aml.eisaId("PNP0A08"))) > 0, "PCI Express root");
        assertTrue(indexOf(dsdt, Aml.name("_CID", Aml.eisaId("PNP0A03"))) > 0, "compatible with a PCI root");
        assertTrue(indexOf(dsdt, AmlResources.wordBusNumber(0, 255)) > 0, "the buses ECAM reaches");
        for (int slot = 1; slot < 32; slot++) {
            for (int pin = 0; pin < 4; pin++) {
                byte[] entry = Aml.pkg(Aml.dword(((long) slot << 16) | 0xFFFF), Aml.integer(pin), Aml.integer(0),
                        Aml.integer(Ich9IrqRouting.gsi(slot, pin)));
                assertTrue(indexOf(dsdt, entry) > 0, "_PRT entry slot " + slot + " pin " + pin);
            }
        }
    }

    @Test
    void theFirmwareLoaderGetsTheMcfgToo() {
        AcpiTables.Relocatable r = AcpiTables.relocatable(Q35);
        int mcfg = AcpiTablesTest.indexOf(r.tables(), "MCFG".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(mcfg > 0);
        assertTrue(r.checksums().stream().anyMatch(c -> !c.inRsdp() && c.start() == mcfg && c.offset() == mcfg + 9), "MCFG checksummed by the loader");
        ByteBuffer t = ByteBuffer.wrap(r.tables()).order(ByteOrder.LITTLE_ENDIAN);
        assertTrue(r.pointers().stream().anyMatch(p -> !p.inRsdp() && p.size() == 8 && t.getLong(p.offset()) == mcfg), "the XSDT points at it");
        assertTrue(r.pointers().stream().anyMatch(p -> !p.inRsdp() && p.size() == 4 && t.getInt(p.offset()) == mcfg), "the RSDT too");
    }
}
