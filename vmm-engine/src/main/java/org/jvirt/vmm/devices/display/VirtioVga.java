package org.jvirt.vmm.devices.display;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.devices.virtio.VirtioPciDevice;
import org.jvirt.vmm.irq.MsiSink;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * QEMU's virtio-vga (hw/display/virtio-vga.c), what libvirt runs for a primary
 * {@code <model type='virtio'>}: one PCI function (1af4:1050, class 0x0300) that is a std VGA until
 * the guest's virtio-gpu driver sets a scanout, and the GPU from then until the next reset. BAR0
 * is the VGA's 8 MiB framebuffer (QEMU's vram_size_mb = 8), BAR2 holds the VGA's MMIO registers
 * at 0x400-0x607 (as the std VGA's BAR2) with the virtio structures after them from 0x1000, the
 * expansion ROM is SeaBIOS's vgabios-virtio, and the legacy VGA ports and the 0xa0000 window are
 * the VGA's. QEMU puts the MSI-X table in BAR4; here it sits in BAR2 behind the structures, where
 * the guest finds it through the capability like every other jvirt virtio function.
 */
public final class VirtioVga implements PciDevice, Snapshottable, Resettable, Display {
    public static final int VRAM = 8 << 20;
    /** Where the virtio structures start in BAR2: the VGA's registers take the first page. */
    static final int VIRTIO_BASE = 0x1000;

    private final StdVga vga;
    private final VirtioGpu gpu = VirtioGpu.forVga();
    private final VirtioPciDevice function;
    private final IoDevice romDevice;

    /** rom: the VGA BIOS (Debian's /usr/share/seabios/vgabios-virtio.bin), or null for none. */
    public VirtioVga(byte[] rom, GuestMemory memory, MsiSink msi) {
        vga = new StdVga(null, VRAM); // the VGA core: its registers, framebuffer and picture; its own config space is not used
        gpu.attachMemory(memory);
        function = new VirtioPciDevice(gpu, memory, msi, new VirtioPciDevice.Window(2, VIRTIO_BASE, vga.bar(2)));
        PciConfigSpace config = function.config();
        config.setSubsystem(StdVga.SUBSYSTEM_VENDOR, StdVga.SUBSYSTEM); // 1af4:1100, QEMU's for its modern-only virtio functions
        config.defineBar(0, PciConfigSpace.BarType.MEMORY32, VRAM);
        config.put32(PciConfigSpace.BAR0, config.get32(PciConfigSpace.BAR0) | 0x8); // prefetchable
        romDevice = OptionRom.attach(config, rom);
    }

    /** The virtio transport, for the GPU's I/O thread. */
    public VirtioPciDevice function() { return function; }

    /** The VGA's ports 0x3b0-0x3df, 0x1ce/0x1cf and the window 0xa0000-0xbffff. */
    public void attachLegacy(IoBus pio, IoBus mmio) {
        vga.attachLegacy(pio, mmio);
    }

    @Override public PciConfigSpace config() { return function.config(); }

    @Override
    public IoDevice bar(int index) {
        return index == 0 ? vga.bar(0) : function.bar(index);
    }

    @Override public IoDevice rom() { return romDevice; }

    @Override
    public void configWritten(int offset, int size) {
        function.configWritten(offset, size);
    }

    /** QEMU's virtio_vga_base_update_display: the GPU's scanout once enabled, else the VGA's picture. */
    @Override
    public Frame render() {
        return gpu.enabled() ? gpu.render() : vga.render();
    }

    /** virtio_vga_base_reset: the GPU (and its transport), then the VGA. */
    @Override
    public void reset() {
        function.reset();
        vga.reset();
    }

    @Override
    public void saveState(DataOutput out) throws IOException {
        function.saveState(out);
        vga.saveState(out);
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        function.loadState(in);
        vga.loadState(in);
    }
}
