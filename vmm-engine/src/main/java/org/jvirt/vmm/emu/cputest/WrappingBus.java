package org.jvirt.vmm.emu.cputest;

import org.jvirt.vmm.emu.cpu.PhysicalBus;

/**
 * A flat RAM bus for single-instruction tests: 2^bits bytes, addresses wrap (24 bits for the
 * 80286), ports read as all ones and ignore writes. It remembers which bytes were touched so
 * that clearing between tests costs only what the test wrote.
 */
final class WrappingBus implements PhysicalBus {
    private final byte[] ram;
    private final int mask;
    private int[] touched = new int[256];
    private int touchedCount;
    /** 4 KiB pages the CPU decoded code from; a write to one bumps the code version. */
    private final boolean[] watched;
    private long codeVersion;

    WrappingBus(int bits) {
        ram = new byte[1 << bits];
        mask = (1 << bits) - 1;
        watched = new boolean[1 << Math.max(0, bits - 12)];
    }

    void clear() {
        for (int i = 0; i < touchedCount; i++) {
            ram[touched[i]] = 0;
            if (watched[touched[i] >>> 12]) codeVersion++;
        }
        touchedCount = 0;
    }

    void poke(long pa, int v) {
        int a = (int) pa & mask;
        touch(a);
        ram[a] = (byte) v;
        if (watched[a >>> 12]) codeVersion++;
    }

    @Override public long codeVersion() { return codeVersion; }

    @Override public void watchCode(long pa) { watched[((int) pa & mask) >>> 12] = true; }

    int peek(long pa) { return ram[(int) pa & mask] & 0xff; }

    private void touch(int a) {
        if (touchedCount == touched.length) touched = java.util.Arrays.copyOf(touched, touched.length * 2);
        touched[touchedCount++] = a;
    }

    @Override public int read8(long pa) { return ram[(int) pa & mask] & 0xff; }
    @Override public int read16(long pa) { return read8(pa) | read8(pa + 1) << 8; }
    @Override public int read32(long pa) { return read16(pa) | read16(pa + 2) << 16; }
    @Override public long read64(long pa) { return (read32(pa) & 0xffffffffL) | (long) read32(pa + 4) << 32; }
    @Override public void write8(long pa, int v) { poke(pa, v); }
    @Override public void write16(long pa, int v) { poke(pa, v); poke(pa + 1, v >> 8); }
    @Override public void write32(long pa, int v) { write16(pa, v); write16(pa + 2, v >>> 16); }
    @Override public void write64(long pa, long v) { write32(pa, (int) v); write32(pa + 4, (int) (v >>> 32)); }
    @Override public int in(int port, int size) { return size == 1 ? 0xff : size == 2 ? 0xffff : -1; }
    @Override public void out(int port, int size, int value) { }
}
