package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainStats;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.MemoryStatistic;
import org.jvirt.driver.api.TypedParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <memballoon model='virtio'>} on a running jvirt domain (the virtio-balloon test guest,
 * test-fixtures/guests/virtio-balloon.c, on the emulator where there is no KVM): the start asks
 * for currentMemory as libvirt's does, setMemoryFlags --live moves the balloon (refused above
 * the maximum), the live currentMemory, dominfo, dommemstat (actual, the guest's statistics
 * once the period asks for them, last_update, rss) and domstats --balloon follow the guest, the
 * stats period changes live and in the config; without a balloon setmem --live, and the
 * period, are refused in libvirt 9.0's words while dommemstat gives rss alone.
 */
class JvirtBalloonEmuTest {

    private static final long MEM = 64 << 10; // KiB

    @TempDir
    Path root;

    @Test
    void theBalloonFollowsSetmemAndReportsTheGuestsStatistics() throws Exception {
        try (TickerEmbed g = TickerEmbed.open(root, "the balloon", "virtio-balloon")) {
            String xml = g.xml("    <memballoon model='virtio'>\n      <stats period='1'/>\n    </memballoon>\n", 64, null)
                    .replace("</memory>\n", "</memory>\n  <currentMemory unit='KiB'>" + (MEM - 8192) + "</currentMemory>\n");
            Connect c = new Connect(g.uri());
            Domain d = c.domainDefineXML(xml);
            d.create();
            g.awaitSerial("num_pages 2048: inflated 2048 deflated 0, actual 2048");
            assertEquals(MEM - 8192, stat(d, MemoryStatistic.Tag.ACTUAL_BALLOON));
            assertTrue(d.getXMLDesc(0).contains("<currentMemory unit='KiB'>" + (MEM - 8192) + "</currentMemory>"), d.getXMLDesc(0));
            assertEquals(MEM - 8192, d.getInfo().memory);

            g.awaitSerial("stats round 2 posted");
            long swapIn = ((2L << 32) | (1 << 20) | 0x123) / 1024; // tag 0 of round 2, in KiB
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (stat(d, MemoryStatistic.Tag.SWAP_IN) != swapIn && System.nanoTime() < deadline) Thread.sleep(50);
            Map<MemoryStatistic.Tag, Long> s = stats(d);
            assertEquals(swapIn, s.get(MemoryStatistic.Tag.SWAP_IN));
            assertEquals((2L << 32) | (3 << 20) | 0x123, s.get(MemoryStatistic.Tag.MAJOR_FAULT), "a count, not KiB");
            assertTrue(s.get(MemoryStatistic.Tag.LAST_UPDATE) > 1_600_000_000L, s.toString());
            assertTrue(s.get(MemoryStatistic.Tag.RSS) > 0, s.toString());
            assertEquals(MemoryStatistic.Tag.ACTUAL_BALLOON, d.memoryStats(13)[0].tag(), "actual first, as libvirt's");

            d.setMemoryStatsPeriod(0, Flags.Affect.LIVE | Flags.Affect.CONFIG);
            assertFalse(d.getXMLDesc(0).contains("<stats"), "period 0 is not shown");
            d.setMemoryStatsPeriod(5, Flags.Affect.CONFIG);
            assertTrue(d.getXMLDesc(Flags.DomainXml.INACTIVE).contains("<stats period='5'/>"));
            assertThrows(LibvirtException.class, () -> d.setMemoryStatsPeriod(-1, 0));

            LibvirtException high = assertThrows(LibvirtException.class, () -> d.setMemoryFlags(MEM + 1024, Flags.Affect.LIVE));
            assertEquals("invalid argument: cannot set memory higher than max memory", high.getMessage());
            d.setMemory(MEM);
            g.awaitSerial("num_pages 0: inflated 0 deflated 2048, actual 0");
            assertEquals(MEM, stat(d, MemoryStatistic.Tag.ACTUAL_BALLOON));
            d.setMemoryFlags(MEM - 1024, Flags.Affect.LIVE | Flags.Affect.CONFIG);
            g.awaitSerial("num_pages 256: inflated 256 deflated 0, actual 256");
            assertTrue(d.getXMLDesc(Flags.DomainXml.INACTIVE).contains("<currentMemory unit='KiB'>" + (MEM - 1024) + "</currentMemory>"));

            Map<String, Object> b = new LinkedHashMap<>();
            for (DomainStats st : c.getAllDomainStats(Flags.DomainStatsTypes.BALLOON, 0)) {
                for (TypedParameter p : st.params()) b.put(p.field(), p.value());
            }
            assertEquals(MEM - 1024, ((Number) b.get("balloon.current")).longValue(), b.toString());
            assertEquals(MEM, ((Number) b.get("balloon.maximum")).longValue());
            assertEquals(swapIn, ((Number) b.get("balloon.swap_in")).longValue());
            assertTrue(b.containsKey("balloon.last-update") && b.containsKey("balloon.rss"), b.toString());
            assertFalse(b.containsKey("balloon.actual"));
            d.setMemory(MEM); // the guest's signal to end
            g.awaitSerial("ok virtio-balloon");
        }
    }

    @Test
    void withoutABalloonLiveChangesAreRefusedAsLibvirtRefusesThem() throws Exception {
        try (TickerEmbed g = TickerEmbed.open(root, "the balloon", "ticker")) {
            Connect c = new Connect(g.uri());
            Domain d = c.domainDefineXML(g.xml("    <memballoon model='none'/>\n"));
            d.create();
            LibvirtException e = assertThrows(LibvirtException.class, () -> d.setMemory(32 << 10));
            assertEquals("Requested operation is not valid: Unable to change memory of active domain without the balloon device and guest OS balloon driver",
                    e.getMessage());
            e = assertThrows(LibvirtException.class, () -> d.setMemoryStatsPeriod(2, Flags.Affect.LIVE));
            assertEquals("internal error: No memory balloon device configured, can not set the collection period", e.getMessage());
            MemoryStatistic[] s = d.memoryStats(13);
            assertEquals(1, s.length);
            assertEquals(MemoryStatistic.Tag.RSS, s[0].tag());
            d.destroy();
            e = assertThrows(LibvirtException.class, () -> d.memoryStats(13));
            assertEquals("Requested operation is not valid: domain is not running", e.getMessage());
        }
    }

    private static Map<MemoryStatistic.Tag, Long> stats(Domain d) throws LibvirtException {
        Map<MemoryStatistic.Tag, Long> m = new LinkedHashMap<>();
        for (MemoryStatistic s : d.memoryStats(13)) m.put(s.tag(), s.value());
        return m;
    }

    private static long stat(Domain d, MemoryStatistic.Tag tag) throws LibvirtException {
        Long v = stats(d).get(tag);
        return v == null ? -1 : v;
    }
}
