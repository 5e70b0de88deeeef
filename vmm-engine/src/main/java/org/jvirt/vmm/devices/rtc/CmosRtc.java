package org.jvirt.vmm.devices.rtc;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Clock;
import java.time.zone.ZoneRules;
import java.util.Objects;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;

/**
 * The MC146818 real-time clock and its CMOS RAM, at ports 0x70 (index; bit 7 is the NMI mask)
 * and 0x71 (data): register as one range at 0x70 length 2.
 *
 * <p>The time is the injected {@link Clock} (in its zone: a UTC clock for a UTC guest RTC) plus
 * an offset the guest sets by writing the time registers, usually inside a SET (register B
 * bit 7) window. Values are BCD or binary and 24- or 12-hour per register B. UIP (register A
 * bit 7) reads as set during the last millisecond of each second (the real part raises it 244 us
 * before its update cycle; the clock is read at millisecond resolution), so drivers that wait for it to drop terminate. No interrupts are generated
 * (IRQ 8 is not driven); register C reads 0. Time is computed from epoch milliseconds with
 * integer arithmetic, so reads do not allocate when the clock's zone has a fixed offset.
 *
 * <p>The firmware memory-size bytes are filled as a PC BIOS would: 0x15/0x16 base memory in KiB,
 * 0x17/0x18 and 0x30/0x31 memory above 1 MiB in KiB (capped), 0x34/0x35 memory between 16 MiB
 * and 4 GiB in 64 KiB units, 0x5b-0x5d memory above 4 GiB in 64 KiB units; 0x32 is the century.
 */
public final class CmosRtc implements IoDevice, Snapshottable, Resettable {

    public static final int REG_SECONDS = 0x00, REG_MINUTES = 0x02, REG_HOURS = 0x04, REG_WEEKDAY = 0x06;
    public static final int REG_DAY = 0x07, REG_MONTH = 0x08, REG_YEAR = 0x09;
    public static final int REG_A = 0x0A, REG_B = 0x0B, REG_C = 0x0C, REG_D = 0x0D, REG_CENTURY = 0x32;

    private static final int A_UIP = 0x80;
    private static final int B_SET = 0x80, B_BINARY = 0x04, B_24H = 0x02;
    private static final int D_VRT = 0x80;
    private static final int UIP_WINDOW_MILLIS = 1;

    private final Clock clock;
    private final int fixedZoneOffsetSeconds; // valid when zoneRules == null
    private final ZoneRules zoneRules;         // non-null only for zones with changing offsets

    private final byte[] cmos = new byte[128];
    private int index;
    /** Guest time minus host local time, in milliseconds. */
    private long offsetMillis;
    /** Time fields while SET is on: the guest edits these, the clock does not advance them. */
    private long frozenEpochSeconds;

    /**
     * @param lowMemBytes  guest RAM below 4 GiB (including the first MiB)
     * @param highMemBytes guest RAM above 4 GiB
     */
    public CmosRtc(Clock clock, long lowMemBytes, long highMemBytes) {
        this.clock = Objects.requireNonNull(clock, "clock");
        ZoneRules rules = clock.getZone().getRules();
        if (rules.isFixedOffset()) {
            zoneRules = null;
            fixedZoneOffsetSeconds = rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds();
        } else {
            zoneRules = rules;
            fixedZoneOffsetSeconds = 0;
        }
        cmos[REG_A] = 0x26;          // 32.768 kHz time base, 1024 Hz periodic rate
        cmos[REG_B] = B_24H;         // BCD, 24-hour, as a PC BIOS leaves it
        cmos[REG_D] = (byte) D_VRT;  // battery good
        setMemorySize(lowMemBytes, highMemBytes);
    }

    private void setMemorySize(long low, long high) {
        cmos[0x15] = (byte) 0x80; // 640 KiB base memory
        cmos[0x16] = 0x02;
        long extKiB = Math.min(Math.max(0, low - (1L << 20)) >> 10, 0xFFFF);
        cmos[0x17] = cmos[0x30] = (byte) extKiB;
        cmos[0x18] = cmos[0x31] = (byte) (extKiB >> 8);
        long above16M = Math.min(Math.max(0, low - (16L << 20)) >> 16, 0xFFFF);
        cmos[0x34] = (byte) above16M;
        cmos[0x35] = (byte) (above16M >> 8);
        long above4G = Math.min(Math.max(0, high) >> 16, 0xFFFFFF);
        cmos[0x5B] = (byte) above4G;
        cmos[0x5C] = (byte) (above4G >> 8);
        cmos[0x5D] = (byte) (above4G >> 16);
    }

    /**
     * A byte of CMOS RAM the machine sets for its firmware (QEMU's pc sets the boot order at
     * 0x38/0x3D and the vCPU count - 1 at 0x5F); only the RAM bytes 0x0E-0x7F, not the clock's.
     */
    public synchronized void setNvram(int reg, int value) {
        if (reg < REG_D + 1 || reg > 0x7F || reg == REG_CENTURY) throw new IllegalArgumentException("CMOS register 0x" + Integer.toHexString(reg) + " is not firmware RAM");
        cmos[reg] = (byte) value;
    }

