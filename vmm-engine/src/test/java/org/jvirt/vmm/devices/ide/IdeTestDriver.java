package org.jvirt.vmm.devices.ide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.testutil.RecordingInterruptLine;

/**
 * A guest-side IDE driver for tests: reaches a channel only through the legacy ports on an I/O
 * bus (primary: 0x1F0-0x1F7, 0x3F6), polling the status register the way SeaBIOS's ata.c does.
 */
final class IdeTestDriver {
    static final int BASE = IdeChannel.PRIMARY_COMMAND_PORT, CONTROL = IdeChannel.PRIMARY_CONTROL_PORT;
    static final int DATA = 0, ERROR = 1, FEATURE = 1, COUNT = 2, LBA_LOW = 3, LBA_MID = 4, LBA_HIGH = 5,
            DEVICE = 6, STATUS = 7, COMMAND = 7;
    static final int BSY = 0x80, DRDY = 0x40, DRQ = 0x08, ERR = 0x01;

    final RecordingInterruptLine irq = new RecordingInterruptLine();
    final IdeChannel channel;
    final IoBus pio = new IoBus("pio");

    /** Where the bus master's 8 ports are, on a channel that has one (QEMU's pc, through SeaBIOS: BAR4 0xC040). */
    static final int BUS_MASTER = 0xC040;

    IdeTestDriver(IdeDevice master, IdeDevice slave) {
        this(master, slave, null);
    }

    /** With memory, the channel has a bus master at {@link #BUS_MASTER}. */
    IdeTestDriver(IdeDevice master, IdeDevice slave, org.jvirt.vmm.memory.GuestMemory memory) {
        channel = new IdeChannel(irq, master, slave, memory);
        pio.register(BASE, IdeChannel.COMMAND_BLOCK_LENGTH, channel.commandBlock());
        pio.register(CONTROL, IdeChannel.CONTROL_BLOCK_LENGTH, channel.controlBlock());
        if (memory != null) pio.register(BUS_MASTER, BusMasterDma.PORTS, channel.busMaster());
    }

    void outb(int reg, int v) { pio.write(BASE + reg, 1, v); }
    int inb(int reg) { return (int) pio.read(BASE + reg, 1); }
    int inw() { return (int) pio.read(BASE + DATA, 2); }
    void outw(int v) { pio.write(BASE + DATA, 2, v); }
    int altStatus() { return (int) pio.read(CONTROL, 1); }
    void deviceControl(int v) { pio.write(CONTROL, 1, v); }

    void select(int dev, int lbaBits) { outb(DEVICE, 0xA0 | lbaBits | (dev << 4)); }

    /** SRST pulse as ata_piix's softreset does it. */
    void softReset() {
        deviceControl(0x04);
        assertEquals(BSY, altStatus() & BSY, "busy while SRST is set");
        deviceControl(0x00);
    }

    /** Command in the 28-bit registers with LBA addressing. */
    void command28(int dev, int cmd, long lba, int count, int feature) {
        select(dev, 0x40 | (int) (lba >>> 24) & 0x0F);
        outb(FEATURE, feature);
        outb(COUNT, count);
        outb(LBA_LOW, (int) lba);
        outb(LBA_MID, (int) (lba >>> 8));
        outb(LBA_HIGH, (int) (lba >>> 16));
        outb(COMMAND, cmd);
    }

    /** Command in the 48-bit registers: high bytes first, as Linux's ata_sff_tf_load writes them. */
    void command48(int dev, int cmd, long lba, int count) {
        select(dev, 0x40);
        outb(COUNT, count >>> 8);
        outb(LBA_LOW, (int) (lba >>> 24));
        outb(LBA_MID, (int) (lba >>> 32));
        outb(LBA_HIGH, (int) (lba >>> 40));
        outb(COUNT, count);
        outb(LBA_LOW, (int) lba);
        outb(LBA_MID, (int) (lba >>> 8));
        outb(LBA_HIGH, (int) (lba >>> 16));
        outb(COMMAND, cmd);
    }

    /** Reads words*2 bytes from the data port. */
    byte[] readWords(int words) {
        byte[] b = new byte[words * 2];
        for (int i = 0; i < words; i++) {
            int w = inw();
            b[2 * i] = (byte) w;
            b[2 * i + 1] = (byte) (w >>> 8);
        }
        return b;
    }

