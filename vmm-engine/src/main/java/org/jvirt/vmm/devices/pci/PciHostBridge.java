package org.jvirt.vmm.devices.pci;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;
import java.util.function.IntFunction;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.pci.PciConfigSpace.BarType;
import org.jvirt.vmm.irq.InterruptLine;

/**
 * PCI bus 0 behind configuration mechanism #1: register this at port 0xCF8, length 8
 * (0xCF8 CONFIG_ADDRESS, dword access only; 0xCFC-0xCFF CONFIG_DATA). Slot 0 is a host bridge
 * function (8086:1237 like the i440FX, class 0x0600). Single-function devices only; other buses
 * and functions read as absent (all ones).
 *
 * <p>Firmware-less BAR assignment: {@link #addDevice} gives each BAR a naturally aligned address
 * from the MMIO window (or the port window for I/O BARs) and enables decoding, as firmware would.
 * The bridge maps each enabled BAR on the MMIO or port {@link IoBus} and follows the guest when it
 * disables decoding, sizes or moves a BAR (unregister, then register at the new address). A BAR
 * the guest points at an occupied range stays unmapped until it is moved somewhere free.
 */
public final class PciHostBridge implements IoDevice, Snapshottable, Resettable {

    public static final int PORT = 0xCF8, PORT_LENGTH = 8;
    public static final int SLOTS = 32;
    /** The i440FX's PAM registers (shadow RAM control for 0xC0000-0xFFFFF) in the host bridge's config space. */
    public static final int PAM0 = 0x59, PAM_COUNT = 7;

    private final IoBus mmioBus;
    private final IoBus pioBus;
    private final long mmioLimit, ioLimit;
    private final IntFunction<InterruptLine> gsiLines;
    private long mmioNext, ioNext;

    private final PciDevice[] slots = new PciDevice[SLOTS];
    private final long[][] mapped = new long[SLOTS][6]; // current bus base per BAR, -1 when unmapped
    private int configAddress;

    /**
     * @param mmioBase/mmioSize the window BARs are preassigned from (e.g. 0xE0000000, 0x1EC00000)
     * @param ioBase/ioSize     the port window for I/O BARs (e.g. 0xC000, 0x4000)
     * @param gsiLines          the interrupt line of a GSI, for INTx routed per {@link PciIrqRouting}
     *                          (null: INTx not connected)
     */
    public PciHostBridge(IoBus mmioBus, IoBus pioBus, long mmioBase, long mmioSize, int ioBase, int ioSize,
                         IntFunction<InterruptLine> gsiLines) {
        this.gsiLines = gsiLines;
        this.mmioBus = Objects.requireNonNull(mmioBus);
        this.pioBus = Objects.requireNonNull(pioBus);
        this.mmioNext = mmioBase;
        this.mmioLimit = mmioBase + mmioSize;
        this.ioNext = ioBase;
        this.ioLimit = (long) ioBase + ioSize;
        for (long[] m : mapped) java.util.Arrays.fill(m, -1);
        PciConfigSpace hb = new PciConfigSpace(0x8086, 0x1237, 0x060000, 0x02);
        hb.setSubsystem(0x1af4, 0x1100); // QEMU's i440FX: SeaBIOS recognises QEMU by it ("Running on QEMU (i440fx)")
        hb.allowWrites(PAM0, PAM_COUNT); // stored only: RAM at 0xC0000-0xFFFFF is always RAM (see firmware.FirmwareLoader)
        hb.capturePowerOnState();
        slots[0] = new PciDevice() {
            @Override public PciConfigSpace config() { return hb; }
            @Override public IoDevice bar(int index) { return null; }
        };
    }

    /** Plugs device into the first free slot (1-31), assigns its BARs, enables decoding; returns the slot. */
    public synchronized int addDevice(PciDevice device) {
        for (int s = 1; s < SLOTS; s++) {
            if (slots[s] == null) {
                addDevice(s, device);
                return s;
            }
        }
        throw new IllegalStateException("PCI bus 0 is full");
    }

    /** Plugs device into slot, assigns its BARs from the windows and enables decoding. */
    public synchronized void addDevice(int slot, PciDevice device) {
        if (slot < 1 || slot >= SLOTS || slots[slot] != null) throw new IllegalArgumentException("slot " + slot + " not free");
        PciConfigSpace cfg = device.config();
        int enable = 0;
        for (int i = 0; i < 6; i++) {
            BarType t = cfg.barType(i);
            if (t == BarType.NONE) continue;
            long size = cfg.barSize(i);
            if (t == BarType.IO) {
                long at = align(ioNext, size);
                if (at + size > ioLimit) throw new IllegalStateException("PCI I/O window exhausted");
                cfg.setBarAddress(i, at);
                ioNext = at + size;
                enable |= PciConfigSpace.CMD_IO;
            } else {
                long at = align(mmioNext, size);
                if (at + size > mmioLimit) throw new IllegalStateException("PCI MMIO window exhausted");
                cfg.setBarAddress(i, at);
                mmioNext = at + size;
                enable |= PciConfigSpace.CMD_MEMORY;
            }
        }
        cfg.put16(PciConfigSpace.COMMAND, cfg.command() | enable);
        int pin = cfg.interruptPin();
        if (pin != 0 && gsiLines != null) {
            int gsi = PciIrqRouting.gsi(slot, pin - 1);
            cfg.setInterrupt(pin, gsi, gsiLines.apply(gsi));
        }
        cfg.capturePowerOnState();
        slots[slot] = device;
        remap(slot);
    }

