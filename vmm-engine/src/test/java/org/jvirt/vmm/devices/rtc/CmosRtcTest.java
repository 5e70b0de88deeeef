package org.jvirt.vmm.devices.rtc;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class CmosRtcTest {

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        Instant now;
        MutableClock(Instant now) { this.now = now; }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException(); }
        @Override public Instant instant() { return now; }
    }

    final MutableClock clock = new MutableClock(Instant.parse("2024-02-29T23:59:58.500Z"));
    final CmosRtc rtc = new CmosRtc(clock, 3L << 30, 5L << 30);

    int reg(int r) { rtc.write(0, 1, r | 0x80); return (int) rtc.read(1, 1); }
    void set(int r, int v) { rtc.write(0, 1, r); rtc.write(1, 1, v); }

    @Test
    void readsBcdTime() {
        assertEquals(0x58, reg(CmosRtc.REG_SECONDS));
        assertEquals(0x59, reg(CmosRtc.REG_MINUTES));
        assertEquals(0x23, reg(CmosRtc.REG_HOURS));
        assertEquals(0x29, reg(CmosRtc.REG_DAY));
        assertEquals(0x02, reg(CmosRtc.REG_MONTH));
        assertEquals(0x24, reg(CmosRtc.REG_YEAR));
        assertEquals(0x20, reg(CmosRtc.REG_CENTURY));
        assertEquals(5, reg(CmosRtc.REG_WEEKDAY), "2024-02-29 is a Thursday (Sunday = 1)");
        clock.now = clock.now.plusSeconds(2);
        assertEquals(0x00, reg(CmosRtc.REG_SECONDS));
        assertEquals(0x01, reg(CmosRtc.REG_DAY));
        assertEquals(0x03, reg(CmosRtc.REG_MONTH), "leap day rolls into March");
        assertEquals(0x80, reg(CmosRtc.REG_D), "valid RAM and time");
    }

    @Test
    void binaryAnd12HourModes() {
        set(CmosRtc.REG_B, 0x04); // binary, 12-hour
        assertEquals(58, reg(CmosRtc.REG_SECONDS));
        assertEquals(11 | 0x80, reg(CmosRtc.REG_HOURS), "11 PM");
        assertEquals(24, reg(CmosRtc.REG_YEAR));
        assertEquals(20, reg(CmosRtc.REG_CENTURY));
    }

    @Test
    void uipOnlyJustBeforeTheSecondTicks() {
        assertEquals(0, reg(CmosRtc.REG_A) & 0x80);
        clock.now = Instant.parse("2024-02-29T23:59:58.9999Z");
        assertEquals(0x80, reg(CmosRtc.REG_A) & 0x80);
        assertEquals(0x26, reg(CmosRtc.REG_A) & 0x7F);
    }

    @Test
    void guestSetsTimeInsideSetWindowAndItKeepsRunning() {
        set(CmosRtc.REG_B, 0x82); // SET, 24h, BCD
        set(CmosRtc.REG_YEAR, 0x99);
        set(CmosRtc.REG_CENTURY, 0x19);
        set(CmosRtc.REG_MONTH, 0x12);
        set(CmosRtc.REG_DAY, 0x31);
        set(CmosRtc.REG_HOURS, 0x23);
        set(CmosRtc.REG_MINUTES, 0x59);
        set(CmosRtc.REG_SECONDS, 0x50);
        clock.now = clock.now.plusSeconds(30);
        assertEquals(0x50, reg(CmosRtc.REG_SECONDS), "frozen while SET");
        set(CmosRtc.REG_B, 0x02);
        clock.now = clock.now.plusSeconds(15);
        assertEquals(0x05, reg(CmosRtc.REG_SECONDS));
        assertEquals(0x00, reg(CmosRtc.REG_MINUTES));
        assertEquals(0x01, reg(CmosRtc.REG_DAY));
        assertEquals(0x01, reg(CmosRtc.REG_MONTH));
        assertEquals(0x00, reg(CmosRtc.REG_YEAR));
        assertEquals(0x20, reg(CmosRtc.REG_CENTURY));
    }

    @Test
    void memorySizeRegisters() {
        int above16M = reg(0x34) | reg(0x35) << 8;
        assertEquals(((3L << 30) - (16L << 20)) >> 16, above16M);
        int above4G = reg(0x5B) | reg(0x5C) << 8 | reg(0x5D) << 16;
        assertEquals((5L << 30) >> 16, above4G);
        assertEquals(0xFFFF, reg(0x30) | reg(0x31) << 8, "extended memory in KiB is capped");
        assertEquals(640, reg(0x15) | reg(0x16) << 8);
    }

    @Test
    void civilDateMatchesJavaTimeOverCenturies() {
        for (long d = LocalDate.of(1600, 1, 1).toEpochDay(); d < LocalDate.of(2500, 1, 1).toEpochDay(); d += 17) {
            LocalDate ref = LocalDate.ofEpochDay(d);
            assertEquals(ref.getYear(), CivilDate.year(d), ref.toString());
            assertEquals(ref.getMonthValue(), CivilDate.month(d), ref.toString());
            assertEquals(ref.getDayOfMonth(), CivilDate.day(d), ref.toString());
            assertEquals(d, CivilDate.toDays(ref.getYear(), ref.getMonthValue(), ref.getDayOfMonth()));
        }
    }

    @Test
    void localTimeZoneClock() {
        CmosRtc berlin = new CmosRtc(Clock.fixed(Instant.parse("2024-07-01T10:00:00Z"), ZoneId.of("Europe/Berlin")), 0, 0);
        berlin.write(0, 1, CmosRtc.REG_HOURS);
        assertEquals(0x12, berlin.read(1, 1), "CEST is UTC+2");
    }

    @Test
    void snapshotKeepsCmosRamAndGuestOffset() throws Exception {
        set(0x40, 0xAB);
        set(CmosRtc.REG_B, 0x82);
        set(CmosRtc.REG_YEAR, 0x30);
        set(CmosRtc.REG_B, 0x06);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        rtc.saveState(new DataOutputStream(b));
        CmosRtc copy = new CmosRtc(clock, 0, 0);
        copy.loadState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        copy.write(0, 1, 0x40);
        assertEquals(0xAB, copy.read(1, 1));
        copy.write(0, 1, CmosRtc.REG_YEAR);
        assertEquals(30, copy.read(1, 1), "binary mode and guest-set year survive");
        copy.write(0, 1, 0x34);
        assertEquals(reg(0x34), copy.read(1, 1));
        clock.now = clock.now.plus(Duration.ofHours(1));
        copy.write(0, 1, CmosRtc.REG_HOURS);
        assertEquals(reg(CmosRtc.REG_HOURS), copy.read(1, 1));
    }

    @Test
    void resetClearsInterruptEnablesOnly() {
        set(CmosRtc.REG_B, 0x7E); // PIE AIE UIE SQWE + binary + 24h
        set(0x40, 0x99);
        rtc.reset();
        assertEquals(0x06, reg(CmosRtc.REG_B));
        assertEquals(0x99, reg(0x40), "CMOS RAM is battery-backed");
        assertEquals(58, reg(CmosRtc.REG_SECONDS), "the clock keeps running in its format");
    }
}
