package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.jvirt.vmm.devices.ide.IdeTestDriver.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.jvirt.vmm.block.RawFileBackend;
import org.jvirt.vmm.devices.ide.IdeTestDriver.PacketResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ATAPI drive as the secondary master would be driven by SeaBIOS's cdrom code and Linux's sr through ata_piix (PIO). */
class AtapiCdromTest {

    static final int LIMIT = 0xFFFE;

    @TempDir Path dir;

    private Path image(int sectors, long seed) throws Exception {
        byte[] b = new byte[sectors * 2048];
        new Random(seed).nextBytes(b);
        Path p = dir.resolve("media" + seed + ".iso");
        Files.write(p, b);
        return p;
    }

    private static byte[] cdb(int... bytes) {
        byte[] c = new byte[12];
        for (int i = 0; i < bytes.length; i++) c[i] = (byte) bytes[i];
        return c;
    }

    static byte[] read10(long lba, int count) {
        return cdb(0x28, 0, (int) (lba >>> 24), (int) (lba >>> 16), (int) (lba >>> 8), (int) lba, 0, count >>> 8, count);
    }

    static final byte[] TEST_UNIT_READY = cdb(0x00), REQUEST_SENSE = cdb(0x03, 0, 0, 0, 18, 0),
            READ_CAPACITY = cdb(0x25), GESN_MEDIA = cdb(0x4A, 1, 0, 0, 0x10, 0, 0, 0, 8);

    private static int[] sense(IdeTestDriver d) {
        PacketResult r = d.packet(0, REQUEST_SENSE, LIMIT);
        assertFalse(r.checkCondition());
        assertEquals(18, r.data().length);
        assertEquals(0x70, r.data()[0] & 0x7F);
        return new int[] {r.data()[2] & 0x0F, r.data()[12] & 0xFF, r.data()[13] & 0xFF};
    }

    private static int mediaEvent(IdeTestDriver d) {
        PacketResult r = d.packet(0, GESN_MEDIA, LIMIT);
        assertFalse(r.checkCondition());
        assertEquals(8, r.data().length);
        assertEquals(4, r.data()[2], "media class");
        return r.data()[4] & 0x0F;
    }

    @Test
    void identifyPacketDeviceAndInquiry() throws Exception {
        IdeTestDriver d = new IdeTestDriver(new AtapiCdrom(null, "CD-SERIAL"), null);
        byte[] id = d.identify(0, 0xA1);
        assertEquals(0x85C0, word(id, 0), "ATAPI CD-ROM, removable, 12-byte packets");
        assertEquals("JVIRT DVD-ROM", ataString(id, 27, 20));
        assertEquals("CD-SERIAL", ataString(id, 10, 10));
        int sum = 0;
        for (byte b : id) sum += b;
        assertEquals(0, sum & 0xFF);
        d.command28(0, 0xEC, 0, 0, 0);
        assertEquals(0x41, d.inb(STATUS) & 0xC9, "IDENTIFY DEVICE aborted");
        assertEquals(0x04, d.inb(ERROR));
        assertEquals(0x14, d.inb(LBA_MID));
        assertEquals(0xEB, d.inb(LBA_HIGH), "with the PACKET signature");

        PacketResult r = d.packet(0, cdb(0x12, 0, 0, 0, 96, 0), LIMIT);
        assertFalse(r.checkCondition());
        assertEquals(36, r.data().length);
        assertEquals(0x05, r.data()[0], "CD/DVD device");
        assertEquals(0x80, r.data()[1] & 0xFF, "removable");
        assertEquals("JVIRT   ", new String(r.data(), 8, 8, StandardCharsets.US_ASCII));
        assertEquals("JVIRT DVD-ROM", new String(r.data(), 16, 16, StandardCharsets.US_ASCII).trim());
        assertEquals(5, d.packet(0, cdb(0x12, 0, 0, 0, 5, 0), LIMIT).data().length, "cut to the allocation length");
    }

    @Test
    void readsTheBootIso() throws Exception {
        Path iso = Path.of("..", "test-fixtures", "target", "linux", "boot.iso").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(iso), "skipped: " + iso + " is not built (build test-fixtures first)");
        byte[] file = Files.readAllBytes(iso);
        IdeTestDriver d = new IdeTestDriver(new AtapiCdrom(new RawFileBackend(iso, true), "ISO"), null);

