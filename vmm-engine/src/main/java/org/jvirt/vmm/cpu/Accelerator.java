package org.jvirt.vmm.cpu;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.irq.InterruptLine;
import org.jvirt.vmm.ioevent.IoEvents;
import org.jvirt.vmm.irq.MsiSink;
import org.jvirt.vmm.memory.DirtyLog;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.platform.Platform;

/**
 * What the machine needs from a CPU backend: guest RAM attached, an interrupt controller whose
 * inputs devices drive, and vCPUs. KVM implements it (cpu.kvm); a Java emulator can later.
 */
public interface Accelerator extends AutoCloseable {

    /** Makes guest RAM visible to the vCPUs. */
    void attachMemory(MmapGuestMemory memory);

    /**
     * Maps image read-only at gpa (firmware ROM outside RAM, page-aligned size) so that the vCPUs
     * can read and execute it; their writes there go to the MMIO bus. The default does nothing:
     * a backend that fetches code through the MMIO bus (the emulator) reads the ROM device there.
     */
    default void mapReadOnly(long gpa, byte[] image) { }

    /**
     * Routes [gpa, gpa+length) (page-aligned) to the MMIO bus although guest RAM lies beneath:
     * the VGA's 0xa0000-0xbffff window. Called before the first vCPU is created. Returns false
     * when the backend cannot (the default: KVM keeps its RAM slot there, so the window's
     * device is not reached).
     */
    default boolean reserveMmio(long gpa, long length) { return false; }

    /** Which guest pages the vCPUs write, for the RAM attached last (off until enabled). */
    DirtyLog dirtyLog();

    /** vCPU index of vcpuCount, dispatching port I/O to pio and MMIO to mmio. */
    Vcpu createVcpu(int index, int vcpuCount, IoBus pio, IoBus mmio);

    /** The interrupt-controller input gsi (ISA IRQs 0..15 reach both PIC and IOAPIC). */
    InterruptLine interruptLine(int gsi);

    MsiSink msiSink();

    /** Binding guest notify writes to device doorbells without a vCPU exit, or null when unsupported. */
    default IoEvents ioEvents() { return null; }

    /**
     * The processor ID SMBIOS type 4 gives (QEMU's smbios_set_cpuid): CPUID leaf 1's EAX in the
     * low half and its static EDX feature bits (not the HTT bit the vCPU count sets) in the high
     * half; 0 when the backend does not know them.
     */
    default long processorId() { return 0; }

    /** The interrupt controllers, PIT and clock: reset, state export and import. */
    Platform platform();

    @Override
    void close();
}
