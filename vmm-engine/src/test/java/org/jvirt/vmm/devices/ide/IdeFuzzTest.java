package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.jvirt.vmm.block.RawFileBackend;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random guest accesses to both port blocks and the bus master of a channel holding a disk and a
 * drive: random registers, sizes and values, biased towards real commands (DMA ones included),
 * packets with random CDBs, reads of the data port, and bus-master starts over random tables in
 * a small guest memory. Nothing may throw out of the devices, no access leaves guest RAM
 * unchecked, and the disk image keeps its size.
 */
class IdeFuzzTest {

    @TempDir Path dir;

    private static final int[] ATA_COMMANDS = {0x00, 0x08, 0x20, 0x21, 0x24, 0x29, 0x30, 0x31, 0x34, 0x39, 0x40, 0x41,
            0x42, 0x90, 0x91, 0xA0, 0xA1, 0xC4, 0xC5, 0xC6, 0xC8, 0xCA, 0x25, 0x35, 0xE0, 0xE1, 0xE2, 0xE3, 0xE5, 0xE7, 0xEA, 0xEC, 0xEF};
    private static final int[] MMC_OPCODES = {0x00, 0x03, 0x12, 0x1B, 0x1E, 0x25, 0x28, 0x43, 0x46, 0x4A, 0x51, 0x5A,
            0xA8, 0xBB, 0xBD};

    @Test
    void randomAccessesNeverThrow() throws Exception {
        Path raw = dir.resolve("d.raw");
        Files.write(raw, new byte[256 * 512]);
        Path iso = dir.resolve("m.iso");
        Files.write(iso, new byte[64 * 2048]);
        AtaDisk disk = new AtaDisk(new RawFileBackend(raw, false), "F", "M");
        AtapiCdrom cd = new AtapiCdrom(new RawFileBackend(iso, true), "C");
        HeapGuestMemory memory = new HeapGuestMemory(64 << 10);
        IdeTestDriver d = new IdeTestDriver(disk, cd, memory);
        Random rnd = new Random(12);
        byte[] junk = new byte[64 << 10];
        for (int i = 0; i < 300_000; i++) {
            int kind = rnd.nextInt(20);
            if (kind < 2) {
                d.outb(IdeTestDriver.COMMAND, ATA_COMMANDS[rnd.nextInt(ATA_COMMANDS.length)]);
            } else if (kind < 4) {
                // a packet: a real opcode with random fields, or random bytes
                d.outb(IdeTestDriver.LBA_MID, rnd.nextInt(256));
                d.outb(IdeTestDriver.LBA_HIGH, rnd.nextInt(256));
                d.outb(IdeTestDriver.COMMAND, 0xA0);
                byte[] cdb = new byte[12];
                rnd.nextBytes(cdb);
                if (rnd.nextBoolean()) cdb[0] = (byte) MMC_OPCODES[rnd.nextInt(MMC_OPCODES.length)];
                d.writeWords(cdb, 0, 6);
            } else if (kind < 8) {
                int words = rnd.nextInt(300);
                for (int w = 0; w < words; w++) d.pio.read(IdeTestDriver.BASE, rnd.nextBoolean() ? 2 : 4);
            } else if (kind < 9) {
                d.deviceControl(rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 0); // mostly: interrupts on, SRST released
            } else if (kind < 10 && rnd.nextBoolean()) {
                // the bus master: a table somewhere (random entries, in or out of RAM), a start or a stop
                if (rnd.nextInt(50) == 0) {
                    rnd.nextBytes(junk);
                    memory.write(0, junk, 0, junk.length);
                }
                int port = IdeTestDriver.BUS_MASTER + rnd.nextInt(BusMasterDma.PORTS);
                long v = rnd.nextInt(4) == 0 ? rnd.nextLong() : rnd.nextInt(1 << 17);
                d.pio.write(port, 1 << rnd.nextInt(3), v);
                if (rnd.nextBoolean()) d.pio.write(IdeTestDriver.BUS_MASTER, 1, rnd.nextInt(16));
                long r = d.pio.read(IdeTestDriver.BUS_MASTER + rnd.nextInt(BusMasterDma.PORTS), 1);
                assertTrue(r >>> 8 == 0, "byte read wider than a byte");
            } else if (kind < 10) {
                if (rnd.nextInt(200) == 0) {
                    if (cd.hasMedium()) cd.ejectMedium(rnd.nextBoolean());
                    else cd.insertMedium(new RawFileBackend(iso, true));
                }
            } else {
                boolean control = rnd.nextInt(8) == 0;
                long port = control ? IdeTestDriver.CONTROL : IdeTestDriver.BASE + rnd.nextInt(8);
                int size = 1 << rnd.nextInt(3);
                if (rnd.nextBoolean()) {
                    long v = d.pio.read(port, size);
                    assertTrue(size == 8 || (v >>> (8 * size)) == 0, "value wider than the access");
                } else {
                    d.pio.write(port, size, rnd.nextLong());
                }
            }
        }
        assertTrue(Files.size(raw) == 256 * 512, "the image kept its size");
        assertTrue(d.irq.risingEdges() > 2_000, "commands ran (" + d.irq.risingEdges() + " interrupts)");
        assertTrue(memory.rejectedAccesses() == 0, "every DMA access was checked against RAM first");
        disk.close();
        cd.close();
    }

    /** Corrupted saved states are refused with an IOException or load into a device that still never throws. */
    @Test
    void corruptedStatesNeverBreakTheDevices() throws Exception {
        Path raw = dir.resolve("s.raw");
        Files.write(raw, new byte[64 * 512]);
        Path iso = dir.resolve("s.iso");
        Files.write(iso, new byte[16 * 2048]);
        IdeTestDriver src = new IdeTestDriver(new AtaDisk(new RawFileBackend(raw, false), "F", "M"),
                new AtapiCdrom(new RawFileBackend(iso, true), "C"));
        src.command28(0, 0x20, 3, 9, 0);
        src.readWords(300);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        src.channel.saveState(new java.io.DataOutputStream(b));
        byte[] good = b.toByteArray();
        IdeTestDriver d = new IdeTestDriver(new AtaDisk(new RawFileBackend(raw, false), "F", "M"),
                new AtapiCdrom(new RawFileBackend(iso, true), "C"));
        Random rnd = new Random(3);
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bad = good.clone();
            for (int k = 1 + rnd.nextInt(4); k > 0; k--) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
            try {
                d.channel.loadState(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bad)));
            } catch (java.io.IOException e) {
                refused++;
                d.channel.reset();
            }
            for (int j = 0; j < 50; j++) {
                if (rnd.nextBoolean()) d.pio.read(IdeTestDriver.BASE + rnd.nextInt(8), 1 << rnd.nextInt(3));
                else d.pio.write(IdeTestDriver.BASE + rnd.nextInt(8), 1 << rnd.nextInt(2), rnd.nextInt(256));
            }
            for (int j = 0; j < 600; j++) d.inw();
        }
        assertTrue(refused > 0, "some corruptions were caught");
    }
}
