package org.jvirt.vmm.devices.ahci;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * A minimal AHCI driver for the tests: per port a command list, a received-FIS area, one
 * command table and a data buffer in guest RAM; one command at a time in slot 0 with one PRD.
 * After PxCI is written, process runs the commands (the controller's runIssued, or a wait for
 * the I/O thread), then the driver polls PxCI.
 */
final class AhciTestDriver {
    static final int CLB = 0x00, FB = 0x08, IS = 0x10, IE = 0x14, CMD = 0x18, TFD = 0x20, SIG = 0x24, CI = 0x38;
    static final long LISTS = 0x10000, FISES = 0x20000, TABLES = 0x30000, DATA = 0x40000;

    final GuestMemory mem;
    final IoDevice abar;
    private final Runnable process;

    AhciTestDriver(GuestMemory mem, IoDevice abar, Runnable process) {
        this.mem = mem;
        this.abar = abar;
        this.process = process;
    }

    static int reg(int port, int r) { return 0x100 + port * 0x80 + r; }

    int read(int offset) { return (int) abar.read(offset, 4); }

    void write(int offset, int v) { abar.write(offset, 4, v & 0xFFFF_FFFFL); }

    /** Command list and FIS areas, FIS receive and the command engine on, interrupt status cleared. */
    void start(int port) {
        write(reg(port, CLB), (int) (LISTS + port * 0x1000L));
        write(reg(port, FB), (int) (FISES + port * 0x1000L));
        write(reg(port, CMD), 0x16 | 0x01);
        write(reg(port, IS), -1);
    }

    /** Runs a command; returns PxTFD afterwards (error << 8 | status). */
    int command(int port, int cmd, int feature, long lba, int count, byte[] cdb, boolean write, int len) {
        long table = TABLES + port * 0x1000L;
        byte[] t = new byte[0x90];
        t[0] = 0x27;
        t[1] = (byte) 0x80;
        t[2] = (byte) cmd;
        t[3] = (byte) feature;
        t[4] = (byte) lba; t[5] = (byte) (lba >> 8); t[6] = (byte) (lba >> 16);
        t[7] = 0x40;
        t[8] = (byte) (lba >> 24);
        t[12] = (byte) count; t[13] = (byte) (count >> 8);
        if (cdb != null) System.arraycopy(cdb, 0, t, 0x40, cdb.length);
        mem.write(table, t, 0, t.length);
        mem.writeInt(table + 0x80, (int) data(port));
        mem.writeInt(table + 0x8C, Math.max(len, 1) - 1);
        long header = LISTS + port * 0x1000L;
        mem.writeInt(header, 5 | (cdb != null ? 1 << 5 : 0) | (write ? 1 << 6 : 0) | 1 << 16);
        mem.writeInt(header + 4, 0);
        mem.writeInt(header + 8, (int) table);
        mem.writeInt(header + 12, 0);
        write(reg(port, CI), 1);
        process.run();
        return read(reg(port, TFD));
    }

    static long data(int port) { return DATA + port * 0x10000L; }

    byte[] data(int port, int len) {
        byte[] b = new byte[len];
        mem.read(data(port), b, 0, len);
        return b;
    }

    int transferred(int port) { return mem.readInt(LISTS + port * 0x1000L + 4); }
}