        PacketResult cap = d.packet(0, READ_CAPACITY, LIMIT);
        assertFalse(cap.checkCondition());
        assertEquals(file.length / 2048 - 1, MmcReplies.be32(cap.data(), 0), "last LBA");
        assertEquals(2048, MmcReplies.be32(cap.data(), 4));

        byte[] pvd = d.packet(0, read10(16, 1), LIMIT).data();
        assertEquals(1, pvd[0], "primary volume descriptor");
        assertEquals("CD001", new String(pvd, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, pvd[6]);
        assertEquals(file.length / 2048, (pvd[80] & 0xFF) | (pvd[81] & 0xFF) << 8 | (pvd[82] & 0xFF) << 16 | (pvd[83] & 0xFF) << 24,
                "volume space size");

        byte[] boot = d.packet(0, read10(17, 1), LIMIT).data();
        assertEquals(0, boot[0], "boot record");
        assertEquals("CD001", new String(boot, 1, 5, StandardCharsets.US_ASCII));
        assertEquals("EL TORITO SPECIFICATION", new String(boot, 7, 23, StandardCharsets.US_ASCII));
        long catalog = (boot[0x47] & 0xFF) | (boot[0x48] & 0xFF) << 8 | (boot[0x49] & 0xFF) << 16 | (long) (boot[0x4A] & 0xFF) << 24;
        byte[] cat = d.packet(0, read10(catalog, 1), LIMIT).data();
        assertEquals(1, cat[0], "boot catalog validation entry");
        assertEquals(0x55, cat[30] & 0xFF);
        assertEquals(0xAA, cat[31] & 0xFF);

        // 40 sectors in DRQ blocks of an odd byte count limit (rounded down to 0x7FE): the bytes of the file.
        PacketResult many = d.packet(0, read10(100, 40), 0x7FF);
        assertFalse(many.checkCondition());
        assertArrayEquals(Arrays.copyOfRange(file, 100 * 2048, 140 * 2048), many.data());
        byte[] read12 = cdb(0xA8, 0, 0, 0, 0, 16, 0, 0, 0, 2);
        assertArrayEquals(Arrays.copyOfRange(file, 16 * 2048, 18 * 2048), d.packet(0, read12, LIMIT).data());
    }

    @Test
    void noMediumAndBadRequests() throws Exception {
        IdeTestDriver d = new IdeTestDriver(new AtapiCdrom(null, "E"), null);
        for (byte[] c : List.of(TEST_UNIT_READY, READ_CAPACITY, read10(0, 1))) {
            PacketResult r = d.packet(0, c, LIMIT);
            assertTrue(r.checkCondition());
            assertEquals(0x2, r.senseKey(), "NOT READY");
            assertArrayEquals(new int[] {0x2, 0x3A, 0x01}, sense(d), "MEDIUM NOT PRESENT");
        }
        assertEquals(0, MmcReplies.be16(d.packet(0, cdb(0x46, 0, 0, 0, 0, 0, 0, 0, 64), LIMIT).data(), 6), "no current profile");

        ((AtapiCdrom) d.channel.master()).insertMedium(new RawFileBackend(image(50, 1), true));
        assertEquals(0x6, d.packet(0, TEST_UNIT_READY, LIMIT).senseKey());
        PacketResult r = d.packet(0, read10(49, 2), LIMIT);
        assertEquals(0x5, r.senseKey());
        assertArrayEquals(new int[] {0x5, 0x21, 0x00}, sense(d), "LBA OUT OF RANGE");
        assertEquals(0x5, d.packet(0, cdb(0xFF), LIMIT).senseKey());
        assertArrayEquals(new int[] {0x5, 0x20, 0x00}, sense(d), "INVALID COMMAND OPERATION CODE");
        assertEquals(0, d.packet(0, read10(10, 0), LIMIT).data().length, "zero sectors: no data");
        assertEquals(0x5, d.packet(0, cdb(0x5A, 0, 0x3E, 0, 0, 0, 0, 0, 64), LIMIT).senseKey(), "unknown mode page");
        assertEquals(0x5, d.packet(0, cdb(0x4A, 0, 0, 0, 0x10, 0, 0, 0, 8), LIMIT).senseKey(), "asynchronous GESN");

        // SeaBIOS's TEST UNIT READY has a byte count limit of 0; a data command with 0 gets its data unlimited.
        assertFalse(d.packet(0, TEST_UNIT_READY, 0).checkCondition());
        assertEquals(2048 * 20, d.packet(0, read10(0, 20), 0).data().length);
        d.select(0, 0);
        d.outb(FEATURE, 1);
        d.outb(COMMAND, 0xA0);
        assertEquals(0x04, d.inb(ERROR), "PACKET by DMA aborted: no bus master yet");
        assertEquals(0, d.inb(STATUS) & DRQ);
    }

