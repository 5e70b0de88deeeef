package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;

import org.jvirt.vmm.devices.balloon.GuestStats;
import org.jvirt.vmm.devices.balloon.VirtioBalloon;
import org.junit.jupiter.api.Test;

/**
 * virtio-balloon driven as Linux's virtio_balloon drives it: the host's target shows in
 * num_pages with a configuration interrupt, frame lists go in and out of the balloon (frames
 * outside RAM skipped), actual is the guest's to write, the stats buffer is held until the
 * polling timer hands it back; a chain outside RAM needs a reset, random rings never escape
 * the device, and the device state survives a save and load.
 */
class VirtioBalloonTest {

    /** Rings of queues 1 and 2 (queue 0's are the test driver's). */
    private static final long[] DESC = {VirtioTestDriver.DESC, 0x20000, 0x24000};
    private static final long[] AVAIL = {VirtioTestDriver.AVAIL, 0x21000, 0x25000};
    private static final long[] USED = {VirtioTestDriver.USED, 0x22000, 0x26000};
    private static final int QSIZE = 16;

    private static final long ALL = VirtioDevice.F_VERSION_1 | VirtioDevice.F_INDIRECT_DESC | VirtioBalloon.F_STATS_VQ | VirtioBalloon.F_PAGE_POISON;

    private final int[] avail = new int[3];

    private VirtioTestDriver start(VirtioBalloon b, long features) {
        VirtioTestDriver d = new VirtioTestDriver(b);
        b.attach(d.dev::configChanged, d.dev::kick);
        assertEquals(0xF, d.initialize(features));
        for (int q = 1; q < 3; q++) {
            d.mmio.write(d.common + 0x16, 2, q);
            d.mmio.write(d.common + 0x18, 2, QSIZE);
            d.mmio.write(d.common + 0x20, 4, DESC[q]);
            d.mmio.write(d.common + 0x24, 4, 0);
            d.mmio.write(d.common + 0x28, 4, AVAIL[q]);
            d.mmio.write(d.common + 0x2C, 4, 0);
            d.mmio.write(d.common + 0x30, 4, USED[q]);
            d.mmio.write(d.common + 0x34, 4, 0);
            d.mem.zero(AVAIL[q], 0x1000);
            d.mem.zero(USED[q], 0x1000);
            d.mmio.write(d.common + 0x1C, 2, 1);
        }
        return d;
    }

    /** One readable buffer at addr of len bytes on queue q, descriptor slot 'slot'. */
    private void post(VirtioTestDriver d, int q, int slot, long addr, long len) {
        long desc = DESC[q] + 16L * slot;
        d.mem.writeLong(desc, addr);
        d.mem.writeInt(desc + 8, (int) len);
        d.mem.writeShort(desc + 12, (short) 0);
        d.mem.writeShort(desc + 14, (short) 0);
        d.mem.writeShort(AVAIL[q] + 4 + 2L * (avail[q] % QSIZE), (short) slot);
        avail[q]++;
        d.mem.writeShort(AVAIL[q] + 2, (short) avail[q]);
        d.kick(q);
    }

    private static int usedIdx(VirtioTestDriver d, int q) { return d.mem.readShort(USED[q] + 2) & 0xFFFF; }

    private static long cfg(VirtioTestDriver d, int off) { return d.mmio.read(d.device + off, 4); }

    @Test
    void targetActualAndFeaturesAsQemu() {
        VirtioBalloon b = new VirtioBalloon(4 << 20, false);
        VirtioTestDriver d = new VirtioTestDriver(b);
        b.attach(d.dev::configChanged, d.dev::kick);
        assertEquals(0x1045, d.cfgRead(0x02, 2), "modern virtio-balloon device id");
        assertEquals(0x00FF, d.cfgRead(0x0A, 2), "QEMU's PCI_CLASS_OTHERS");
        long f = d.deviceFeatures();
        assertEquals(VirtioBalloon.F_STATS_VQ | VirtioBalloon.F_PAGE_POISON, f & 0x3F, "QEMU 7.2's default balloon features");
        assertEquals(VirtioBalloon.F_DEFLATE_ON_OOM, new VirtioTestDriver(new VirtioBalloon(4 << 20, true)).deviceFeatures() & VirtioBalloon.F_DEFLATE_ON_OOM);
        assertEquals(0xF, d.initialize(ALL));
        assertEquals(0, cfg(d, 0));
        assertEquals(0xFFFF_FFFFL, d.mmio.read(d.device + 16, 4), "beyond the 16-byte configuration: all ones");
        b.setTarget(3 << 20);
        assertEquals(256, cfg(d, 0), "num_pages: 1 MiB of 4 KiB pages");
        assertEquals(2, d.mmio.read(d.isr, 1) & 2, "a configuration interrupt");
        b.setTarget(100L << 30);
        assertEquals(0, cfg(d, 0), "a target above RAM is capped at RAM");
        b.setTarget(0);
        assertEquals(0, cfg(d, 0));
        d.mmio.write(d.device + 4, 4, 200);
        assertEquals(200, cfg(d, 4));
        assertEquals((4L << 20) - 200 * 4096L, b.actualBytes());
        d.mmio.write(d.device + 0, 4, 77);
        assertEquals(0, cfg(d, 0), "num_pages is the device's");
        d.mmio.write(d.device + 12, 4, 0xAA);
        assertEquals(0xAA, cfg(d, 12), "poison_val kept with PAGE_POISON negotiated");
        d.mmio.write(d.device + 5, 1, 1);
        assertEquals(200 + 256, cfg(d, 4), "a byte write changes that byte of actual");
    }

