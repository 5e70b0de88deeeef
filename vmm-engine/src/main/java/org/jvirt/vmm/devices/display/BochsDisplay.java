package org.jvirt.vmm.devices.display;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciDevice;

/**
 * QEMU's bochs-display (-device bochs-display, libvirt's {@code <model type='bochs'/>}): a VGA-less
 * framebuffer adapter, 1234:1111 with class 0x0380 (display, other). BAR0 is the prefetchable
 * VRAM, BAR2 4 KiB of MMIO: the EDID at 0x000 ({@link Edid}, QEMU's default edid=on), the DISPI
 * registers at 0x500 (16-bit, index = offset / 2), QEMU's extended registers at 0x600 (size and
 * framebuffer byte order, 32-bit accesses only); the rest reads as all ones. No legacy ports,
 * no 0xa0000 window: its firmware (vgabios-bochs-display.bin, the expansion ROM) draws text into
 * the framebuffer. Modes are 16 (r5g6b5) or 32 bpp, at least 64x64, inside VRAM; until a valid
 * one is set, and when the registers describe none, the last picture stays, as QEMU's surface does.
 * QEMU gives the device no reset handler: its registers survive a machine reset, here too.
 * On a PCI Express root bus (the q35) it has QEMU's PCI Express capability at 0x80 as a root
 * complex integrated endpoint (pcie_endpoint_cap_init), with config space past it writable.
 */
public final class BochsDisplay implements PciDevice, Snapshottable, Display {
    public static final int CLASS = 0x038000;
    static final int MMIO_SIZE = 0x1000, EDID_END = Edid.SIZE, DISPI = 0x500, QEXT = 0x600;
    private static final int DISPI_REGS = 10, DISPI_ENABLED = 0x01, ID5 = 0xb0c5, MEMORY_64K_INDEX = 10;
    private static final int QEXT_SIZE = 8, QEXT_LITTLE_ENDIAN = 0x1e1e1e1e, QEXT_BIG_ENDIAN = 0xbebebebe;
    private static final int X_RES = 1, Y_RES = 2, BPP = 3, ENABLE = 4, VIRT_WIDTH = 6, X_OFFSET = 8, Y_OFFSET = 9;

    private final PciConfigSpace config = new PciConfigSpace(StdVga.VENDOR, StdVga.DEVICE, CLASS, StdVga.REVISION);
    private final Vram vram;
    private final byte[] edid = Edid.qemuDefault();
    private final int[] dispi = new int[DISPI_REGS];
    private boolean bigEndianFramebuffer;
    private final IoDevice framebuffer, mmio, romDevice;
    /** What the screen shows until a valid mode is set (QEMU shows a 640x480 placeholder surface; black here). */
    private Frame last = new Frame(640, 480, new int[640 * 480]);

    /** Where QEMU puts the PCI Express capability, and its size (version 2). */
    static final int EXPRESS_CAP = 0x80, EXPRESS_CAP_SIZE = 60;

    /** rom: the firmware (Debian's /usr/share/seabios/vgabios-bochs-display.bin), or null for none. */
    public BochsDisplay(byte[] rom, int vramSize) {
        this(rom, vramSize, false);
    }

    /** express: on a PCI Express root bus (q35), with QEMU's root complex integrated endpoint capability. */
    public BochsDisplay(byte[] rom, int vramSize, boolean express) {
        vram = new Vram(vramSize);
        config.setSubsystem(StdVga.SUBSYSTEM_VENDOR, StdVga.SUBSYSTEM);
        config.defineBar(0, PciConfigSpace.BarType.MEMORY32, vramSize);
        config.put32(PciConfigSpace.BAR0, config.get32(PciConfigSpace.BAR0) | 0x8); // prefetchable
        config.defineBar(2, PciConfigSpace.BarType.MEMORY32, MMIO_SIZE);
        if (express) {
            config.insertCapability(EXPRESS_CAP, 0x10, expressBody(), expressWriteMask());
            config.allowWrites(EXPRESS_CAP + EXPRESS_CAP_SIZE, 0x100 - (EXPRESS_CAP + EXPRESS_CAP_SIZE));
        }
        framebuffer = new LinearFramebuffer(vram);
        mmio = new Mmio();
        romDevice = OptionRom.attach(config, rom);
    }

    /** QEMU 7.2's pcie_cap_init for a root complex integrated endpoint, after the id and next bytes. */
    private static byte[] expressBody() {
        byte[] b = new byte[EXPRESS_CAP_SIZE - 2];
        put(b, 0x02, 2, 0x0092);      // version 2, root complex integrated endpoint
        put(b, 0x04, 4, 0x0000_8000); // device capabilities: role-based error reporting
        put(b, 0x0C, 4, 0x0000_0411); // link capabilities: L0s, x1, 2.5 GT/s
        put(b, 0x12, 2, 0x0011);      // link status: x1, 2.5 GT/s
        put(b, 0x24, 4, 0x0030_0000); // device capabilities 2: extended fmt field, end-end TLP prefix
        return b;
    }

    private static byte[] expressWriteMask() {
        byte[] m = new byte[EXPRESS_CAP_SIZE - 2];
        put(m, 0x28, 2, 0x8000);      // device control 2: end-end TLP prefix blocking
        return m;
    }

