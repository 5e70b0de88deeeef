package org.jvirt.vmm.migration;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Page deltas come back as the page they encode; malformed ones are refused, never written past the page. */
class PageDeltaTest {
    static final int PAGE = PageDelta.PAGE;

    @Test
    void deltasRoundTrip() throws Exception {
        Random r = new Random(Long.getLong("jvirt.fuzz.seed", 7));
        byte[] out = new byte[PageDelta.LIMIT];
        int encoded = 0, overflowed = 0;
        for (int round = 0; round < 5000; round++) {
            byte[] old = new byte[PAGE];
            r.nextBytes(old);
            byte[] now = old.clone();
            int changes = r.nextInt(round % 3 == 0 ? 2000 : 40);
            for (int c = 0; c < changes; c++) {
                int at = r.nextInt(PAGE), len = 1 + r.nextInt(Math.min(64, PAGE - at));
                for (int i = 0; i < len; i++) now[at + i] = (byte) r.nextInt();
            }
            int len = PageDelta.encode(old, 0, now, 0, out);
            if (len < 0) {
                overflowed++;
                continue;
            }
            assertTrue(len < PageDelta.LIMIT);
            byte[] copy = old.clone();
            PageDelta.apply(out, len, copy, 0);
            assertArrayEquals(now, copy, "round " + round);
            if (Arrays.equals(old, now)) assertEquals(0, len);
            encoded++;
        }
        assertTrue(encoded > 1000 && overflowed > 100, encoded + " encoded, " + overflowed + " overflowed");
    }

    @Test
    void aSmallChangeMakesASmallDelta() throws Exception {
        byte[] old = new byte[PAGE], now = new byte[PAGE], out = new byte[PageDelta.LIMIT];
        now[100] = 1;
        now[4095] = 2;
        int len = PageDelta.encode(old, 0, now, 0, out);
        assertTrue(len > 0 && len <= 8, "delta of " + len + " bytes");
        PageDelta.apply(out, len, old, 0);
        assertArrayEquals(now, old);
    }

    @Test
    void malformedDeltasAreRefused() {
        Random r = new Random(Long.getLong("jvirt.fuzz.seed", 11));
        int refused = 0;
        for (int round = 0; round < 20000; round++) {
            byte[] in = new byte[1 + r.nextInt(64)];
            r.nextBytes(in);
            byte[] page = new byte[PAGE + 32];
            try {
                PageDelta.apply(in, in.length, page, 16);
                for (int i = 0; i < 16; i++) assertEquals(0, page[i] | page[PAGE + 16 + i], "nothing written outside the page");
            } catch (MigrationException e) {
                refused++;
            }
        }
        assertTrue(refused > 10000, refused + " refused");
        assertThrows(MigrationException.class, () -> PageDelta.apply(new byte[] {(byte) 0x80, (byte) 0x20, 1}, 3, new byte[PAGE], 0)); // 4096 + 1 byte
        assertThrows(MigrationException.class, () -> PageDelta.apply(new byte[] {0, 5, 1}, 3, new byte[PAGE], 0)); // truncated run
        assertThrows(MigrationException.class, () -> PageDelta.apply(new byte[] {0, 0}, 2, new byte[PAGE], 0)); // empty changed run
    }
}