    @Test
    void framesGoInAndOutOfTheBalloonAndFramesOutsideRamAreSkipped() {
        VirtioBalloon b = new VirtioBalloon(4 << 20, false);
        VirtioTestDriver d = start(b, ALL);
        long list = 0x30000;
        int[] pfns = {0x100, 0x101, 0x3FF, 0x400 /* just past 4 MiB */, 0xFFFF_FFFF};
        for (int i = 0; i < pfns.length; i++) d.mem.writeInt(list + 4L * i, pfns[i]);
        post(d, 0, 0, list, 4L * pfns.length + 3); // a trailing partial frame number is ignored
        assertEquals(1, usedIdx(d, 0));
        assertEquals(0, d.mem.readInt(USED[0] + 8), "returned with nothing written");
        assertEquals(3, b.balloonedPages());
        d.mem.writeInt(0x31000, 0x101);
        post(d, 1, 0, 0x31000, 4);
        assertEquals(1, usedIdx(d, 1));
        assertEquals(2, b.balloonedPages());
        assertEquals(0, d.status() & 0x40);
    }

    @Test
    void theStatsBufferIsHeldUntilThePollingTimerAsksForNewOnes() throws Exception {
        VirtioBalloon b = new VirtioBalloon(4 << 20, false);
        try {
            VirtioTestDriver d = start(b, ALL);
            long buf = 0x32000;
            int[] tags = {GuestStats.MEMFREE, GuestStats.MEMTOT, GuestStats.AVAIL, 42};
            long[] vals = {1L << 20, 4L << 20, 3L << 20, 7};
            for (int i = 0; i < tags.length; i++) {
                d.mem.writeShort(buf + 10L * i, (short) tags[i]);
                d.mem.writeLong(buf + 10L * i + 2, vals[i]);
            }
            post(d, 2, 0, buf, 10L * tags.length);
            assertEquals(0, usedIdx(d, 2), "the device keeps the buffer");
            GuestStats s = b.guestStats();
            assertEquals(1L << 20, s.value(GuestStats.MEMFREE));
            assertEquals(4L << 20, s.value(GuestStats.MEMTOT));
            assertEquals(3L << 20, s.value(GuestStats.AVAIL));
            assertEquals(GuestStats.UNSET, s.value(GuestStats.SWAP_IN), "a tag not sent");
            assertTrue(s.lastUpdate() > 1_600_000_000L);
            assertThrows(IllegalArgumentException.class, () -> b.setPollInterval(-1));
            b.setPollInterval(1); // a new timer fires at once
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (usedIdx(d, 2) == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(1, usedIdx(d, 2), "the buffer comes back to ask for new statistics");
            assertEquals(0, d.mem.readInt(USED[2] + 8));
            d.mem.writeShort(buf, (short) GuestStats.MEMFREE);
            d.mem.writeLong(buf + 2, 5);
            post(d, 2, 1, buf, 10);
            assertEquals(5, b.guestStats().value(GuestStats.MEMFREE));
            assertEquals(GuestStats.UNSET, b.guestStats().value(GuestStats.MEMTOT), "stale values are dropped with each report");
            b.setPollInterval(0);
            assertEquals(0, b.pollInterval());
        } finally {
            b.close();
        }
    }

    @Test
    void aChainOutsideRamNeedsAResetAndNothingIsThrown() {
        VirtioBalloon b = new VirtioBalloon(4 << 20, false);
        VirtioTestDriver d = start(b, ALL);
        post(d, 0, 0, d.mem.size() - 2, 8);
        assertEquals(0x40, d.status() & 0x40, "DEVICE_NEEDS_RESET");
        assertEquals(0, b.balloonedPages());
        VirtioTestDriver d2 = start(new VirtioBalloon(4 << 20, false), ALL);
        post(d2, 2, 0, -16, 20);
        assertEquals(0x40, d2.status() & 0x40);
    }

    @Test
    void randomRingsAndRegistersNeverEscapeTheDevice() {
        VirtioBalloon b = new VirtioBalloon(4 << 20, false);
        try {
            Random rnd = new Random(0xba11);
            long ram = 4 << 20;
            VirtioTestDriver d = null;
            int completed = 0;
            for (int round = 0; round < 300; round++) {
                if (d == null || (d.status() & 0x40) != 0 || rnd.nextInt(20) == 0) {
                    java.util.Arrays.fill(avail, 0);
                    d = start(b, ALL);
                }
                for (int q = 0; q < 3; q++) {
                    for (int i = 0; i < QSIZE; i++) {
                        long a = switch (rnd.nextInt(4)) {
                            case 0 -> rnd.nextLong();
                            case 1 -> ram - rnd.nextInt(64);
                            default -> 0x30000 + rnd.nextInt(0x80000);
                        };
                        long len = rnd.nextInt(5) == 0 ? rnd.nextInt() & 0xFFFF_FFFFL : rnd.nextInt(0x2000);
                        long desc = DESC[q] + 16L * i;
                        d.mem.writeLong(desc, a);
                        d.mem.writeInt(desc + 8, (int) len);
                        d.mem.writeShort(desc + 12, (short) (rnd.nextInt(3) == 0 ? rnd.nextInt(8) : 0));
                        d.mem.writeShort(desc + 14, (short) rnd.nextInt(QSIZE + 4));
                    }
                    for (int i = 0; i < 64; i++) d.mem.writeInt(0x30000 + 4L * rnd.nextInt(0x20000), rnd.nextInt());
                    int n = rnd.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        d.mem.writeShort(AVAIL[q] + 4 + 2L * (avail[q] % QSIZE), (short) rnd.nextInt(QSIZE + 2));
                        avail[q]++;
                    }
                    d.mem.writeShort(AVAIL[q] + 2, (short) (rnd.nextInt(10) == 0 ? rnd.nextInt(65536) : avail[q]));
                    if (rnd.nextInt(4) == 0) d.mmio.write(d.common + rnd.nextInt(0x40), 1 << rnd.nextInt(3), rnd.nextLong());
                    if (rnd.nextInt(4) == 0) d.mmio.write(d.device + rnd.nextInt(24), 1 << rnd.nextInt(3), rnd.nextLong());
                    d.kick(rnd.nextInt(4));
                    if (rnd.nextInt(8) == 0) b.setTarget(rnd.nextLong() & Long.MAX_VALUE);
                    completed += usedIdx(d, q);
                }
            }
            assertTrue(completed > 0, "some chains complete");
        } finally {
            b.close();
        }
    }

