package org.jvirt.vmm.emu.fpu;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.LinearMemory;

/** A flat little-endian byte array as linear memory; an access outside it is a #PF. */
final class TestMemory implements LinearMemory {
    final byte[] bytes;

    TestMemory(int size) {
        bytes = new byte[size];
    }

    private int at(long a, int n) {
        if (a < 0 || a + n > bytes.length) throw CpuFault.pageFault(0);
        return (int) a;
    }

    @Override public int read8(long a, boolean user) { return bytes[at(a, 1)] & 0xff; }

    @Override public int read16(long a, boolean user) { int i = at(a, 2); return (bytes[i] & 0xff) | (bytes[i + 1] & 0xff) << 8; }

    @Override public int read32(long a, boolean user) { at(a, 4); return read16(a, user) | read16(a + 2, user) << 16; }

    @Override public long read64(long a, boolean user) { at(a, 8); return (read32(a, user) & 0xffffffffL) | (long) read32(a + 4, user) << 32; }

    @Override public void write8(long a, int v, boolean user) { bytes[at(a, 1)] = (byte) v; }

    @Override public void write16(long a, int v, boolean user) { at(a, 2); write8(a, v, user); write8(a + 1, v >> 8, user); }

    @Override public void write32(long a, int v, boolean user) { at(a, 4); write16(a, v, user); write16(a + 2, v >>> 16, user); }

    @Override public void write64(long a, long v, boolean user) { at(a, 8); write32(a, (int) v, user); write32(a + 4, (int) (v >>> 32), user); }
}
