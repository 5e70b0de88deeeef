package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.DomainInterfaceStats;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.devices.Interface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /proc/net/dev as virNetDevTapInterfaceStats reads it: the right line, rx/tx swapped for a tap on a bridge or network. */
class TapCountersTest {

    /** A real /proc/net/dev layout (two header lines, names right-aligned, 16 counters). */
    static final String PROC_NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1200      12    0    0    0     0          0         0     1200      12    0    0    0     0       0          0
             vnet1:     100       2    0    0    0     0          0         0      300       4    0    0    0     0       0          0
            vnet10:   98765     432    1    2    0     0          0         0    12345      67    3    4    0     0       0          0
              eth0: 18446744073709551615 5 0 0 0 0 0 0 7 8 9 10 0 0 0 0
            """;

    @TempDir
    Path dir;

    @Test
    void findsTheLineOfThatNameOnly() {
        assertArrayEquals(new long[] {98765, 432, 1, 2, 12345, 67, 3, 4}, TapCounters.parse(PROC_NET_DEV, "vnet10"));
        assertArrayEquals(new long[] {100, 2, 0, 0, 300, 4, 0, 0}, TapCounters.parse(PROC_NET_DEV, "vnet1"));
        assertNull(TapCounters.parse(PROC_NET_DEV, "vnet"));
        assertNull(TapCounters.parse(PROC_NET_DEV, "net10"));
        assertNull(TapCounters.parse("vnet9: 1 2 3\n", "vnet9"), "a short line is not read");
    }

    @Test
    void unsignedCountersStayUnsigned() {
        assertEquals(-1L, TapCounters.parse(PROC_NET_DEV, "eth0")[0], "2^64-1 as a long's bits");
    }

    @Test
    void aTapOnANetworkHasItsCountersSwappedAnEthernetOneNot() throws Exception {
        Path file = Files.writeString(dir.resolve("dev"), PROC_NET_DEV);
        DomainInterfaceStats s = TapCounters.of(nic("network", "vnet10"), file);
        assertEquals(12345, s.rx_bytes);
        assertEquals(67, s.rx_packets);
        assertEquals(3, s.rx_errs);
        assertEquals(4, s.rx_drop);
        assertEquals(98765, s.tx_bytes);
        assertEquals(432, s.tx_packets);
        assertEquals(1, s.tx_errs);
        assertEquals(2, s.tx_drop);
        DomainInterfaceStats e = TapCounters.of(nic("ethernet", "vnet10"), file);
        assertEquals(98765, e.rx_bytes);
        assertEquals(12345, e.tx_bytes);
    }

    @Test
    void aMissingTapIsLibvirtsError() throws Exception {
        Path file = Files.writeString(dir.resolve("dev"), PROC_NET_DEV);
        LibvirtException e = assertThrows(LibvirtException.class, () -> TapCounters.of(nic("bridge", "vnet7"), file));
        assertEquals("internal error: /proc/net/dev: Interface not found", e.getMessage());
    }

    static Interface nic(String type, String dev) throws LibvirtException {
        return NicLinkChanges.parse("<interface type='" + type + "'><mac address='52:54:00:00:00:01'/>"
                + (type.equals("network") ? "<source network='default'/>" : "") + "<target dev='" + dev + "'/></interface>");
    }
}
