package org.jvirt.vmm.emu.cpu;

/** Test fake: linear = physical (paging off), over an {@link ArrayBus}; linear addresses wrap at 4 GiB unless 64-bit. */
public final class FlatMemory implements LinearMemory {
    private final ArrayBus bus;

    public FlatMemory(ArrayBus bus) { this.bus = bus; }

    @Override public int read8(long l, boolean u) { return bus.read8(l); }
    @Override public int read16(long l, boolean u) { return bus.read16(l); }
    @Override public int read32(long l, boolean u) { return bus.read32(l); }
    @Override public long read64(long l, boolean u) { return bus.read64(l); }
    @Override public void write8(long l, int v, boolean u) { bus.write8(l, v); }
    @Override public void write16(long l, int v, boolean u) { bus.write16(l, v); }
    @Override public void write32(long l, int v, boolean u) { bus.write32(l, v); }
    @Override public void write64(long l, long v, boolean u) { bus.write64(l, v); }
}