    @Test
    void theDeviceStateRoundTrips() throws Exception {
        VirtioBalloon b = new VirtioBalloon(4 << 20, false);
        VirtioBalloon copy = new VirtioBalloon(4 << 20, false);
        try {
            VirtioTestDriver d = start(b, ALL);
            b.setTarget(2 << 20);
            d.mmio.write(d.device + 4, 4, 300);
            d.mmio.write(d.device + 12, 4, 0x5A);
            d.mem.writeInt(0x30000, 0x10);
            d.mem.writeInt(0x30004, 0x20);
            post(d, 0, 0, 0x30000, 8);
            d.mem.writeShort(0x32000, (short) GuestStats.MEMFREE);
            d.mem.writeLong(0x32002, 12345);
            post(d, 2, 0, 0x32000, 10);
            b.setPollInterval(3600);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            d.dev.saveState(new DataOutputStream(bytes));

            VirtioTestDriver d2 = new VirtioTestDriver(copy);
            copy.attach(d2.dev::configChanged, d2.dev::kick);
            d2.dev.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(b.numPages(), copy.numPages());
            assertEquals(300, copy.actualPages());
            assertEquals(b.actualBytes(), copy.actualBytes());
            assertEquals(2, copy.balloonedPages());
            assertEquals(b.guestStats(), copy.guestStats());
            assertEquals(3600, copy.pollInterval());
            assertEquals(0x5A, d2.mmio.read(d2.device + 12, 4), "poison_val");
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            d2.dev.saveState(new DataOutputStream(again));
            assertArrayEquals(bytes.toByteArray(), again.toByteArray(), "save, load, save: the same bytes");
        } finally {
            b.close();
            copy.close();
        }
    }
}
