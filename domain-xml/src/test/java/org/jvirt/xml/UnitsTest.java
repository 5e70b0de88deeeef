package org.jvirt.xml;

import org.junit.jupiter.api.Test;
import org.jvirt.xml.domain.Domain;
import org.jvirt.xml.model.XmlValueException;
import org.jvirt.xml.units.MemoryUnits;
import org.jvirt.xml.units.Uuids;

import static org.junit.jupiter.api.Assertions.*;

class UnitsTest {

    private static Domain withMemory(String unit, String value) throws Exception {
        String u = unit == null ? "" : " unit='" + unit + "'";
        return DomainXml.parse("<domain type='kvm'>\n  <name>m</name>\n  <memory" + u + ">" + value
                + "</memory>\n</domain>");
    }

    @Test
    void everyLibvirtUnitConvertsToBytesExactly() throws Exception {
        Object[][] cases = {
                {"b", 1L}, {"bytes", 1L}, {"byte", 1L}, {"KB", 1000L}, {"k", 1024L}, {"KiB", 1024L},
                {"MB", 1000_000L}, {"M", 1L << 20}, {"MiB", 1L << 20}, {"GB", 1000_000_000L},
                {"G", 1L << 30}, {"GiB", 1L << 30}, {"TB", 1000_000_000_000L}, {"T", 1L << 40},
                {"TiB", 1L << 40}, {"PiB", 1L << 50}, {"EiB", 1L << 60}, {"kib", 1024L}, {"mb", 1000_000L},
        };
        for (Object[] c : cases)
            assertEquals((long) c[1] * 3, withMemory((String) c[0], "3").getMemory().bytes(), "unit " + c[0]);
        assertEquals(3 * 1024L, withMemory(null, "3").getMemory().bytes(), "KiB is the default unit");
    }

    @Test
    void serializesBackAsLibvirtDoes() throws Exception {
        Domain d = withMemory("GiB", "2");
        assertTrue(DomainXml.format(d).contains("<memory unit='GiB'>2</memory>"), "a round trip keeps what was written");
        d.getMemory().setBytes(d.getMemory().bytes());
        assertTrue(DomainXml.format(d).contains("<memory unit='KiB'>2097152</memory>"), DomainXml.format(d));
        assertEquals(2, MemoryUnits.toKiBRoundedUp(1025), "libvirt rounds bytes up to whole KiB");
    }

    @Test
    void badUnitNamesElementValueAndLine() throws Exception {
        XmlValueException e = assertThrows(XmlValueException.class, () -> withMemory("furlongs", "3").getMemory().bytes());
        assertEquals("memory", e.element());
        assertEquals("furlongs", e.value());
        assertEquals(3, e.location().line());
        assertTrue(e.getMessage().contains("'furlongs'") && e.getMessage().contains("<memory>")
                && e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void badNumberAndOverflowAreErrors() throws Exception {
        assertThrows(XmlValueException.class, () -> withMemory("KiB", "12x").getMemory().bytes());
        assertThrows(XmlValueException.class, () -> withMemory("KiB", "-1").getMemory().bytes());
        assertThrows(XmlValueException.class, () -> withMemory("EiB", "16").getMemory().bytes());
    }

    @Test
    void uuidsInLibvirtsAcceptedSpellings() {
        String canonical = "6695eb01-f6a4-8304-79aa-97f2502e193f";
        for (String s : new String[]{canonical, "6695eb01f6a4830479aa97f2502e193f", "  6695EB01-F6A4-8304-79AA-97F2502E193F \n",
                "66-95-eb-01-f6-a4-83-04-79-aa-97-f2-50-2e-19-3f", "6695eb01 f6a4 8304 79aa 97f2502e193f"})
            assertEquals(canonical, Uuids.format(Uuids.parseOrNull(s)), s);
        for (String s : new String[]{"", "6695eb01-f6a4-8304-79aa-97f2502e193", "6695eb01-f6a4-8304-79aa-97f2502e193f0",
                "6695eb0-1f6a4-8304-79aa-97f2502e193f", "xyz5eb01-f6a4-8304-79aa-97f2502e193f", "6695eb01-f6a4-8304-79aa-97f2502e193f x"})
            assertNull(Uuids.parseOrNull(s), s);
    }
}