    void writeWords(byte[] b, int off, int words) {
        for (int i = 0; i < words; i++) outw((b[off + 2 * i] & 0xFF) | (b[off + 2 * i + 1] & 0xFF) << 8);
    }

    /** IDENTIFY (PACKET) DEVICE: its 512 bytes. */
    byte[] identify(int dev, int cmd) {
        command28(dev, cmd, 0, 0, 0);
        int st = inb(STATUS);
        assertEquals(DRQ, st & (BSY | DRQ | ERR), "identify data ready: status " + Integer.toHexString(st));
        byte[] data = readWords(256);
        assertEquals(0, inb(STATUS) & (DRQ | BSY | ERR));
        return data;
    }

    /** PIO data-in of count sectors, blockSectors per DRQ block; checks the interrupt of every block. */
    byte[] pioIn(int sectors, int blockSectors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int left = sectors;
        while (left > 0) {
            assertTrue(irq.level(), "interrupt with the block");
            int st = inb(STATUS);
            assertEquals(DRQ, st & (BSY | DRQ | ERR), "block ready: status " + Integer.toHexString(st));
            assertTrue(!irq.level(), "status read acknowledged the interrupt");
            int n = Math.min(left, blockSectors);
            out.writeBytes(readWords(n * 256));
            left -= n;
        }
        assertEquals(DRDY, inb(STATUS) & (BSY | DRDY | DRQ | ERR), "done");
        return out.toByteArray();
    }

    /** PIO data-out: the first block without an interrupt, each later one and the end with one. */
    void pioOut(byte[] data, int blockSectors) {
        int sectors = data.length / 512, done = 0;
        while (done < sectors) {
            int st = inb(STATUS);
            assertEquals(DRQ, st & (BSY | DRQ | ERR), "ready for data: status " + Integer.toHexString(st));
            int n = Math.min(sectors - done, blockSectors);
            writeWords(data, done * 512, n * 256);
            done += n;
            assertTrue(irq.level(), "interrupt after the block");
        }
        assertEquals(DRDY, inb(STATUS) & (BSY | DRDY | DRQ | ERR), "written");
    }

    /** The outcome of a PACKET command: final status, error register, the data the drive sent. */
    record PacketResult(int status, int error, byte[] data) {
        int senseKey() { return error >>> 4; }
        boolean checkCondition() { return (status & ERR) != 0; }
    }

    /** PACKET with a 12-byte CDB and a byte count limit; reads every DRQ block the drive offers. */
    PacketResult packet(int dev, byte[] cdb, int byteCountLimit) {
        select(dev, 0);
        outb(FEATURE, 0);
        outb(LBA_MID, byteCountLimit);
        outb(LBA_HIGH, byteCountLimit >>> 8);
        outb(COMMAND, 0xA0);
        int st = inb(STATUS);
        if ((st & ERR) != 0) return new PacketResult(st, inb(ERROR), new byte[0]);
        assertEquals(DRQ, st & (BSY | DRQ), "ready for the packet");
        assertEquals(1, inb(COUNT) & 3, "interrupt reason: command out");
        byte[] padded = java.util.Arrays.copyOf(cdb, 12);
        writeWords(padded, 0, 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            assertTrue(irq.level(), "interrupt at each phase");
            st = inb(STATUS);
            int reason = inb(COUNT) & 3;
            if ((st & DRQ) == 0) {
                assertEquals(3, reason, "interrupt reason: status");
                return new PacketResult(st, inb(ERROR), out.toByteArray());
            }
            assertEquals(2, reason, "interrupt reason: data in");
            int n = inb(LBA_MID) | inb(LBA_HIGH) << 8;
            int limit = byteCountLimit == 0 ? 0xFFFE : Math.max(2, byteCountLimit & ~1);
            assertTrue(n > 0 && n <= limit, "block of " + n + " within the limit");
            byte[] words = readWords((n + 1) / 2);
            out.write(words, 0, n);
        }
    }

    static int word(byte[] identify, int i) { return (identify[2 * i] & 0xFF) | (identify[2 * i + 1] & 0xFF) << 8; }

    /** An ATA string out of IDENTIFY data (byte-swapped words), trailing spaces removed. */
    static String ataString(byte[] identify, int index, int words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            int w = word(identify, index + i);
            sb.append((char) (w >>> 8)).append((char) (w & 0xFF));
        }
        return sb.toString().stripTrailing();
    }
}
