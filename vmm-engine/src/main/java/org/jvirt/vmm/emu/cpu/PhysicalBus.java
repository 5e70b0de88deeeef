package org.jvirt.vmm.emu.cpu;

import java.nio.ByteBuffer;

/**
 * What the CPU reaches below the MMU: guest-physical memory (RAM fast path, MMIO devices
 * elsewhere) and the port-I/O space. Values are little-endian in the low bytes. Addresses
 * outside RAM and every device read as all ones and ignore writes, as on a PC bus. The
 * emulator's machine wires this to {@code GuestMemory} and the shared {@code IoBus}es.
 */
public interface PhysicalBus {
    int read8(long pa);
    int read16(long pa);
    int read32(long pa);
    long read64(long pa);

    void write8(long pa, int value);
    void write16(long pa, int value);
    void write32(long pa, int value);
    void write64(long pa, long value);

    /**
     * The store of a locked read-modify-write (LOCK prefix, XCHG with memory): writes the low
     * size bytes of value at pa only if they still hold expected (the operand the instruction
     * read), atomically against every other store to RAM, plain ones of other vCPUs included;
     * false (nothing written) when they changed, and the CPU then runs the instruction again.
     * Holding the bus lock alone is not enough: another vCPU's plain MOV (a spinlock's release)
     * takes no lock, and a write-back of a stale operand would undo it. This default, for buses
     * with a single CPU or no RAM, just stores.
     */
    default boolean compareAndSet(long pa, int size, long expected, long value) {
        switch (size) {
            case 1 -> write8(pa, (int) value & 0xff);
            case 2 -> write16(pa, (int) value & 0xffff);
            case 4 -> write32(pa, (int) value);
            default -> write64(pa, value);
        }
        return true;
    }

    /** Port input of size 1, 2 or 4 bytes. */
    int in(int port, int size);

    void out(int port, int size, int value);

    /**
     * A version that changes whenever code the CPU may have decoded was written (a write to a
     * page the CPU registered with {@link #watchCode}); decoded-instruction caches compare it.
     */
    default long codeVersion() { return 0; }

    /**
     * A version of the 4 KiB page holding pa alone: changes whenever that page is written while
     * watched. Caches of decoded code key on it, so a store to one page leaves code decoded from
     * every other page valid. A bus without per-page versions answers its global one.
     */
    default long codeVersion(long pa) { return codeVersion(); }

    /** Asks to be told (through {@link #codeVersion}) when the 4 KiB page at pa is written. */
    default void watchCode(long pa) { }

    /**
     * The little-endian RAM buffer that holds the whole 4 KiB page at the page-aligned pagePa,
     * or null when the page is not plain RAM of this bus (MMIO, the local APIC window, a bus
     * without host buffers). The CPU's {@link HostPageCache} then loads and stores there
     * directly, at {@link #ramViewOffset}, and reports each store with {@link #noteCpuWrite}.
     */
    default ByteBuffer ramView(long pagePa) { return null; }

    /** Where the page at pagePa starts in its {@link #ramView} (only when that is not null). */
    default int ramViewOffset(long pagePa) { return 0; }

    /** The CPU stored to RAM at pa through a {@link #ramView}: code watch and dirty log hear of it. */
    default void noteCpuWrite(long pa) { }
}
