package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.*;
import static org.jvirt.vmm.devices.ide.IdeTestDriver.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.jvirt.vmm.block.RawFileBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** saveState in the middle of transfers, loadState into fresh devices on the same images: the guest goes on where it was. */
class IdeStateTest {

    @TempDir Path dir;

    private static byte[] save(IdeChannel c) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        c.saveState(new DataOutputStream(b));
        return b.toByteArray();
    }

    private static void load(IdeChannel c, byte[] state) throws IOException {
        c.loadState(new DataInputStream(new ByteArrayInputStream(state)));
    }

    @Test
    void transfersResumeAfterARestore() throws Exception {
        byte[] disk = new byte[128 * 512];
        new Random(1).nextBytes(disk);
        Path raw = dir.resolve("d.raw");
        Files.write(raw, disk);
        byte[] media = new byte[40 * 2048];
        new Random(2).nextBytes(media);
        Path iso = dir.resolve("m.iso");
        Files.write(iso, media);

        IdeTestDriver a = new IdeTestDriver(new AtaDisk(new RawFileBackend(raw, false), "S", "M"),
                new AtapiCdrom(new RawFileBackend(iso, true), "C"));
        a.command28(0, 0xC6, 0, 8, 0);
        a.command28(0, 0xC4, 10, 20, 0); // READ MULTIPLE 20 sectors in blocks of 8
        assertEquals(DRQ, a.inb(STATUS) & (BSY | DRQ | ERR));
        byte[] first = a.readWords(8 * 256 + 100); // into the second block
        byte[] state = save(a.channel);

        IdeTestDriver b = new IdeTestDriver(new AtaDisk(new RawFileBackend(raw, false), "S", "M"),
                new AtapiCdrom(new RawFileBackend(iso, true), "C"));
        load(b.channel, state);
        byte[] rest = b.readWords(12 * 256 - 100);
        byte[] all = new byte[20 * 512];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        assertArrayEquals(Arrays.copyOfRange(disk, 10 * 512, 30 * 512), all);
        assertEquals(DRDY, b.inb(STATUS) & (BSY | DRDY | DRQ | ERR));

        // ATAPI: a READ(10) in blocks of 4096 bytes, saved in the middle of the second block.
        b.select(1, 0);
        b.outb(LBA_MID, 0x00);
        b.outb(LBA_HIGH, 0x10);
        b.outb(COMMAND, 0xA0);
        b.writeWords(new byte[] {0x28, 0, 0, 0, 0, 3, 0, 0, 5, 0, 0, 0}, 0, 6);
        byte[] cdFirst = b.readWords(2048 + 500);
        byte[] cdState = save(b.channel);
        IdeTestDriver c = new IdeTestDriver(new AtaDisk(new RawFileBackend(raw, false), "S", "M"),
                new AtapiCdrom(new RawFileBackend(iso, true), "C"));
        load(c.channel, cdState);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        got.writeBytes(cdFirst);
        got.writeBytes(c.readWords(2048 - 500));
        while ((c.inb(STATUS) & DRQ) != 0) {
            int n = c.inb(LBA_MID) | c.inb(LBA_HIGH) << 8;
            got.writeBytes(c.readWords(n / 2));
        }
        assertEquals(3, c.inb(COUNT) & 3, "status phase");
        assertArrayEquals(Arrays.copyOfRange(media, 3 * 2048, 8 * 2048), got.toByteArray());
    }

    @Test
    void aStateForOtherDevicesOrOutOfRangeIsRefused() throws Exception {
        Path raw = dir.resolve("d.raw");
        Files.write(raw, new byte[64 * 512]);
        IdeTestDriver a = new IdeTestDriver(new AtaDisk(new RawFileBackend(raw, false), "S", "M"), null);
        a.command28(0, 0x20, 60, 4, 0);
        byte[] state = save(a.channel);
        IdeTestDriver cd = new IdeTestDriver(new AtapiCdrom(null, "C"), null);
        assertThrows(IOException.class, () -> load(cd.channel, state), "a cdrom where the disk was");
        Path small = dir.resolve("s.raw");
        Files.write(small, new byte[16 * 512]);
        IdeTestDriver smaller = new IdeTestDriver(new AtaDisk(new RawFileBackend(small, false), "S", "M"), null);
        assertThrows(IOException.class, () -> load(smaller.channel, state), "the transfer runs past the smaller disk");
    }
}