    @Test
    void tocConfigurationModeSenseAndDiscInformation() throws Exception {
        IdeTestDriver d = new IdeTestDriver(new AtapiCdrom(new RawFileBackend(image(300, 2), true), "T"), null);
        assertFalse(d.packet(0, TEST_UNIT_READY, LIMIT).checkCondition(), "a medium there at power-on is no change");

        byte[] toc = d.packet(0, cdb(0x43, 0, 0, 0, 0, 0, 0, 0, 100), LIMIT).data();
        assertEquals(20, toc.length);
        assertEquals(18, MmcReplies.be16(toc, 0));
        assertEquals(1, toc[2]);
        assertEquals(1, toc[6], "track 1");
        assertEquals(0x14, toc[5], "data track");
        assertEquals(0xAA, toc[14] & 0xFF, "lead-out");
        assertEquals(300, MmcReplies.be32(toc, 16));
        byte[] msf = d.packet(0, cdb(0x43, 2, 0, 0, 0, 0, 0, 0, 100), LIMIT).data();
        assertArrayEquals(new byte[] {0, 0, 6, 0}, Arrays.copyOfRange(msf, 16, 20), "300 + 150 frames = 00:06:00");
        byte[] sessions = d.packet(0, cdb(0x43, 0, 1, 0, 0, 0, 0, 0, 100), LIMIT).data();
        assertEquals(12, sessions.length);
        assertEquals(1, sessions[3]);

        byte[] conf = d.packet(0, cdb(0x46, 0, 0, 0, 0, 0, 0, 0, 200), LIMIT).data();
        assertEquals(MmcReplies.PROFILE_CD_ROM, MmcReplies.be16(conf, 6));
        assertEquals(conf.length - 4, MmcReplies.be32(conf, 0));

        byte[] caps = d.packet(0, cdb(0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 128), LIMIT).data();
        assertEquals(caps.length - 2, MmcReplies.be16(caps, 0));
        assertEquals(0x2A, caps[8]);
        assertEquals(0x14, caps[9]);
        assertEquals(0x29, caps[14] & 0xFF, "tray, eject, lock; unlocked");

        byte[] info = d.packet(0, cdb(0x51, 0, 0, 0, 0, 0, 0, 0, 34), LIMIT).data();
        assertEquals(34, info.length);
        assertEquals(0x0E, info[2], "complete disc");
        byte[] mech = d.packet(0, cdb(0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8), LIMIT).data();
        assertEquals(8, mech.length);
        assertEquals(0, mech[1] & 0x10, "tray closed");
        assertFalse(d.packet(0, cdb(0xBB, 0, 0xFF, 0xFF), LIMIT).checkCondition(), "SET CD SPEED");
    }