    /**
     * The RESET pin: clears the interrupt enables (PIE, AIE, UIE) and SQWE in register B. The
     * clock, its format and the CMOS RAM are battery-backed and survive, as on a PC.
     */
    @Override
    public synchronized void reset() {
        cmos[REG_B] &= (byte) ~0x78;
        index = 0;
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset == 0) return 0xFF; // the index port is write-only
        return readRegister(index);
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        int v = (int) value & 0xFF;
        if (offset == 0) {
            index = v & 0x7F; // bit 7 masks NMIs: nothing to mask here
            return;
        }
        writeRegister(index, v);
    }

    // ---- registers ----

    private int readRegister(int reg) {
        switch (reg) {
            case REG_SECONDS, REG_MINUTES, REG_HOURS, REG_WEEKDAY, REG_DAY, REG_MONTH, REG_YEAR, REG_CENTURY:
                return timeField(reg, currentEpochSeconds());
            case REG_A: {
                int a = cmos[REG_A] & 0x7F;
                if ((cmos[REG_B] & B_SET) == 0 && millisIntoSecond() >= 1000 - UIP_WINDOW_MILLIS) a |= A_UIP;
                return a;
            }
            case REG_C:
                return 0; // no interrupt flags: no interrupts are generated
            default:
                return cmos[reg] & 0xFF;
        }
    }

    private void writeRegister(int reg, int v) {
        switch (reg) {
            case REG_SECONDS, REG_MINUTES, REG_HOURS, REG_WEEKDAY, REG_DAY, REG_MONTH, REG_YEAR, REG_CENTURY -> {
                long t = setTimeField(reg, v, currentEpochSeconds());
                if ((cmos[REG_B] & B_SET) != 0) frozenEpochSeconds = t;
                else setGuestTime(t);
            }
            case REG_A -> cmos[REG_A] = (byte) (v & 0x7F); // UIP is read-only
            case REG_B -> {
                boolean wasSet = (cmos[REG_B] & B_SET) != 0;
                boolean set = (v & B_SET) != 0;
                if (!wasSet && set) frozenEpochSeconds = currentEpochSeconds();
                cmos[REG_B] = (byte) v;
                if (wasSet && !set) setGuestTime(frozenEpochSeconds);
            }
            case REG_C, REG_D -> { } // read-only
            default -> cmos[reg] = (byte) v;
        }
    }

    // ---- time ----

    private long hostLocalMillis() {
        long utc = clock.millis();
        int zone = zoneRules == null ? fixedZoneOffsetSeconds
                : zoneRules.getOffset(java.time.Instant.ofEpochMilli(utc)).getTotalSeconds();
        return utc + zone * 1000L;
    }

    private long currentEpochSeconds() {
        if ((cmos[REG_B] & B_SET) != 0) return frozenEpochSeconds;
        return Math.floorDiv(hostLocalMillis() + offsetMillis, 1000);
    }

    private long millisIntoSecond() {
        return Math.floorMod(hostLocalMillis() + offsetMillis, 1000);
    }

    /** The guest's clock now reads t (local seconds since 1970), starting a fresh second. */
    private void setGuestTime(long t) {
        offsetMillis = t * 1000 - hostLocalMillis();
    }

    private int timeField(int reg, long t) {
        long days = Math.floorDiv(t, 86400);
        int secOfDay = (int) Math.floorMod(t, 86400);
        int value;
        switch (reg) {
            case REG_SECONDS -> value = secOfDay % 60;
            case REG_MINUTES -> value = secOfDay / 60 % 60;
            case REG_HOURS -> {
                int h = secOfDay / 3600;
                if ((cmos[REG_B] & B_24H) != 0) return encode(h);
                int h12 = h % 12 == 0 ? 12 : h % 12;
                return encode(h12) | (h >= 12 ? 0x80 : 0);
            }
            case REG_WEEKDAY -> value = (int) Math.floorMod(days + 4, 7) + 1; // 1970-01-01 was a Thursday; Sunday = 1
            case REG_DAY -> value = CivilDate.day(days);
            case REG_MONTH -> value = CivilDate.month(days);
            case REG_YEAR -> value = CivilDate.year(days) % 100;
            default -> value = CivilDate.year(days) / 100; // century
        }
        return encode(value);
    }

    /** Returns t with one field replaced by the guest-written value v. */
    private long setTimeField(int reg, int v, long t) {
        long days = Math.floorDiv(t, 86400);
        int secOfDay = (int) Math.floorMod(t, 86400);
        int h = secOfDay / 3600, m = secOfDay / 60 % 60, s = secOfDay % 60;
        int year = CivilDate.year(days), month = CivilDate.month(days), day = CivilDate.day(days);
        switch (reg) {
            case REG_SECONDS -> s = clamp(decode(v), 0, 59);
            case REG_MINUTES -> m = clamp(decode(v), 0, 59);
            case REG_HOURS -> {
                if ((cmos[REG_B] & B_24H) != 0) h = clamp(decode(v), 0, 23);
                else h = clamp(decode(v & 0x7F), 1, 12) % 12 + ((v & 0x80) != 0 ? 12 : 0);
            }
            case REG_WEEKDAY -> { return t; } // derived from the date
            case REG_DAY -> day = clamp(decode(v), 1, 31);
            case REG_MONTH -> month = clamp(decode(v), 1, 12);
            case REG_YEAR -> year = year / 100 * 100 + clamp(decode(v), 0, 99);
            default -> year = clamp(decode(v), 0, 99) * 100 + year % 100;
        }
        return CivilDate.toDays(year, month, day) * 86400 + h * 3600L + m * 60L + s;
    }

    private int encode(int v) {
        if ((cmos[REG_B] & B_BINARY) != 0) return v;
        return (v / 10) << 4 | (v % 10);
    }

    private int decode(int v) {
        if ((cmos[REG_B] & B_BINARY) != 0) return v;
        return (v >> 4) * 10 + (v & 0x0F);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    // ---- snapshot ----

    /** Saves CMOS RAM and the guest's time as an absolute value, so a restore keeps its offset from real time. */
    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.write(cmos);
        out.writeByte(index);
        out.writeLong(offsetMillis);
        out.writeLong(frozenEpochSeconds);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        in.readFully(cmos);
        index = in.readUnsignedByte() & 0x7F;
        offsetMillis = in.readLong();
        frozenEpochSeconds = in.readLong();
    }
}