    /**
     * Machine reset: every function resets and gets its config space back as it was right after
     * it was added (BARs at their preassigned addresses, decoding on), as firmware would redo.
     */
    @Override
    public synchronized void reset() {
        configAddress = 0;
        for (int s = 0; s < SLOTS; s++) {
            if (slots[s] == null) continue;
            slots[s].reset();
            slots[s].config().restorePowerOnState();
            if (s > 0) remap(s);
        }
    }

    /** The device in slot, or null. */
    public synchronized PciDevice device(int slot) {
        return slots[slot];
    }

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }

    // ---- configuration mechanism #1 ----

    @Override
    public synchronized long read(long offset, int size) {
        if (offset < 4) return offset == 0 && size == 4 ? configAddress & 0xFFFF_FFFFL : mask(size);
        PciDevice d = target();
        int reg = (configAddress & 0xFC) + (int) (offset - 4);
        if (d == null || reg + size > 256 || (reg & (size - 1)) != 0) return mask(size);
        return d.config().read(reg, size) & mask(size);
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset < 4) {
            if (offset == 0 && size == 4) configAddress = (int) value & 0x80FF_FFFC;
            return; // byte/word writes to 0xCF8-0xCFB do not touch CONFIG_ADDRESS (Linux's type-1 probe does one)
        }
        PciDevice d = target();
        int reg = (configAddress & 0xFC) + (int) (offset - 4);
        if (d == null || reg + size > 256 || (reg & (size - 1)) != 0) return;
        d.config().write(reg, size, (int) value);
        int slot = (configAddress >>> 11) & 0x1F;
        if (reg < 0x28 && reg + size > PciConfigSpace.COMMAND) remap(slot); // COMMAND or a BAR changed
        d.configWritten(reg, size);
    }

    private PciDevice target() {
        if (configAddress >= 0) return null;                   // enable bit 31 clear
        if (((configAddress >>> 16) & 0xFF) != 0) return null; // bus 0 only
        if (((configAddress >>> 8) & 0x7) != 0) return null;   // function 0 only
        return slots[(configAddress >>> 11) & 0x1F];
    }

    private static long mask(int size) {
        return size >= 8 ? -1L : (1L << (size * 8)) - 1;
    }

    /** Brings the bus registrations of slot's BARs in line with its COMMAND and BAR registers. */
    private void remap(int slot) {
        PciDevice d = slots[slot];
        PciConfigSpace cfg = d.config();
        int cmd = cfg.command();
        for (int i = 0; i < 6; i++) {
            BarType t = cfg.barType(i);
            if (t == BarType.NONE) continue;
            boolean io = t == BarType.IO;
            boolean decode = (cmd & (io ? PciConfigSpace.CMD_IO : PciConfigSpace.CMD_MEMORY)) != 0;
            long size = cfg.barSize(i);
            long addr = cfg.barAddress(i);
            long limit = io ? 0x1_0000L : 1L << 52;
            long want = decode && addr != 0 && addr + size <= limit && addr + size > addr ? addr : -1;
            if (want == mapped[slot][i]) continue;
            IoBus bus = io ? pioBus : mmioBus;
            if (mapped[slot][i] >= 0) bus.unregister(mapped[slot][i]);
            mapped[slot][i] = -1;
            IoDevice handler = d.bar(i);
            if (want >= 0 && handler != null) {
                try {
                    bus.register(want, size, handler);
                    mapped[slot][i] = want;
                } catch (IllegalArgumentException overlap) {
                    // The guest placed the BAR over another range: leave it undecoded, as a conflict would be.
                }
            }
        }
    }

    /** Re-derives all BAR mappings from config space, after config state was restored from a snapshot. */
    public synchronized void refreshMappings() {
        for (int s = 1; s < SLOTS; s++) if (slots[s] != null) remap(s);
    }

    /**
     * Saves CONFIG_ADDRESS and the host bridge function's config space. Each plugged device saves
     * its own state; after restoring them all, call {@link #refreshMappings()}.
     */
    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeInt(configAddress);
        slots[0].config().saveState(out);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        configAddress = in.readInt() & 0x80FF_FFFC;
        slots[0].config().loadState(in);
    }

    /** The bus address BAR index of slot is mapped at, or -1 when it is not decoded. */
    public synchronized long mappedBarAddress(int slot, int index) {
        return mapped[slot][index];
    }
}
