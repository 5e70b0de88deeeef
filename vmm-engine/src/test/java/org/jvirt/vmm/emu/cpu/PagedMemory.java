package org.jvirt.vmm.emu.cpu;

/**
 * Test fake of what the core builds: linear accesses through an {@link AddressTranslator} when
 * CR0.PG is set, byte by byte (so page-crossing accesses translate each page).
 */
public final class PagedMemory implements LinearMemory {
    private final CpuState st;
    private final AddressTranslator mmu;
    private final PhysicalBus bus;

    public PagedMemory(CpuState st, AddressTranslator mmu, PhysicalBus bus) {
        this.st = st;
        this.mmu = mmu;
        this.bus = bus;
    }

    private long pa(long linear, int access, boolean user) {
        return (st.cr0 & CpuState.CR0_PG) != 0 ? mmu.translate(linear, access, user) : linear & 0xffffffffL;
    }

    private long read(long l, int n, boolean u) {
        // Translate every byte first so a fault leaves nothing half done.
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = v << 8 | bus.read8(pa(l + i, AddressTranslator.ACCESS_READ, u));
        return v;
    }

    private void write(long l, long v, int n, boolean u) {
        for (int i = 0; i < n; i++) pa(l + i, AddressTranslator.ACCESS_WRITE, u);
        for (int i = 0; i < n; i++) bus.write8(pa(l + i, AddressTranslator.ACCESS_WRITE, u), (int) (v >>> (8 * i)));
    }

    @Override public int read8(long l, boolean u) { return (int) read(l, 1, u); }
    @Override public int read16(long l, boolean u) { return (int) read(l, 2, u); }
    @Override public int read32(long l, boolean u) { return (int) read(l, 4, u); }
    @Override public long read64(long l, boolean u) { return read(l, 8, u); }
    @Override public void write8(long l, int v, boolean u) { write(l, v, 1, u); }
    @Override public void write16(long l, int v, boolean u) { write(l, v, 2, u); }
    @Override public void write32(long l, int v, boolean u) { write(l, v, 4, u); }
    @Override public void write64(long l, long v, boolean u) { write(l, v, 8, u); }
}
