package org.jvirt.vmm.devices.ahci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.jvirt.vmm.block.RawFileBackend;
import org.jvirt.vmm.devices.ide.AtaDisk;
import org.jvirt.vmm.devices.ide.AtapiCdrom;
import org.jvirt.vmm.devices.ide.IdeDevice;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.junit.jupiter.api.Test;
import org.jvirt.vmm.testutil.QemuQtest;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same driver-side script against jvirt's AHCI and QEMU's ich9-ahci (pc machine, -device
 * ahci, vCPUs stopped, driven through qtest's MMIO and memory commands): registers after reset,
 * port start-up (the first D2H FIS, PxSIG, PxTFD), IDENTIFY, READ/WRITE DMA EXT, ATAPI INQUIRY,
 * READ CAPACITY and READ(10) of boot.iso by DMA and PIO, errors, software reset and COMRESET.
 * Port 0 holds a disk, port 1 the CD-ROM, port 2 nothing. Product strings are left out; lines
 * marked ~ are printed but not compared (deliberate differences, said where they are made).
 * Both sides are printed on stdout, line by line.
 */
class AhciQemuDifferentialTest {

    @TempDir Path dir;

    /** The HBA as a driver sees it: ABAR registers and guest memory. */
    interface Hba {
        void writel(int reg, int v);
        int readl(int reg);
        void memWrite(long gpa, byte[] data);
        byte[] memRead(long gpa, int len);
    }

    static final long ABAR = 0xFEBF_0000L;

    static final class QemuHba implements Hba, AutoCloseable {
        private final QemuQtest q;

        QemuHba(Path disk, Path iso) throws IOException {
            q = new QemuQtest("pc", "-m", "64",
                    "-device", "ahci,id=ahci,addr=5",
                    "-drive", "if=none,id=d0,file=" + disk + ",format=raw",
                    "-device", "ide-hd,bus=ahci.0,drive=d0",
                    "-drive", "if=none,id=c0,file=" + iso + ",media=cdrom,format=raw,readonly=on",
                    "-device", "ide-cd,bus=ahci.1,drive=c0");
            // as firmware would: BAR5 at ABAR, memory decoding and bus mastering on (00:05.0)
            q.cfgWrite(5, 0, 0x24, 4, ABAR);
            q.cfgWrite(5, 0, 0x04, 4, 0x6);
        }

        @Override public void writel(int reg, int v) { q.writel(ABAR + reg, v); }
        @Override public int readl(int reg) { return (int) q.readl(ABAR + reg); }
        @Override public void memWrite(long gpa, byte[] data) { q.memWrite(gpa, data); }
        @Override public byte[] memRead(long gpa, int len) { return q.memRead(gpa, len); }
        @Override public void close() { q.close(); }
    }

    static final class JvirtHba implements Hba, AutoCloseable {
        final HeapGuestMemory mem = new HeapGuestMemory(64 << 20);
        final AhciController hba;
        final AhciIoThread thread;

        JvirtHba(IdeDevice... drives) {
            hba = new AhciController(mem, (a, d) -> { }, drives);
            thread = AhciIoThread.start(hba, "ahci-test-io");
        }

        @Override public void writel(int reg, int v) { hba.bar(AhciController.ABAR).write(reg, 4, v & 0xFFFF_FFFFL); }
        @Override public int readl(int reg) { return (int) hba.bar(AhciController.ABAR).read(reg, 4); }
        @Override public void memWrite(long gpa, byte[] data) { mem.write(gpa, data, 0, data.length); }
        @Override public byte[] memRead(long gpa, int len) {
            byte[] b = new byte[len];
            mem.read(gpa, b, 0, len);
            return b;
        }
        @Override public void close() { thread.close(); }
    }

    static int port(int p, int reg) { return 0x100 + p * 0x80 + reg; }

    static final int CLB = 0x00, FB = 0x08, IS = 0x10, IE = 0x14, CMD = 0x18, TFD = 0x20, SIG = 0x24, SSTS = 0x28,
            SCTL = 0x2C, SERR = 0x30, SACT = 0x34, CI = 0x38;
    static final long LISTS = 0x100000, FISES = 0x110000, TABLES = 0x120000, DATA = 0x200000;

    static String regs(Hba h, int p) {
        return String.format("port %d: clb %08x fb %08x is %08x ie %08x cmd %08x tfd %08x sig %08x ssts %08x sctl %08x serr %08x sact %08x ci %08x",
                p, h.readl(port(p, CLB)), h.readl(port(p, FB)), h.readl(port(p, IS)), h.readl(port(p, IE)), h.readl(port(p, CMD)),
                h.readl(port(p, TFD)), h.readl(port(p, SIG)), h.readl(port(p, SSTS)), h.readl(port(p, SCTL)), h.readl(port(p, SERR)),
                h.readl(port(p, SACT)), h.readl(port(p, CI)));
    }

    static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

    /** One command in slot 0 of port p: FIS bytes (command, features, lba, count), ATAPI CDB or null, one PRD of len bytes. */
    static String command(Hba h, int p, int cmd, int feature, long lba, int count, int device, byte[] cdb, boolean write, int len) {
        byte[] table = new byte[0x80 + 16];
        table[0] = 0x27;
        table[1] = (byte) 0x80;
        table[2] = (byte) cmd;
        table[3] = (byte) feature;
        table[4] = (byte) lba; table[5] = (byte) (lba >> 8); table[6] = (byte) (lba >> 16);
        table[7] = (byte) device;
        table[8] = (byte) (lba >> 24); table[9] = (byte) (lba >> 32); table[10] = (byte) (lba >> 40);
        table[12] = (byte) count; table[13] = (byte) (count >> 8);
        if (cdb != null) System.arraycopy(cdb, 0, table, 0x40, cdb.length);
        long tbl = TABLES + p * 0x1000L;
        putLe32(table, 0x80, (int) (DATA + p * 0x100000L));
        putLe32(table, 0x8C, Math.max(len, 1) - 1);
        h.memWrite(tbl, table);
        byte[] header = new byte[32];
        putLe32(header, 0, 5 | (cdb != null ? 1 << 5 : 0) | (write ? 1 << 6 : 0) | 1 << 16);
        putLe32(header, 4, 0xDEAD);
        putLe32(header, 8, (int) tbl);
        h.memWrite(LISTS + p * 0x1000L, header);
        h.writel(port(p, CI), 1);
        // done when PxCI clears, or when the D2H FIS came (a failed command stays issued); not at the PIO Setup FIS,
        // which QEMU posts before the command ends (a wait that stopped there read the previous command's D2H FIS)
        for (int i = 0; i < 2000 && h.readl(port(p, CI)) != 0 && (h.readl(port(p, IS)) & 0x4000_0001) == 0; i++) sleep();
        byte[] d2h = h.memRead(FISES + p * 0x1000L + 0x40, 20);
        byte[] ps = h.memRead(FISES + p * 0x1000L + 0x20, 20);
        int isBits = h.readl(port(p, IS));
        String r = String.format("ci %08x is(DHRS,TFES) %08x tfd %08x prdbc %d d2h %s", h.readl(port(p, CI)), isBits & 0x4000_0001,
                h.readl(port(p, TFD)), le32(h.memRead(LISTS + p * 0x1000L + 4, 4), 0), hex(java.util.Arrays.copyOf(d2h, 14)).substring(4));
        // the PIO Setup FIS (PxIS.PSS) of a command that moved data by PIO: its last block's status, registers, length
        r += String.format(" pss %b psfis %s", (isBits & 2) != 0, (isBits & 2) != 0 ? hex(java.util.Arrays.copyOf(ps, 18)).substring(4) : "-");
        h.writel(port(p, IS), isBits);
        h.memWrite(FISES + p * 0x1000L + 0x20, new byte[20]);
        return r;
    }

    static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] data(Hba h, int p, int len) { return h.memRead(DATA + p * 0x100000L, len); }

    static String hash(byte[] b) { return Integer.toHexString(java.util.Arrays.hashCode(b)); }

    static void putLe32(byte[] b, int at, int v) {
        b[at] = (byte) v; b[at + 1] = (byte) (v >> 8); b[at + 2] = (byte) (v >> 16); b[at + 3] = (byte) (v >> 24);
    }

    static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | b[at + 3] << 24;
    }

    static int word(byte[] b, int w) { return (b[2 * w] & 0xFF) | (b[2 * w + 1] & 0xFF) << 8; }

    static byte[] cdb(int... v) {
        byte[] b = new byte[12];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    static List<String> script(Hba h) {
        List<String> t = new ArrayList<>();
        t.add(String.format("hba: cap %08x ghc %08x is %08x pi %08x vs %08x cap2 %08x", h.readl(0), h.readl(4), h.readl(8),
                h.readl(0xC), h.readl(0x10), h.readl(0x24)));
        for (int p = 0; p < 3; p++) t.add("reset " + regs(h, p));
        h.writel(4, 0x8000_0000);
        for (int p = 0; p < 3; p++) {
            h.writel(port(p, CLB), (int) (LISTS + p * 0x1000L));
            h.writel(port(p, FB), (int) (FISES + p * 0x1000L));
            h.writel(port(p, CMD), h.readl(port(p, CMD)) | 0x10); // FRE: the device's first D2H FIS arrives
            t.add("fis receive on " + regs(h, p) + " d2h " + hex(h.memRead(FISES + p * 0x1000L + 0x40, 14)).substring(4));
            h.writel(port(p, SERR), -1);
            h.writel(port(p, IS), -1);
            h.writel(port(p, CMD), h.readl(port(p, CMD)) | 0x1); // ST
            t.add("started " + regs(h, p));
        }
        t.add(String.format("hba is %08x", h.readl(8)));

        // Disk, port 0.
        t.add("identify packet on a disk: " + command(h, 0, 0xA1, 0, 0, 0, 0, null, false, 512));
        t.add("identify: " + command(h, 0, 0xEC, 0, 0, 0, 0, null, false, 512));
        byte[] id = data(h, 0, 512);
        t.add(String.format("identify words 0=%04x 1=%d 3=%d 6=%d 49=%04x 60-61=%d 63=%02x 83-lba48=%b 88=%02x 100-103=%d",
                word(id, 0), word(id, 1), word(id, 3), word(id, 6), word(id, 49) & 0x0F00, word(id, 60) | word(id, 61) << 16,
                word(id, 63) & 0xFF, (word(id, 83) & 0x400) != 0, word(id, 88) & 0xFF, (long) word(id, 100) | (long) word(id, 101) << 16));
        t.add("set udma5: " + command(h, 0, 0xEF, 0x03, 0, 0x45, 0, null, false, 512));
        t.add("read dma ext: " + command(h, 0, 0x25, 0, 3, 5, 0x40, null, false, 5 * 512) + " data " + hash(data(h, 0, 5 * 512)));
        byte[] pattern = new byte[1024];
        for (int i = 0; i < pattern.length; i++) pattern[i] = (byte) (i * 7 + 3);
        h.memWrite(DATA, pattern);
        t.add("write dma ext: " + command(h, 0, 0x35, 0, 0x1234, 2, 0x40, null, true, 1024));
        h.memWrite(DATA, new byte[1024]);
        t.add("read dma back: " + command(h, 0, 0xC8, 0, 0x1234, 2, 0x40, null, false, 1024) + " same " + java.util.Arrays.equals(pattern, data(h, 0, 1024)));
        t.add("read sectors (pio): " + command(h, 0, 0x20, 0, 9, 2, 0x40, null, false, 1024) + " data " + hash(data(h, 0, 1024)));
        // Deliberate: past the end jvirt says IDNF (ATA-7), QEMU aborts (as over IDE)
        t.add("~read past the end: " + command(h, 0, 0x25, 0, 0x100000, 1, 0x40, null, false, 512));
        t.add("flush: " + command(h, 0, 0xE7, 0, 0, 0, 0, null, false, 0));

        // CD-ROM, port 1.
        t.add("identify on a cdrom: " + command(h, 1, 0xEC, 0, 0, 0, 0, null, false, 512));
        t.add("identify packet: " + command(h, 1, 0xA1, 0, 0, 0, 0, null, false, 512)
                + String.format(" word0 %04x", word(data(h, 1, 512), 0)));
        t.add("tur: " + command(h, 1, 0xA0, 1, 0, 0, 0, cdb(0x00), false, 0));
        t.add("inquiry dma: " + command(h, 1, 0xA0, 1, 0, 0, 0, cdb(0x12, 0, 0, 0, 36), false, 36)
                + " data " + hex(java.util.Arrays.copyOf(data(h, 1, 36), 8)));
        t.add("read capacity dma: " + command(h, 1, 0xA0, 1, 0, 0, 0, cdb(0x25), false, 8) + " data " + hex(data(h, 1, 8)));
        t.add("read(10) dma: " + command(h, 1, 0xA0, 1, 0, 0, 0, cdb(0x28, 0, 0, 0, 0, 16, 0, 0, 2), false, 4096)
                + " data " + hash(data(h, 1, 4096)));
        t.add("inquiry pio: " + command(h, 1, 0xA0, 0, 36 << 8, 0, 0, cdb(0x12, 0, 0, 0, 36), false, 36)
                + " data " + hex(java.util.Arrays.copyOf(data(h, 1, 36), 8)));
        t.add("read(10) out of range: " + command(h, 1, 0xA0, 1, 0, 0, 0, cdb(0x28, 0, 0x7F, 0, 0, 0, 0, 0, 1), false, 2048));
        t.add("sense dma: " + command(h, 1, 0xA0, 1, 0, 0, 0, cdb(0x03, 0, 0, 0, 18), false, 18) + " data " + hex(data(h, 1, 18)));

        // Software reset of the disk through control FISes (SRST set, then cleared), then COMRESET.
        byte[] control = new byte[0x80];
        control[0] = 0x27;
        control[15] = 0x04;
        for (int srst : new int[] {0x04, 0x00}) {
            control[15] = (byte) srst;
            h.memWrite(TABLES, control);
            byte[] header = new byte[32];
            putLe32(header, 0, 5);
            putLe32(header, 8, (int) TABLES);
            h.memWrite(LISTS, header);
            h.writel(port(0, CI), 1);
            for (int i = 0; i < 50 && h.readl(port(0, CI)) != 0; i++) sleep(); // SRST set: no FIS, the slot stays issued
            t.add(String.format("control fis srst=%d: ", srst >> 2) + regs(h, 0));
            h.writel(port(0, IS), -1);
        }
        h.writel(port(1, SCTL), 1);
        t.add("comreset asserted " + regs(h, 1));
        h.writel(port(1, SCTL), 0);
        t.add("comreset released " + regs(h, 1) + " d2h " + hex(h.memRead(FISES + 0x1000 + 0x40, 14)).substring(4));
        h.writel(4, 1); // HBA reset
        t.add(String.format("hba reset: ghc %08x is %08x", h.readl(4), h.readl(8)));
        for (int p = 0; p < 2; p++) t.add("after hba reset " + regs(h, p));
        return t;
    }

    @Test
    void jvirtAnswersAsQemuDoes() throws Exception {
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: qemu-system-x86_64 not installed");
        Path iso = Path.of("..", "test-fixtures", "target", "linux", "boot.iso").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(iso), "skipped: " + iso + " is not built (build test-fixtures first)");
        byte[] disk = new byte[4 << 20];
        new java.util.Random(7).nextBytes(disk);
        Path qemuDisk = dir.resolve("q.raw"), jvirtDisk = dir.resolve("j.raw");
        Files.write(qemuDisk, disk);
        Files.write(jvirtDisk, disk);

        List<String> qemu;
        try (QemuHba q = new QemuHba(qemuDisk, iso)) {
            qemu = script(q);
        }
        List<String> jvirt;
        try (JvirtHba j = new JvirtHba(new AtaDisk(new RawFileBackend(jvirtDisk, false), "S", "M"),
                new AtapiCdrom(new RawFileBackend(iso, true), "C"))) {
            jvirt = script(j);
        }
        StringBuilder diff = new StringBuilder();
        for (int i = 0; i < Math.max(qemu.size(), jvirt.size()); i++) {
            String a = i < qemu.size() ? qemu.get(i) : "-", b = i < jvirt.size() ? jvirt.get(i) : "-";
            System.out.println(" qemu:  " + a + "\n jvirt: " + b);
            if (!a.startsWith("~") && !a.equals(b)) diff.append("\n qemu:  ").append(a).append("\n jvirt: ").append(b);
        }
        assertEquals("", diff.toString(), "observations that differ");
    }
}
