package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.*;
import static org.jvirt.vmm.devices.ide.IdeTestDriver.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jvirt.vmm.block.RawFileBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe sequences of the two guests the pc machine serves, followed step by step: SeaBIOS's
 * ata_detect/ata_reset (src/hw/ata.c) and Linux libata's SFF soft reset and device classification
 * (ata_sff_softreset, ata_sff_dev_classify, ata_dev_classify's signatures).
 */
class IdeProbeSequenceTest {

    @TempDir Path dir;

    private AtaDisk disk() throws Exception {
        Path p = dir.resolve("d.raw");
        Files.write(p, new byte[1024 * 512]);
        return new AtaDisk(new RawFileBackend(p, false), "S", "JVIRT HARDDISK");
    }

    private AtapiCdrom cdrom() throws Exception {
        Path p = dir.resolve("c.iso");
        Files.write(p, new byte[32 * 2048]);
        return new AtapiCdrom(new RawFileBackend(p, true), "C");
    }

    /** SeaBIOS's ata_detect for one position; returns "ata", "atapi" or null (nothing found). */
    private static String seabiosDetect(IdeTestDriver d, int slave, boolean[] didReset) {
        int newdh = slave == 1 ? 0xB0 : 0xA0;
        assertEquals(0, d.inb(STATUS) & BSY);
        d.outb(DEVICE, newdh);
        int dh = d.inb(DEVICE);
        d.outb(COUNT, 0x55);
        d.outb(LBA_LOW, 0xAA);
        if (d.inb(COUNT) != 0x55 || d.inb(LBA_LOW) != 0xAA || dh != newdh) return null;
        if (!didReset[0]) { // ata_reset: SRST pulse with nIEN, then select the device again
            d.deviceControl(0x08 | 0x02 | 0x04);
            d.deviceControl(0x08 | 0x02);
            assertEquals(0, d.inb(STATUS) & BSY);
            d.outb(DEVICE, newdh);
            assertEquals(newdh, d.inb(DEVICE));
            d.deviceControl(0x08);
            didReset[0] = true;
        }
        d.outb(DEVICE, newdh);
        d.outb(COMMAND, 0xA1); // init_drive_atapi: IDENTIFY PACKET DEVICE
        int st = d.inb(STATUS);
        if ((st & (BSY | DRQ | ERR)) == DRQ) {
            d.readWords(256);
            return "atapi";
        }
        if (d.inb(STATUS) == 0) return null; // "Status not set - can't be a valid drive"
        assertEquals(DRDY, d.inb(STATUS) & DRDY, "await_rdy");
        d.outb(COMMAND, 0xEC);
        if ((d.inb(STATUS) & (BSY | DRQ | ERR)) != DRQ) return null;
        d.readWords(256);
        return "ata";
    }

    @Test
    void seabiosFindsTheDiskAndTheDrive() throws Exception {
        IdeTestDriver both = new IdeTestDriver(disk(), cdrom());
        boolean[] reset = {false};
        assertEquals("ata", seabiosDetect(both, 0, reset));
        assertEquals("atapi", seabiosDetect(both, 1, reset));

        IdeTestDriver masterOnly = new IdeTestDriver(cdrom(), null);
        reset[0] = false;
        assertEquals("atapi", seabiosDetect(masterOnly, 0, reset));
        assertNull(seabiosDetect(masterOnly, 1, reset), "no slave");

        IdeTestDriver empty = new IdeTestDriver(null, null);
        reset[0] = false;
        assertNull(seabiosDetect(empty, 0, reset));
        assertNull(seabiosDetect(empty, 1, reset));
    }

    /** libata's classification of one device after a soft reset: "ata", "atapi", "none" or "unknown". */
    private static String linuxClassify(IdeTestDriver d, int dev) {
        d.outb(DEVICE, 0xA0 | dev << 4);
        int err = d.inb(ERROR);
        if (!(err == 0 || err == 1 || (dev == 0 && err == 0x81))) return "none";
        int nsect = d.inb(COUNT), lbal = d.inb(LBA_LOW), lbam = d.inb(LBA_MID), lbah = d.inb(LBA_HIGH);
        int status = d.inb(STATUS);
        String cls = lbam == 0 && lbah == 0 ? "ata" : lbam == 0x14 && lbah == 0xEB ? "atapi" : "unknown";
        if (cls.equals("unknown") && err == 0) cls = "none";
        if (cls.equals("ata") && status == 0) cls = "none";
        assertTrue(cls.equals("none") || (nsect == 1 && lbal == 1), "signature count/LBA low 1/1");
        return cls;
    }

    private static void linuxSoftReset(IdeTestDriver d) {
        // ata_devchk on both positions, then SRST with nIEN as ata_bus_softreset does
        for (int dev = 0; dev < 2; dev++) {
            d.outb(DEVICE, 0xA0 | dev << 4);
            d.outb(COUNT, 0x55); d.outb(LBA_LOW, 0xAA);
            d.outb(COUNT, 0xAA); d.outb(LBA_LOW, 0x55);
            d.outb(COUNT, 0x55); d.outb(LBA_LOW, 0xAA);
        }
        d.deviceControl(0x02);
        d.deviceControl(0x02 | 0x04);
        d.deviceControl(0x02);
        assertEquals(0, d.altStatus() & BSY);
    }

    @Test
    void linuxClassifiesBothPositions() throws Exception {
        IdeTestDriver both = new IdeTestDriver(disk(), cdrom());
        linuxSoftReset(both);
        assertEquals("ata", linuxClassify(both, 0));
        assertEquals("atapi", linuxClassify(both, 1));

        IdeTestDriver swapped = new IdeTestDriver(cdrom(), disk());
        linuxSoftReset(swapped);
        assertEquals("atapi", linuxClassify(swapped, 0));
        assertEquals("ata", linuxClassify(swapped, 1));

        IdeTestDriver diskOnly = new IdeTestDriver(disk(), null);
        linuxSoftReset(diskOnly);
        assertEquals("ata", linuxClassify(diskOnly, 0));
        assertEquals("none", linuxClassify(diskOnly, 1));
    }
}