    private static void put(byte[] b, int capOffset, int len, int v) {
        for (int i = 0; i < len; i++) b[capOffset - 2 + i] = (byte) (v >>> (8 * i));
    }

    @Override public PciConfigSpace config() { return config; }

    @Override
    public IoDevice bar(int index) {
        return index == 0 ? framebuffer : index == 2 ? mmio : null;
    }

    @Override public IoDevice rom() { return romDevice; }

    /** BAR2: the EDID bytes, the DISPI registers, the extended registers; all else unassigned. */
    private final class Mmio implements IoDevice {
        @Override
        public long read(long offset, int size) {
            synchronized (BochsDisplay.this) {
                if (offset >= 0 && offset + size <= EDID_END) {
                    long v = 0;
                    for (int i = size - 1; i >= 0; i--) v = v << 8 | edid[(int) offset + i] & 0xff;
                    return v;
                }
                if (offset >= DISPI && offset < DISPI + 2 * (DISPI_REGS + 1)) {
                    // QEMU reaches these as 16-bit registers: a byte read gives the low byte, a 32-bit read two registers
                    long v = dispiRead((int) (offset - DISPI) >> 1);
                    if (size == 4) v |= (long) dispiRead((int) (offset + 2 - DISPI) >> 1) << 16;
                    return size == 1 ? v & 0xff : v;
                }
                if (offset >= QEXT && offset < QEXT + QEXT_SIZE) {
                    if (size != 4) return 0; // an access QEMU's region does not take reads as 0
                    return switch ((int) (offset - QEXT)) {
                        case 0 -> QEXT_SIZE;
                        case 4 -> (bigEndianFramebuffer ? QEXT_BIG_ENDIAN : QEXT_LITTLE_ENDIAN) & 0xffffffffL;
                        default -> 0;
                    };
                }
                return size == 8 ? -1L : (1L << (8 * size)) - 1;
            }
        }

        @Override
        public void write(long offset, int size, long value) {
            synchronized (BochsDisplay.this) {
                if (offset >= DISPI && offset < DISPI + 2 * (DISPI_REGS + 1)) {
                    int index = (int) (offset - DISPI) >> 1;
                    dispiWrite(index, (int) (size == 1 ? value & 0xff : value & 0xffff));
                    if (size == 4) dispiWrite((int) (offset + 2 - DISPI) >> 1, (int) (value >>> 16 & 0xffff));
                } else if (offset == QEXT + 4 && size == 4) {
                    if ((int) value == QEXT_BIG_ENDIAN) bigEndianFramebuffer = true;
                    if ((int) value == QEXT_LITTLE_ENDIAN) bigEndianFramebuffer = false;
                }
            }
        }
    }

    private int dispiRead(int index) {
        if (index == 0) return ID5;
        if (index == MEMORY_64K_INDEX) return vram.size() >> 16;
        return index < DISPI_REGS ? dispi[index] : 0xffff;
    }

    private void dispiWrite(int index, int value) {
        if (index < DISPI_REGS) dispi[index] = value;
    }

    @Override
    public synchronized Frame render() {
        int bpp = dispi[BPP], width = dispi[X_RES], height = dispi[Y_RES];
        if ((dispi[ENABLE] & DISPI_ENABLED) == 0 || (bpp != 16 && bpp != 32) || width < 64 || height < 64) return last;
        int bytes = bpp / 8;
        long stride = (long) Math.max(width, dispi[VIRT_WIDTH]) * bytes;
        long start = (long) dispi[X_OFFSET] * bytes + (long) dispi[Y_OFFSET] * stride;
        if (start + stride * height > vram.size()) return last;
        int[] rgb = new int[width * height];
        byte[] m = vram.bytes;
        for (int y = 0; y < height; y++) {
            int row = (int) (start + y * stride);
            for (int x = 0; x < width; x++) {
                int o = row + x * bytes;
                rgb[y * width + x] = bpp == 16 ? rgb565(m[o] & 0xff | (m[o + 1] & 0xff) << 8)
                        : bigEndianFramebuffer ? (m[o + 1] & 0xff) << 16 | (m[o + 2] & 0xff) << 8 | m[o + 3] & 0xff
                        : (m[o + 2] & 0xff) << 16 | (m[o + 1] & 0xff) << 8 | m[o] & 0xff;
            }
        }
        last = new Frame(width, height, rgb);
        return last;
    }

    /** r5g6b5 widened to 8 bits a channel by repeating the top bits, as pixman converts it for QEMU's PPM. */
    static int rgb565(int p) {
        int r = p >> 11 & 0x1f, g = p >> 5 & 0x3f, b = p & 0x1f;
        return (r << 3 | r >> 2) << 16 | (g << 2 | g >> 4) << 8 | (b << 3 | b >> 2);
    }

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        config.saveState(out);
        for (int r : dispi) out.writeShort(r);
        out.writeBoolean(bigEndianFramebuffer);
        vram.save(out);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        config.loadState(in);
        for (int i = 0; i < DISPI_REGS; i++) dispi[i] = in.readUnsignedShort();
        bigEndianFramebuffer = in.readBoolean();
        vram.load(in, "bochs-display");
    }
}
