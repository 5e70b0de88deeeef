package org.jvirt.vmm.emu.cpu;

/** Test fake: guest-physical memory as a byte array (little-endian), ports recorded. */
public class ArrayBus implements PhysicalBus {
    public final byte[] ram;
    public int lastOutPort = -1, lastOutValue;

    public ArrayBus(int size) { ram = new byte[size]; }

    @Override public int read8(long pa) { return pa < ram.length ? ram[(int) pa] & 0xff : 0xff; }
    @Override public int read16(long pa) { return read8(pa) | read8(pa + 1) << 8; }
    @Override public int read32(long pa) { return read16(pa) | read16(pa + 2) << 16; }
    @Override public long read64(long pa) { return (read32(pa) & 0xffffffffL) | (long) read32(pa + 4) << 32; }
    @Override public void write8(long pa, int v) { if (pa < ram.length) ram[(int) pa] = (byte) v; }
    @Override public void write16(long pa, int v) { write8(pa, v); write8(pa + 1, v >> 8); }
    @Override public void write32(long pa, int v) { write16(pa, v); write16(pa + 2, v >> 16); }
    @Override public void write64(long pa, long v) { write32(pa, (int) v); write32(pa + 4, (int) (v >>> 32)); }
    @Override public int in(int port, int size) { return -1; }
    @Override public void out(int port, int size, int value) { lastOutPort = port; lastOutValue = value; }
}
