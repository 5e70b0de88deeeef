package org.jvirt.vmm.devices.rtc;

/**
 * Proleptic Gregorian date arithmetic on days since 1970-01-01, with integers only (no
 * java.time objects, so the RTC's register reads do not allocate). Uses the well-known
 * era/day-of-era decomposition (400-year eras of 146097 days, years starting in March).
 */
final class CivilDate {
    private CivilDate() { }

    private static final long DAYS_0000_03_01_TO_1970 = 719468;

    static int year(long days) {
        long doe = dayOfEra(days);
        long yoe = yearOfEra(doe);
        int m = monthOf(doe, yoe);
        return (int) (yoe + era(days) * 400 + (m <= 2 ? 1 : 0));
    }

    static int month(long days) {
        long doe = dayOfEra(days);
        return monthOf(doe, yearOfEra(doe));
    }

    static int day(long days) {
        long doe = dayOfEra(days);
        long doy = dayOfYear(doe, yearOfEra(doe));
        long mp = (5 * doy + 2) / 153;
        return (int) (doy - (153 * mp + 2) / 5 + 1);
    }

    /** Days since 1970-01-01 of year-month-day; day may run past the month's end (it rolls over). */
    static long toDays(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - DAYS_0000_03_01_TO_1970;
    }

    private static long era(long days) {
        return Math.floorDiv(days + DAYS_0000_03_01_TO_1970, 146097);
    }

    private static long dayOfEra(long days) {
        return days + DAYS_0000_03_01_TO_1970 - era(days) * 146097;
    }

    private static long yearOfEra(long doe) {
        return (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    }

    private static long dayOfYear(long doe, long yoe) {
        return doe - (365 * yoe + yoe / 4 - yoe / 100);
    }

    private static int monthOf(long doe, long yoe) {
        long mp = (5 * dayOfYear(doe, yoe) + 2) / 153;
        return (int) (mp < 10 ? mp + 3 : mp - 9);
    }
}
