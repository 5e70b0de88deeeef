package org.jvirt.vmm.emu.cpu;

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

    /** Port input of size 1, 2 or 4 bytes. */
    int in(int port, int size);

    void out(int port, int size, int value);

    /**
     * A version that changes whenever code the CPU may have decoded was written (a write to a
     * page the CPU registered with {@link #watchCode}); decoded-instruction caches compare it.
     */
    default long codeVersion() { return 0; }

    /** Asks to be told (through {@link #codeVersion}) when the 4 KiB page at pa is written. */
    default void watchCode(long pa) { }
}
