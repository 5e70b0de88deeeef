package org.jvirt.vmm.emu.platform;

import org.jvirt.vmm.bus.IoBus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Local APICs of a 3-vCPU platform on a stepped guest clock. */
class LocalApicTest {
    private EmuPlatform platform;
    private GuestClock clock;
    private LocalApic a0, a1, a2;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        platform = new EmuPlatform(3);
        clock = platform.clock();
        platform.pause();
        clock.set(5_000_000_000L);
        a0 = platform.localApic(0);
        a1 = platform.localApic(1);
        a2 = platform.localApic(2);
        for (int i = 0; i < 3; i++) {
            int cpu = i;
            platform.localApic(i).setListener(new LocalApic.Listener() {
                @Override public void wake() { events.add("wake" + cpu); }
                @Override public void init() { events.add("init" + cpu); }
                @Override public void startup(int vector) { events.add("sipi" + cpu + ":" + Integer.toHexString(vector)); }
            });
        }
        for (LocalApic a : new LocalApic[]{a0, a1, a2}) a.write(0xF0, 4, 0x1FF); // software enable, spurious 0xFF
    }

    private void at(long ns) { clock.set(ns); platform.advanceTo(ns); }
    private static int reg(LocalApic a, int offset) { return (int) a.read(offset, 4); }

    @Test
    void resetValuesAndIdentity() {
        assertEquals(0x50014, reg(a0, 0x30));
        assertEquals(1 << 24, reg(a1, 0x20));
        assertEquals(0xFFFFFFFF, reg(a0, 0xE0));
        assertEquals(0x700, reg(a0, 0x350));               // BSP: LINT0 ExtINT (virtual wire)
        assertEquals(0x10000, reg(a1, 0x350));             // APs: masked
        assertEquals(0x10000, reg(a0, 0x320));
        assertEquals(LocalApic.DEFAULT_BASE | LocalApic.BASE_ENABLE | LocalApic.BASE_BSP, a0.apicBase());
        assertEquals(LocalApic.DEFAULT_BASE | LocalApic.BASE_ENABLE, a1.apicBase());
        assertEquals(0x3ff, reg(a0, 0xF0) | 0x200, "SVR");
    }

    @Test
    void oneShotTimerWithDivide16() {
        long t0 = clock.nanos();
        a0.write(0x3E0, 4, 0x3);                            // divide by 16
        a0.write(0x320, 4, 0xEC);                           // one-shot, vector 0xEC
        a0.write(0x380, 4, 1000);
        assertEquals(t0 + 16_000, platform.nextDeadlineNanos());
        clock.set(t0 + 1600);
        assertEquals(900, reg(a0, 0x390));                  // current count falls with guest time
        at(t0 + 15_999);
        assertFalse(a0.hasInterrupt());
        at(t0 + 16_000);
        assertTrue(a0.hasInterrupt());
        assertEquals(0, reg(a0, 0x390));
        assertEquals(Long.MAX_VALUE, a0.nextDeadlineNanos());
        assertEquals(0xEC, a0.acknowledge());
        assertFalse(a0.hasInterrupt());
        assertEquals(0xE0, reg(a0, 0xA0));                  // PPR from the in-service vector
        a0.write(0xB0, 4, 0);
        assertEquals(0, reg(a0, 0xA0));
        assertTrue(events.contains("wake0"));
    }

    @Test
    void periodicTimerWithDivide2AndMask() {
        long t0 = clock.nanos();
        a1.write(0x3E0, 4, 0x0);                            // divide by 2
        a1.write(0x320, 4, 0x20000 | 0x40);                 // periodic, vector 0x40
        a1.write(0x380, 4, 500);                            // 1 µs
        int taken = 0;
        for (int k = 1; k <= 100; k++) {
            assertEquals(t0 + k * 1000L, a1.nextDeadlineNanos());
            at(t0 + k * 1000L);
            if (a1.hasInterrupt()) { assertEquals(0x40, a1.acknowledge()); a1.write(0xB0, 4, 0); taken++; }
        }
        assertEquals(100, taken);
        clock.set(t0 + 100_250);
        assertEquals(375, reg(a1, 0x390));
        a1.write(0x320, 4, 0x30040);                        // masked: counts, raises nothing
        at(t0 + 200_000);
        assertFalse(a1.hasInterrupt());
        a1.write(0x380, 4, 0);                              // initial count 0 stops it
        assertEquals(Long.MAX_VALUE, a1.nextDeadlineNanos());
        a1.write(0x320, 4, 0x40000 | 0x41);                 // TSC-deadline mode is not offered: bit 18 ignored
        assertEquals(0x41, reg(a1, 0x320));
    }

    @Test
    void fixedIpiAndShorthands() {
        a0.write(0x310, 4, 2 << 24);
        a0.write(0x300, 4, 0x4041);                         // fixed, physical, vector 0x41 to APIC 2
        assertFalse(a1.hasInterrupt());
        assertTrue(a2.hasInterrupt());
        assertEquals(0x41, a2.acknowledge());
        assertEquals(List.of("wake2"), events);
        a2.write(0x300, 4, 0x44049);                        // self, same priority class as 0x41 in service
        assertFalse(a2.hasInterrupt());
        a2.write(0xB0, 4, 0);
        assertEquals(0x49, a2.acknowledge());
        a2.write(0xB0, 4, 0);
        assertEquals(0, reg(a0, 0x300) & (1 << 12));        // delivery status idle
        a1.write(0x300, 4, 0xC4042);                        // all excluding self
        assertTrue(a0.hasInterrupt());
        assertFalse(a1.hasInterrupt());
        assertEquals(0x42, a2.acknowledge());
        a1.write(0x300, 4, 0x44043);                        // self
        assertEquals(0x43, a1.acknowledge());
        a1.write(0xB0, 4, 0);
        a1.write(0x300, 4, 0x84044);                        // all including self
        assertEquals(0x44, a1.acknowledge());
    }

    @Test
    void logicalFlatClusterAndLowestPriority() {
        a0.write(0xD0, 4, 0x01 << 24);
        a1.write(0xD0, 4, 0x02 << 24);
        a2.write(0xD0, 4, 0x04 << 24);
        a0.write(0x310, 4, 0x06 << 24);
        a0.write(0x300, 4, 0x4850);                         // fixed, logical flat: CPUs 1 and 2
        assertFalse(a0.hasInterrupt());
        assertEquals(0x50, a1.acknowledge());
        assertEquals(0x50, a2.acknowledge());
        a1.write(0xB0, 4, 0);
        a2.write(0xB0, 4, 0);
        a1.write(0x80, 4, 0x20);                            // TPR: APIC 1 busier than APIC 2
        a0.write(0x300, 4, 0x4960);                         // lowest priority, logical 1|2
        assertFalse(a1.hasInterrupt());
        assertEquals(0x60, a2.acknowledge());
        for (LocalApic a : new LocalApic[]{a0, a1, a2}) a.write(0xE0, 4, 0x0FFFFFFF); // cluster model
        a2.write(0xD0, 4, 0x12 << 24);                      // cluster 1, CPU bit 1
        a0.write(0x310, 4, 0x12 << 24);
        a0.write(0x300, 4, 0x4870);
        assertEquals(0x70, a2.acknowledge());
        assertFalse(a1.hasInterrupt());
    }

    @Test
    void tprHoldsBackLowerPriorityVectors() {
        a0.write(0x80, 4, 0x50);
        a1.write(0x310, 4, 0);
        a1.write(0x300, 4, 0x4045);
        assertFalse(a0.hasInterrupt());
        a1.write(0x300, 4, 0x4065);
        assertEquals(0x65, a0.acknowledge());
        a0.write(0x80, 4, 0x00);
        assertFalse(a0.hasInterrupt());                     // 0x45 is below the in-service 0x65
        a0.write(0xB0, 4, 0);
        assertEquals(0x45, a0.acknowledge());
    }

    @Test
    void initAndStartupReachTheListener() {
        a0.write(0x310, 4, 1 << 24);
        a1.write(0x80, 4, 0x30);
        a0.write(0x300, 4, 0x4500);                         // INIT, level assert
        assertEquals(0, reg(a1, 0x80));                     // INIT reset the APIC...
        assertEquals(1 << 24, reg(a1, 0x20));               // ...but not its ID
        a0.write(0x300, 4, 0x8500);                         // INIT level de-assert: ignored
        a0.write(0x300, 4, 0x4608);                         // STARTUP, vector 8
        a0.write(0x300, 4, 0x4608);                         // Linux sends it twice
        assertEquals(List.of("init1", "sipi1:8", "sipi1:8"), events);
        events.clear();
        a0.write(0x300, 4, 0xC4500);                        // INIT to all but self
        assertEquals(List.of("init1", "init2"), events);
    }

    @Test
    void nmiIpiAndLint1() {
        a0.write(0x310, 4, 1 << 24);
        a0.write(0x300, 4, 0x4400);
        assertTrue(a1.takeNmi());
        assertFalse(a1.takeNmi());
        a0.write(0x360, 4, 0x400);                          // LINT1: NMI, unmasked
        a0.lint1();
        assertTrue(a0.takeNmi());
    }

    @Test
    void softwareDisabledApicIgnoresFixedAndMasksItsLvt() {
        a1.write(0x320, 4, 0x40);
        a1.write(0xF0, 4, 0xFF);
        assertEquals(0x10040, reg(a1, 0x320));
        a1.write(0x320, 4, 0x40);
        assertEquals(0x10040, reg(a1, 0x320));              // stays masked while disabled
        a0.write(0x310, 4, 1 << 24);
        a0.write(0x300, 4, 0x4041);
        assertFalse(a1.hasInterrupt());
    }

    @Test
    void illegalVectorSetsEsr() {
        a0.write(0x310, 4, 1 << 24);
        a0.write(0x300, 4, 0x4005);
        assertFalse(a1.hasInterrupt());
        a0.write(0x280, 4, 0);
        assertEquals(0x20, reg(a0, 0x280));                 // send illegal vector
        a0.write(0x280, 4, 0);
        assertEquals(0, reg(a0, 0x280));
    }

    @Test
    void picReachesTheBspThroughLint0ExtInt() {
        IoBus pio = new IoBus("pio"), mmio = new IoBus("mmio");
        platform.registerDevices(pio, mmio);
        pio.write(0x20, 1, 0x11); pio.write(0x21, 1, 0x30); pio.write(0x21, 1, 0x04); pio.write(0x21, 1, 0x01);
        pio.write(0x21, 1, 0xfe);                           // only IRQ0
        platform.interruptLine(0).pulse();
        assertTrue(a0.hasInterrupt());
        assertFalse(a1.hasInterrupt());
        assertTrue(events.contains("wake0"));
        assertEquals(0x30, a0.acknowledge());
        assertFalse(a0.hasInterrupt());
        a0.write(0x350, 4, 0x10700);                        // Linux masks LINT0 once the IOAPIC routes IRQ0
        platform.interruptLine(0).pulse();
        pio.write(0x20, 1, 0x20);
        assertFalse(a0.hasInterrupt());
        a0.setApicBase(LocalApic.DEFAULT_BASE | LocalApic.BASE_BSP); // APIC disabled: the 8259 goes straight to the CPU
        assertTrue(a0.hasInterrupt());
        assertEquals(0x30, a0.acknowledge());
    }

    @Test
    void mmioThroughTheBusReachesTheBoundVcpusApic() throws Exception {
        IoBus pio = new IoBus("pio"), mmio = new IoBus("mmio");
        platform.registerDevices(pio, mmio);
        assertEquals(0, mmio.read(0xFEE00020L, 4));
        long[] seen = new long[1];
        Thread t = new Thread(() -> { platform.bindCurrentThread(2); seen[0] = mmio.read(0xFEE00020L, 4); });
        t.start();
        t.join();
        assertEquals(2L << 24, seen[0]);
    }

    @Test
    void registerPageRoundTripWithTimerMidCount() {
        long t0 = clock.nanos();
        a1.write(0x3E0, 4, 0x1);                            // divide 4
        a1.write(0x320, 4, 0x20000 | 0x33);
        a1.write(0x380, 4, 10_000);                         // 40 µs period
        a1.write(0x80, 4, 0x10);
        a1.write(0xD0, 4, 0x02 << 24);
        a0.write(0x310, 4, 1 << 24);
        a0.write(0x300, 4, 0x4051);
        a0.write(0x300, 4, 0x4061);
        assertEquals(0x61, a1.acknowledge());               // 0x61 in service, 0x51 requested
        at(t0 + 40_000 * 2 + 4 * 2500);                     // 2.25 periods, current count 7500
        byte[] page = a1.exportPage();
        assertEquals(7500, page[0x390] & 0xff | (page[0x391] & 0xff) << 8);

        EmuPlatform other = new EmuPlatform(3);
        other.pause();
        other.clock().set(clock.nanos());
        LocalApic b1 = other.localApic(1);
        b1.importPage(page);
        assertArrayEquals(page, b1.exportPage());
        assertEquals(a1.nextDeadlineNanos(), b1.nextDeadlineNanos());
        other.clock().set(clock.nanos() + 4 * 7500);
        other.advance();
        b1.write(0xB0, 4, 0);                               // EOI 0x61
        assertEquals(0x51, b1.acknowledge());
        b1.write(0xB0, 4, 0);
        assertEquals(0x33, b1.acknowledge());               // the timer fired where the old one would
        assertEquals(10_000, reg(b1, 0x390));
    }
}
