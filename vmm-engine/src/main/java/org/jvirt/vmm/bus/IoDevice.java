package org.jvirt.vmm.bus;

/**
 * A device on the port-I/O or MMIO bus. It sees only the offset inside the range it was
 * registered at, never the absolute address, and knows nothing of the CPU backend.
 * Values are little-endian in the low {@code size} bytes; size is 1, 2, 4 or 8.
 * Implementations must not allocate per access (this is the vCPU exit path).
 */
public interface IoDevice {
    long read(long offset, int size);
    void write(long offset, int size, long value);
}
