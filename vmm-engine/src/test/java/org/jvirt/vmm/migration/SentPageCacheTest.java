package org.jvirt.vmm.migration;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The --compressed cache: direct-mapped, so a cyclic rewrite of a region as large as it keeps hitting. */
class SentPageCacheTest {
    private static final int PAGE = MigrationStream.PAGE;

    @Test
    void aCyclicRewriteAsLargeAsTheCacheHitsOnEveryPage() {
        int slots = 64;
        SentPageCache c = new SentPageCache((long) slots * PAGE);
        byte[] page = new byte[PAGE];
        // a region of 64 pages starting anywhere, plus a page elsewhere that an LRU would make evict the region's eldest
        for (int pass = 0; pass < 3; pass++) {
            for (long pfn = 1000; pfn < 1000 + slots; pfn++) {
                if (pass > 0) assertTrue(c.find(pfn) >= 0, "pass " + pass + ": page " + pfn + " missed");
                page[0] = (byte) pfn;
                page[PAGE - 1] = (byte) pass;
                c.put(pfn, page, 0);
            }
        }
        int at = c.find(1005);
        assertEquals((byte) 1005, c.data()[at]);
        assertEquals(2, c.data()[at + PAGE - 1], "the copy last sent");
    }

    @Test
    void aPageOfTheSameSlotReplacesItAndForgetClearsOnlyItsOwn() {
        SentPageCache c = new SentPageCache(4L * PAGE);
        byte[] page = new byte[PAGE];
        c.put(3, page, 0);
        c.put(7, page, 0); // 7 mod 4 == 3: same slot
        assertEquals(-1, c.find(3));
        assertTrue(c.find(7) >= 0);
        c.forget(3); // not the slot's page: nothing happens
        assertTrue(c.find(7) >= 0);
        c.forget(7);
        assertEquals(-1, c.find(7));
    }
}
