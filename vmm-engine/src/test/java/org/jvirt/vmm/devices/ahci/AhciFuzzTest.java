package org.jvirt.vmm.devices.ahci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.ide.AtaDisk;
import org.jvirt.vmm.devices.ide.AtapiCdrom;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.junit.jupiter.api.Test;

/**
 * A hostile guest against the AHCI controller: random register writes and reads (ABAR and the
 * index/data pair), command lists, tables and PRDTs with random addresses and lengths (in RAM,
 * straddling its end, far outside), random commands and CDBs, resets in between. Nothing may
 * throw out of the device, no access may reach past guest RAM (the heap memory counts attempts:
 * every one must have been refused by a check before it was made), and the disks keep their size.
 */
class AhciFuzzTest {
    static final int RAM = 1 << 20;
    static final int[] COMMANDS = {0xEC, 0xA1, 0x25, 0x35, 0xC8, 0xCA, 0x20, 0x24, 0x30, 0x34, 0xC4, 0xC5, 0xC6, 0x40,
        0xA0, 0xA0, 0xA0, 0xEF, 0xE7, 0xEA, 0x08, 0x90, 0x91, 0xE5, 0x00, 0x60, 0x61};
    static final int[] CDB_OPS = {0x00, 0x03, 0x12, 0x1B, 0x1E, 0x25, 0x28, 0x43, 0x46, 0x4A, 0x51, 0x5A, 0xA8, 0xBB, 0xBD, 0xFF};

    @Test
    void randomRegistersAndCommandsNeverEscape() {
        int reached = 0;
        for (long seed = 1; seed <= 24; seed++) reached += run(seed, 5000) ? 1 : 0;
        // the random commands must really reach the drives' data paths, or the test proves little
        assertTrue(reached >= 12, "the fuzzer read or wrote the disk and the medium in only " + reached + " of 24 runs");
    }