    @Test
    void mediaChangeSequences() throws Exception {
        AtapiCdrom cd = new AtapiCdrom(null, "M");
        List<Boolean> tray = new ArrayList<>();
        cd.setTrayListener(tray::add);
        IdeTestDriver d = new IdeTestDriver(null, cd);
        d.select(1, 0);
        // the drive is the slave here: PACKET through device 1
        java.util.function.Function<byte[], PacketResult> send = c -> d.packet(1, c, LIMIT);

        assertEquals(0x2, send.apply(TEST_UNIT_READY).senseKey(), "empty tray");
        Path first = image(20, 3);
        cd.insertMedium(new RawFileBackend(first, true));
        PacketResult gesn = send.apply(GESN_MEDIA);
        assertEquals(AtapiCdrom.EVENT_NEW_MEDIA, gesn.data()[4], "GESN is not held back by the unit attention");
        assertEquals(0x02, gesn.data()[5], "media present, tray closed");
        PacketResult ua = send.apply(TEST_UNIT_READY);
        assertEquals(0x6, ua.senseKey(), "UNIT ATTENTION");
        PacketResult s = send.apply(REQUEST_SENSE);
        assertArrayEquals(new int[] {0x6, 0x28, 0x00}, new int[] {s.data()[2], s.data()[12] & 0xFF, s.data()[13]}, "MEDIUM MAY HAVE CHANGED");
        assertFalse(send.apply(TEST_UNIT_READY).checkCondition(), "ready once reported");
        assertArrayEquals(Arrays.copyOfRange(Files.readAllBytes(first), 2048 * 5, 2048 * 6), send.apply(read10(5, 1)).data());

        // The guest locks the tray: the host's eject becomes a request to the guest; the guest's eject is refused.
        assertFalse(send.apply(cdb(0x1E, 0, 0, 0, 1)).checkCondition());
        assertEquals(AtapiCdrom.EjectResult.LOCKED, cd.ejectMedium(false));
        gesn = send.apply(GESN_MEDIA);
        assertEquals(AtapiCdrom.EVENT_EJECT_REQUEST, gesn.data()[4]);
        assertEquals(0x2B, send.apply(cdb(0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 128)).data()[14], "locked in the capabilities page");
        PacketResult refused = send.apply(cdb(0x1B, 0, 0, 0, 0x02));
        assertEquals(0x5, refused.senseKey());
        s = send.apply(REQUEST_SENSE);
        assertEquals(0x53, s.data()[12] & 0xFF, "MEDIUM REMOVAL PREVENTED");

        // Unlocked, the guest opens the tray (the medium stays in it) and closes it again.
        send.apply(cdb(0x1E, 0, 0, 0, 0));
        assertFalse(send.apply(cdb(0x1B, 0, 0, 0, 0x02)).checkCondition());
        assertEquals(List.of(true), tray);
        assertEquals(0x2, send.apply(TEST_UNIT_READY).senseKey());
        s = send.apply(REQUEST_SENSE);
        assertEquals(0x02, s.data()[13], "MEDIUM NOT PRESENT - TRAY OPEN");
        assertEquals(0x10, send.apply(cdb(0xBD, 0, 0, 0, 0, 0, 0, 0, 0, 8)).data()[1], "door open");
        assertFalse(send.apply(cdb(0x1B, 0, 0, 0, 0x03)).checkCondition());
        assertEquals(List.of(true, false), tray);
        assertEquals(0x6, send.apply(TEST_UNIT_READY).senseKey(), "closing on a medium is a change");

        // The host changes the medium (change-media: eject, then insert).
        assertEquals(AtapiCdrom.EjectResult.EJECTED, cd.ejectMedium(false));
        assertEquals(List.of(true, false, true), tray);
        assertEquals(AtapiCdrom.EVENT_MEDIA_REMOVAL, send.apply(GESN_MEDIA).data()[4]);
        assertEquals(AtapiCdrom.EVENT_NONE, send.apply(GESN_MEDIA).data()[4], "each event once");
        assertEquals(0x2, send.apply(TEST_UNIT_READY).senseKey());
        Path second = image(30, 4);
        cd.insertMedium(new RawFileBackend(second, true));
        assertEquals(List.of(true, false, true, false), tray);
        assertEquals(0x6, send.apply(TEST_UNIT_READY).senseKey());
        PacketResult cap = send.apply(READ_CAPACITY);
        assertEquals(29, MmcReplies.be32(cap.data(), 0), "the new medium's size");
        assertArrayEquals(Arrays.copyOfRange(Files.readAllBytes(second), 0, 2048), send.apply(read10(0, 1)).data());
        assertThrows(IllegalStateException.class, () -> cd.insertMedium(new RawFileBackend(first, true)));
        cd.close();
    }
}
