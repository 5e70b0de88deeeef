package org.jvirt.vmm.emu;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.cpu.Accelerator;
import org.jvirt.vmm.cpu.Vcpu;
import org.jvirt.vmm.emu.platform.EmuPlatform;
import org.jvirt.vmm.irq.InterruptLine;
import org.jvirt.vmm.irq.MsiSink;
import org.jvirt.vmm.memory.DirtyLog;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.platform.Platform;

/**
 * The pure-Java CPU backend (emu/package-info.java): an {@link EmuPlatform} with the chips KVM
 * keeps in the kernel, one {@link EmuPhysicalBus} over guest RAM and the machine's buses shared
 * by all vCPUs, and {@link EmuVcpu}s. The platform's timer thread drives the PIT and LAPIC timers.
 */
public final class EmuAccelerator implements Accelerator {
    private final EmuPlatform platform;
    private MmapGuestMemory memory;
    private EmuDirtyLog dirtyLog;
    private EmuPhysicalBus bus;
    private IoBus pio, mmio;
    /** The device window over RAM ({@link #reserveMmio}), or empty. */
    private long holeStart, holeEnd;

    private EmuAccelerator(int vcpuCount) {
        platform = new EmuPlatform(vcpuCount);
    }

    /** An emulator for vcpuCount vCPUs (its platform exists at once: devices take interrupt lines before any vCPU). */
    public static EmuAccelerator create(int vcpuCount) {
        return new EmuAccelerator(vcpuCount);
    }

    @Override
    public void attachMemory(MmapGuestMemory memory) {
        if (bus != null) throw new IllegalStateException("the emulator's bus is built: memory cannot change");
        this.memory = memory;
        dirtyLog = new EmuDirtyLog(memory);
    }

    @Override
    public synchronized boolean reserveMmio(long gpa, long length) {
        if (bus != null) throw new IllegalStateException("the emulator's bus is built: the MMIO window cannot change");
        if (holeEnd > holeStart) throw new IllegalStateException("one MMIO window over RAM only");
        holeStart = gpa;
        holeEnd = gpa + length;
        return true;
    }

    @Override
    public DirtyLog dirtyLog() {
        if (dirtyLog == null) throw new IllegalStateException("no guest RAM attached");
        return dirtyLog;
    }

    @Override
    public long processorId() { return org.jvirt.vmm.emu.cpu.system.X86SystemUnit.processorId(); }

    @Override
    public synchronized Vcpu createVcpu(int index, int vcpuCount, IoBus pio, IoBus mmio) {
        if (memory == null) throw new IllegalStateException("attach guest RAM before creating vCPUs");
        if (vcpuCount != platform.vcpuCount()) {
            throw new IllegalArgumentException(vcpuCount + " vCPUs on a platform built for " + platform.vcpuCount());
        }
        if (bus == null) {
            this.pio = pio;
            this.mmio = mmio;
            bus = new EmuPhysicalBus(memory, mmio, pio, dirtyLog, holeStart, holeEnd);
            memory.setWriteListener(bus::noteExternalWrite);
            platform.registerDevices(pio, mmio);
            platform.startTimerThread();
        } else if (pio != this.pio || mmio != this.mmio) {
            throw new IllegalArgumentException("every vCPU of the emulator shares one pair of buses");
        }
        return new EmuVcpu(index, bus, platform);
    }

    @Override
    public InterruptLine interruptLine(int gsi) { return platform.interruptLine(gsi); }

    @Override
    public MsiSink msiSink() { return platform.msiSink(); }

    @Override
    public Platform platform() { return platform; }

    @Override
    public void close() {
        platform.close();
        if (memory != null && bus != null) memory.setWriteListener(null);
    }
}