    /** One run; true when it reached both the disk's and the medium's data. */
    private boolean run(long seed, int steps) {
        Random r = new Random(seed);
        HeapGuestMemory mem = new HeapGuestMemory(RAM);
        MemoryDisk disk = new MemoryDisk(256 * 512, false), media = new MemoryDisk(64 * 2048, true);
        AtaDisk ata = new AtaDisk(disk, "S", "M");
        AtapiCdrom cd = new AtapiCdrom(media, "C");
        AhciController hba = new AhciController(mem, (a, d) -> { }, new org.jvirt.vmm.devices.ide.IdeDevice[] {ata, null, cd});
        IoDevice abar = hba.bar(AhciController.ABAR), idp = hba.bar(AhciController.IDP_BAR);
        for (int step = 0; step < steps; step++) {
            int what = r.nextInt(100);
            int p = r.nextInt(4) == 0 ? r.nextInt(6) : (r.nextBoolean() ? 0 : 2);
            int portBase = 0x100 + p * 0x80;
            try {
                if (what < 25) {
                    abar.write(portBase + 4 * r.nextInt(0x20), 4, interesting(r));
                } else if (what < 30) {
                    abar.write(r.nextInt(0x1000), 1 << r.nextInt(4), r.nextLong());
                } else if (what < 40) {
                    abar.read(r.nextInt(0x1000), 1 << r.nextInt(4));
                } else if (what < 43) {
                    idp.write(r.nextBoolean() ? 0x10 : 0x14, 4, interesting(r));
                    idp.read(r.nextInt(0x20), 4);
                } else if (what < 45) {
                    abar.write(0x04, 4, r.nextInt(10) == 0 ? 1 : 0x8000_0002L); // HBA reset, or interrupts on
                } else if (what < 46) {
                    hba.reset();
                } else {
                    issue(r, mem, abar, portBase);
                }
                hba.runIssued();
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + " step " + step + ": the device threw", e);
            }
        }
        assertEquals(0, mem.rejectedAccesses(), "seed " + seed + ": an access outside RAM was attempted");
        assertEquals(256 * 512, disk.data.length);
        return disk.lastThread != null && media.lastThread != null;
    }

    /** Sets the port up (sometimes badly) and issues a random command in a random slot. */
    private static void issue(Random r, HeapGuestMemory mem, IoDevice abar, int portBase) {
        long clb = address(r, 1024), fb = address(r, 256);
        abar.write(portBase, 4, clb & 0xFFFF_FFFFL);
        abar.write(portBase + 4, 4, r.nextInt(20) == 0 ? r.nextInt() : 0);
        abar.write(portBase + 8, 4, fb & 0xFFFF_FFFFL);
        abar.write(portBase + 0xC, 4, r.nextInt(20) == 0 ? r.nextInt() : 0);
        abar.write(portBase + 0x18, 4, r.nextInt(10) == 0 ? r.nextInt() : 0x11);
        int slot = r.nextInt(32);
        long table = address(r, 0x80 + 16 * 8);
        int prdtl = r.nextInt(10) == 0 ? r.nextInt(0x10000) : r.nextInt(5);
        long header = clb + slot * 32L;
        if (header >= 0 && header + 32 <= RAM) {
            mem.writeInt(header, (r.nextInt(8) == 0 ? r.nextInt(0x10000) : 5 | (r.nextInt(4) << 5)) | prdtl << 16);
            mem.writeInt(header + 8, (int) table);
            mem.writeInt(header + 12, r.nextInt(30) == 0 ? r.nextInt() : 0);
        }
        if (table >= 0 && table + 0x80 + 16 * 4 <= RAM) {
            byte[] t = new byte[0x80 + 16 * 4];
            if (r.nextInt(5) == 0) r.nextBytes(t);
            t[0] = (byte) (r.nextInt(20) == 0 ? r.nextInt() : 0x27);
            t[1] = (byte) (r.nextInt(10) == 0 ? r.nextInt() : 0x80);
            t[2] = (byte) COMMANDS[r.nextInt(COMMANDS.length)];
            t[3] = (byte) r.nextInt(4);
            t[4] = (byte) r.nextInt(256);
            t[7] = 0x40; // LBA
            t[12] = (byte) (1 + r.nextInt(8));
            for (int i = 4; i <= 13; i++) if (r.nextInt(12) == 0) t[i] = (byte) r.nextInt(); // now and then anything
            t[15] = (byte) (r.nextInt(6) == 0 ? 0x04 : 0);
            t[0x40] = (byte) CDB_OPS[r.nextInt(CDB_OPS.length)];
            t[0x45] = (byte) r.nextInt(64);    // READ(10)/(12): a sector of the medium
            t[0x48] = (byte) r.nextInt(4);     // READ(10): a few sectors; others: an allocation length
            if (t[0x40] != 0x28 && t[0x40] != (byte) 0xA8) t[0x44] = (byte) r.nextInt(256); // allocation lengths of INQUIRY, REQUEST SENSE
            for (int i = 0x41; i < 0x4C; i++) if (r.nextInt(12) == 0) t[i] = (byte) r.nextInt();
            for (int e = 0; e < 4; e++) {
                int at = 0x80 + 16 * e;
                long dba = r.nextInt(4) == 0 ? r.nextLong() : address(r, 4096);
                int dbc = r.nextInt(6) == 0 ? r.nextInt() : r.nextInt(0x3000);
                for (int b = 0; b < 8; b++) t[at + b] = (byte) (dba >>> (8 * b));
                for (int b = 0; b < 4; b++) t[at + 12 + b] = (byte) (dbc >>> (8 * b));
            }
            mem.write(table, t, 0, t.length);
        }
        abar.write(portBase + 0x38, 4, r.nextInt(8) == 0 ? r.nextInt() & 0xFFFF_FFFFL : 1L << slot);
    }

    /** Mostly inside RAM, sometimes straddling its end or far outside. */
    private static long address(Random r, int length) {
        return switch (r.nextInt(10)) {
            case 0 -> RAM - r.nextInt(length) ;
            case 1 -> r.nextInt() & 0xFFFF_FFFFL;
            default -> (long) r.nextInt(RAM - length) & ~0x7FL;
        };
    }

    private static long interesting(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> 0;
            case 1 -> 0xFFFF_FFFFL;
            case 2 -> 1L << r.nextInt(32);
            default -> r.nextInt() & 0xFFFF_FFFFL;
        };
    }

    /** The same guest with the I/O thread running the commands while registers change under it and the machine resets. */
    @Test
    void concurrentRegisterWritesResetsAndCommands() throws Exception {
        Random r = new Random(99);
        HeapGuestMemory mem = new HeapGuestMemory(RAM);
        MemoryDisk disk = new MemoryDisk(256 * 512, false), media = new MemoryDisk(64 * 2048, true);
        AhciController hba = new AhciController(mem, (a, d) -> { },
                new org.jvirt.vmm.devices.ide.IdeDevice[] {new AtaDisk(disk, "S", "M"), null, new AtapiCdrom(media, "C")});
        IoDevice abar = hba.bar(AhciController.ABAR);
        try (AhciIoThread io = AhciIoThread.start(hba, "ahci-fuzz-io")) {
            for (int step = 0; step < 20000; step++) {
                int portBase = 0x100 + (r.nextBoolean() ? 0 : 2) * 0x80;
                int what = r.nextInt(100);
                if (what < 20) abar.write(portBase + 4 * r.nextInt(0x10), 4, interesting(r));
                else if (what < 22) hba.reset();
                else if (what < 24) abar.write(0x04, 4, 1);
                else if (what < 30) abar.read(r.nextInt(0x1000) & ~3, 4);
                else issue(r, mem, abar, portBase);
                if (step % 500 == 0) {
                    io.quiesce();
                    io.resume();
                }
            }
            io.quiesce();
            assertEquals(0, io.failures(), "runs of the I/O thread that threw");
        }
        assertEquals(0, mem.rejectedAccesses(), "an access outside RAM was attempted");
    }

    @Test
    void theFuzzerReachesTheDevices() {
        // the test above only means something if commands really run: check a plain IDENTIFY does
        HeapGuestMemory mem = new HeapGuestMemory(RAM);
        AtaDisk ata = new AtaDisk(new MemoryDisk(256 * 512, false), "S", "M");
        AhciController hba = new AhciController(mem, (a, d) -> { }, new org.jvirt.vmm.devices.ide.IdeDevice[] {ata});
        IoDevice abar = hba.bar(AhciController.ABAR);
        AhciTestDriver d = new AhciTestDriver(mem, abar, hba::runIssued);
        d.start(0);
        assertEquals(0x50, d.command(0, 0xEC, 0, 0, 0, null, false, 512) & 0xFF);
        assertTrue(d.data(0, 512)[0] == 0x40, "IDENTIFY word 0 of a fixed disk");
    }
}
