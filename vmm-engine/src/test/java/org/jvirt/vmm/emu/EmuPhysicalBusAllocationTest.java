package org.jvirt.vmm.emu;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bus is on every emulated memory access: RAM, MMIO, split and code-watch paths allocate nothing once warm. */
class EmuPhysicalBusAllocationTest {

    @Test
    void accessesAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (MmapGuestMemory m = MmapGuestMemory.x86(8L << 20)) {
            EmuPhysicalBus bus = new EmuPhysicalBus(m, new IoBus("mmio"), new IoBus("pio"));
            bus.dirtyLog().enable();
            long sum = 0, allocated = -1;
            for (int round = 0; round < 4 && allocated != 0; round++) { // the first rounds warm up the JIT
                long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (int i = 0; i < 500_000; i++) {
                    long pa = ((long) i * 8) & ((4L << 20) - 1);
                    bus.write64(pa, i);
                    bus.watchCode(pa);
                    bus.write16(pa + 4095, i);                      // sometimes across a page
                    sum += bus.read64(pa) + bus.read32(0xfec00000L); // RAM, unclaimed MMIO
                    sum += bus.read16((8L << 20) - 1);              // split at the end of RAM
                    sum += bus.in(0x80, 1);
                }
                allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            }
            assertEquals(0, allocated, "bytes allocated by 500k rounds of accesses (checksum " + sum + ")");
        }
    }
}
