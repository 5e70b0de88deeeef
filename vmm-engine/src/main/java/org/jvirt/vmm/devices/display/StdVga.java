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

/**
 * QEMU's "VGA" PCI device (-vga std): 1234:1111, class 0x0300, BAR0 the prefetchable linear
 * framebuffer over all of VRAM (16 MiB by default, QEMU's vgamem_mb=16), BAR2 the 4 KiB MMIO
 * window ({@link VgaMmioBar}), the VGA BIOS as the expansion ROM (SeaBIOS runs a display
 * class device's ROM first), plus the legacy ports and the 0xa0000 window it claims on the ISA
 * side ({@link #attachLegacy}). All register state is guarded by this object; framebuffer
 * bytes are read and written without it (a torn pixel is what real hardware shows too).
 */
public final class StdVga implements PciDevice, Snapshottable, Resettable, Display {
    public static final int VENDOR = 0x1234, DEVICE = 0x1111, CLASS = 0x030000, REVISION = 2;
    public static final int DEFAULT_VRAM = 16 << 20;
    /** QEMU's default subsystem ids for its PCI devices. */
    static final int SUBSYSTEM_VENDOR = 0x1af4, SUBSYSTEM = 0x1100;

    private final PciConfigSpace config = new PciConfigSpace(VENDOR, DEVICE, CLASS, REVISION);
    private final Vram vram;
    private final VgaRegisters vga = new VgaRegisters();
    private final VbeRegisters vbe;
    private final LegacyWindow window;
    private final IoDevice framebuffer, mmio, romDevice;
    private final VgaRenderer renderer;

    /** rom: the VGA BIOS (e.g. Debian's /usr/share/seabios/vgabios-stdvga.bin), or null for none. */
    public StdVga(byte[] rom, int vramSize) {
        vram = new Vram(vramSize);
        vbe = new VbeRegisters(vga, vram);
        window = new LegacyWindow(vga, vbe, vram);
        renderer = new VgaRenderer(vga, vbe, vram);
        config.setSubsystem(SUBSYSTEM_VENDOR, SUBSYSTEM);
        config.defineBar(0, PciConfigSpace.BarType.MEMORY32, vramSize);
        config.put32(PciConfigSpace.BAR0, config.get32(PciConfigSpace.BAR0) | 0x8); // prefetchable
        config.defineBar(2, PciConfigSpace.BarType.MEMORY32, VgaMmioBar.SIZE);
        framebuffer = new LinearFramebuffer(vram);
        mmio = new VgaMmioBar(this);
        romDevice = OptionRom.attach(config, rom);
    }

    public StdVga(byte[] rom) {
        this(rom, DEFAULT_VRAM);
    }

    /** Claims the VGA ports 0x3b0-0x3df, the VBE ports 0x1ce/0x1cf and the window 0xa0000-0xbffff. */
    public void attachLegacy(IoBus pio, IoBus mmioBus) {
        pio.register(PortBlock.VGA_BASE, PortBlock.VGA_LENGTH, PortBlock.vgaPorts(this));
        pio.register(PortBlock.VBE_BASE, PortBlock.VBE_LENGTH, PortBlock.vbePorts(this));
        mmioBus.register(LegacyWindow.BASE, LegacyWindow.LENGTH, legacyWindow());
    }

    /** The 0xa0000 window as a bus device (offsets from 0xa0000; wider accesses split into bytes). */
    public IoDevice legacyWindow() {
        return new IoDevice() {
            @Override
            public long read(long offset, int size) {
                long v = 0;
                synchronized (StdVga.this) {
                    for (int i = 0; i < size; i++) v |= (long) window.readByte((int) (offset + i)) << (8 * i);
                }
                return v;
            }

            @Override
            public void write(long offset, int size, long value) {
                synchronized (StdVga.this) {
                    for (int i = 0; i < size; i++) window.writeByte((int) (offset + i), (int) (value >>> (8 * i)));
                }
            }
        };
    }

    @Override public PciConfigSpace config() { return config; }

    @Override
    public IoDevice bar(int index) {
        return index == 0 ? framebuffer : index == 2 ? mmio : null;
    }

    @Override public IoDevice rom() { return romDevice; }

    public int vramSize() { return vram.size(); }

    synchronized int portRead(int port) { return vga.read(port); }

    synchronized void portWrite(int port, int value) { vga.write(port, value); }

    synchronized int vbeIndexRead() { return vbe.index; }

    synchronized void vbeIndexWrite(int index) { vbe.index = index & 0xffff; }

    synchronized int vbeDataRead() { return vbe.readData(); }

    synchronized void vbeDataWrite(int value) { vbe.writeData(value); }

    /** A DISPI register through the MMIO BAR: selects it, as QEMU's pci_vga_bochs_read does. */
    synchronized int dispiRead(int index) {
        vbe.index = index;
        return vbe.readData();
    }

    synchronized void dispiWrite(int index, int value) {
        vbe.index = index;
        vbe.writeData(value);
    }

    /** The picture the adapter shows now, as QEMU's vga_update_display draws it (text cursor left out). */
    @Override
    public synchronized Frame render() {
        return renderer.render();
    }

    @Override
    public synchronized void reset() {
        vga.reset();
        vbe.reset();
        renderer.reset();
    }

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        config.saveState(out);
        vga.save(out);
        vbe.save(out);
        vram.save(out);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        config.loadState(in);
        vga.load(in);
        vbe.load(in); // its fixup keeps the mode inside this VRAM whatever the file says
        vram.load(in, "VGA");
        renderer.reset();
    }
}
