package org.jvirt.vmm.devices.pci;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * function (by default 8086:1237 like the i440FX, class 0x0600; a chipset passes its own, as the
 * Q35's MCH). A slot holds up to 8 functions; function 0
 * of a slot with more than one is marked multi-function (header type bit 7), which is how a guest
 * knows to probe functions 1-7. A {@link PciBridge} on bus 0 (a PCIe root port) forwards the
 * cycles for its secondary bus number to the functions behind it; other buses read as absent
 * (all ones). {@link #configRead} and
 * {@link #configWrite} are the one way to a function's registers, for port CF8/CFC and for
 * memory-mapped (ECAM) access alike.
 *
 * <p>Firmware-less BAR assignment: {@link #addDevice} gives each BAR a naturally aligned address
 * from the MMIO window (or the port window for I/O BARs) and enables decoding, as firmware would.
 * The bridge maps each enabled BAR on the MMIO or port {@link IoBus} and follows the guest when it
 * disables decoding, sizes or moves a BAR (unregister, then register at the new address). A BAR
 * the guest points at an occupied range stays unmapped until it is moved somewhere free.
 */
public final class PciHostBridge implements IoDevice, Snapshottable, Resettable {

    public static final int PORT = 0xCF8, PORT_LENGTH = 8;
    public static final int SLOTS = 32, FUNCTIONS = 8;
    /** Conventional PCI configuration space per function; registers past it read as all ones (as QEMU's). */
    public static final int CONFIG_SIZE = 256;
    /** The i440FX's PAM registers (shadow RAM control for 0xC0000-0xFFFFF) in the host bridge's config space. */
    public static final int PAM0 = 0x59, PAM_COUNT = 7;

    private final IoBus mmioBus;
    private final IoBus pioBus;
    private final long mmioLimit, ioLimit;
    private final IntFunction<InterruptLine> gsiLines;
    private final IntxRouting routing;
    private long mmioNext, ioNext;

    private final Plugged[][] functions = new Plugged[SLOTS][FUNCTIONS]; // bus 0
    /** The bridges on bus 0 and what is plugged behind them, in the order they were added. */
    private final List<Secondary> bridges = new ArrayList<>();
    private int configAddress;

    /** A plugged function and where each of its BARs is mapped (the bus base, -1 when unmapped). */
    private static final class Plugged {
        final PciDevice device;
        final long[] mapped = {-1, -1, -1, -1, -1, -1, -1}; // BARs 0-5, then the expansion ROM

        Plugged(PciDevice device) {
            this.device = device;
        }
    }

    /**
     * A bridge's secondary bus: its functions, and the windows the VMM preassigns their BARs
     * from (as firmware would: each bridge's own 1 MiB of MMIO, 4 KiB of ports, taken from
     * the root windows when a function behind it first needs one).
     */
    private static final class Secondary {
        final PciBridge bridge;
        final int slot, function;
        final Plugged[][] functions;
        long memBase = -1, memNext, memLimit;
        long ioBase = -1, ioNext, ioLimit;

        Secondary(PciBridge bridge, int slot, int function) {
            this.bridge = bridge;
            this.slot = slot;
            this.function = function;
            this.functions = new Plugged[bridge.secondarySlots()][FUNCTIONS];
        }
    }

    /** Each bridge's share of the root windows. */
    static final long BRIDGE_MMIO_WINDOW = 1L << 20, BRIDGE_IO_WINDOW = 0x1000;

    /**
     * @param mmioBase/mmioSize the window BARs are preassigned from (e.g. 0xE0000000, 0x1EC00000)
     * @param ioBase/ioSize     the port window for I/O BARs (e.g. 0xC000, 0x4000)
     * @param gsiLines          the interrupt line of a GSI, for INTx routed per {@link PciIrqRouting}
     *                          (null: INTx not connected)
     */
    public PciHostBridge(IoBus mmioBus, IoBus pioBus, long mmioBase, long mmioSize, int ioBase, int ioSize,
                         IntFunction<InterruptLine> gsiLines) {
        this(mmioBus, pioBus, mmioBase, mmioSize, ioBase, ioSize, gsiLines, i440fxHost(), PciIrqRouting::gsi);
    }

    /**
     * A bus whose 00.0 is hostBridge (a chipset's host bridge function: the i440FX's, the Q35's
     * MCH) and whose INTx pins reach GSIs as routing says (the same routing the DSDT's _PRT gives).
     */
    public PciHostBridge(IoBus mmioBus, IoBus pioBus, long mmioBase, long mmioSize, int ioBase, int ioSize,
                         IntFunction<InterruptLine> gsiLines, PciDevice hostBridge, IntxRouting routing) {
        this.gsiLines = gsiLines;
        this.routing = Objects.requireNonNull(routing, "routing");
        this.mmioBus = Objects.requireNonNull(mmioBus);
        this.pioBus = Objects.requireNonNull(pioBus);
        this.mmioNext = mmioBase;
        this.mmioLimit = mmioBase + mmioSize;
        this.ioNext = ioBase;
        this.ioLimit = (long) ioBase + ioSize;
        hostBridge.config().capturePowerOnState();
        functions[0][0] = new Plugged(hostBridge);
    }

    /** The i440FX's host bridge function, as QEMU's pc has it. */
    private static PciDevice i440fxHost() {
        PciConfigSpace hb = new PciConfigSpace(0x8086, 0x1237, 0x060000, 0x02);
        hb.setSubsystem(0x1af4, 0x1100); // QEMU's i440FX: SeaBIOS recognises QEMU by it ("Running on QEMU (i440fx)")
        hb.allowWrites(PAM0, PAM_COUNT); // stored only: RAM at 0xC0000-0xFFFFF is always RAM (see firmware.FirmwareLoader)
        return new PciDevice() {
            @Override public PciConfigSpace config() { return hb; }
            @Override public IoDevice bar(int index) { return null; }
        };
    }

    /** Plugs device as function 0 of the first empty slot (1-31), assigns its BARs, enables decoding; returns the slot. */
    public synchronized int addDevice(PciDevice device) {
        for (int s = 1; s < SLOTS; s++) {
            if (slotEmpty(s)) {
                addDevice(s, device);
                return s;
            }
        }
        throw new IllegalStateException("PCI bus 0 is full");
    }

    /** Plugs device into slot as its function 0, assigns its BARs from the windows and enables decoding. */
    public synchronized void addDevice(int slot, PciDevice device) {
        addFunction(slot, 0, device);
    }

    /**
     * Plugs device in as function of slot (slot 0 is the host bridge's: its functions 1-7 are
     * free), assigns its BARs from the windows and enables decoding. INTx pins of all functions
     * of a slot follow the slot's routing ({@link PciIrqRouting}).
     */
    public synchronized void addFunction(int slot, int function, PciDevice device) {
        if (slot < 0 || slot >= SLOTS || function < 0 || function >= FUNCTIONS || functions[slot][function] != null) {
            throw new IllegalArgumentException("PCI address " + slot + "." + function + " not free");
        }
        PciConfigSpace cfg = device.config();
        assignBars(cfg, null);
        connectIntx(cfg, slot);
        cfg.capturePowerOnState();
        Plugged p = new Plugged(device);
        functions[slot][function] = p;
        markMultiFunction(functions[slot]);
        remap(p);
        if (device instanceof PciBridge b) bridges.add(new Secondary(b, slot, function));
    }

    /**
     * Plugs device in as slot.function of bridge's secondary bus (the bridge already on bus 0):
     * its BARs come from the bridge's share of the windows, its INTx pin reaches the bridge's
     * slot swizzled by the device number, as through any PCI-to-PCI bridge.
     */
    public synchronized void addFunction(PciBridge bridge, int slot, int function, PciDevice device) {
        Secondary sec = secondary(bridge);
        if (sec == null) throw new IllegalArgumentException("the bridge is not on bus 0");
        if (slot < 0 || slot >= sec.functions.length || function < 0 || function >= FUNCTIONS || sec.functions[slot][function] != null) {
            throw new IllegalArgumentException("PCI address " + slot + "." + function + " behind the bridge at "
                    + sec.slot + "." + sec.function + " not free" + (sec.functions.length == 1 ? " (only device 0 behind a PCIe port)" : ""));
        }
        PciConfigSpace cfg = device.config();
        assignBars(cfg, sec);
        int pin = cfg.interruptPin();
        if (pin != 0) connectIntx(cfg, sec.slot, (pin - 1 + slot) % 4 + 1); // the swizzle: INTx of device d -> INT((x + d) mod 4) upstream
        cfg.capturePowerOnState();
        Plugged p = new Plugged(device);
        sec.functions[slot][function] = p;
        markMultiFunction(sec.functions[slot]);
        remap(p);
        bridge.secondaryPopulated();
        bridge.config().capturePowerOnState();
    }

    private Secondary secondary(PciBridge bridge) {
        for (Secondary s : bridges) if (s.bridge == bridge) return s;
        return null;
    }

    /** Gives each BAR a naturally aligned address from the root windows (sec null) or a bridge's share, and enables decoding. */
    private void assignBars(PciConfigSpace cfg, Secondary sec) {
        int enable = 0;
        for (int i = 0; i < 6; i++) {
            BarType t = cfg.barType(i);
            if (t == BarType.NONE) continue;
            long size = cfg.barSize(i);
            if (t == BarType.IO) {
                long at;
                if (sec == null) {
                    at = align(ioNext, size);
                    if (at + size > ioLimit) throw new IllegalStateException("PCI I/O window exhausted");
                    ioNext = at + size;
                } else {
                    if (sec.ioBase < 0) {
                        sec.ioBase = sec.ioNext = align(ioNext, BRIDGE_IO_WINDOW);
                        sec.ioLimit = sec.ioBase + BRIDGE_IO_WINDOW;
                        if (sec.ioLimit > ioLimit) throw new IllegalStateException("PCI I/O window exhausted");
                        ioNext = sec.ioLimit;
                    }
                    at = align(sec.ioNext, size);
                    if (at + size > sec.ioLimit) throw new IllegalStateException("I/O window of the bridge at " + sec.slot + "." + sec.function + " exhausted");
                    sec.ioNext = at + size;
                }
                cfg.setBarAddress(i, at);
                enable |= PciConfigSpace.CMD_IO;
            } else {
                long at;
                if (sec == null) {
                    at = align(mmioNext, size);
                    if (at + size > mmioLimit) throw new IllegalStateException("PCI MMIO window exhausted");
                    mmioNext = at + size;
                } else {
                    if (sec.memBase < 0) {
                        sec.memBase = sec.memNext = align(mmioNext, BRIDGE_MMIO_WINDOW);
                        sec.memLimit = sec.memBase + BRIDGE_MMIO_WINDOW;
                        if (sec.memLimit > mmioLimit) throw new IllegalStateException("PCI MMIO window exhausted");
                        mmioNext = sec.memLimit;
                    }
                    at = align(sec.memNext, size);
                    if (at + size > sec.memLimit) throw new IllegalStateException("MMIO window of the bridge at " + sec.slot + "." + sec.function + " exhausted");
                    sec.memNext = at + size;
                }
                cfg.setBarAddress(i, at);
                enable |= PciConfigSpace.CMD_MEMORY;
            }
        }
        cfg.put16(PciConfigSpace.COMMAND, cfg.command() | enable);
    }

    private void connectIntx(PciConfigSpace cfg, int slot) {
        int pin = cfg.interruptPin();
        if (pin != 0) connectIntx(cfg, slot, pin);
    }

    /** Wires the function's INTx to the GSI of bus-0 slot's pin (1 = INTA .. 4 = INTD) as the chipset routes it. */
    private void connectIntx(PciConfigSpace cfg, int slot, int pin) {
        if (gsiLines == null) return;
        int gsi = routing.gsi(slot, pin - 1);
        cfg.setInterrupt(cfg.interruptPin(), gsi, gsiLines.apply(gsi));
    }

    /**
     * For boots without firmware: numbers the bridges' secondary buses 1, 2, ... in bus-0 order
     * (as SeaBIOS's pci_bios_init_bus does), opens each bridge's windows over the BARs behind it
     * and enables its forwarding, and keeps that as the bridges' power-on state.
     */
    public synchronized void programBridgesAsFirmware() {
        List<Secondary> ordered = new ArrayList<>(bridges);
        ordered.sort(java.util.Comparator.comparingInt((Secondary s) -> s.slot).thenComparingInt(s -> s.function));
        int bus = 0;
        for (Secondary s : ordered) {
            PciConfigSpace cfg = s.bridge.config();
            bus++;
            cfg.write(PciBridge.PRIMARY_BUS, 4, bus << 16 | bus << 8); // primary 0, secondary = subordinate = bus
            if (s.memBase >= 0) {
                cfg.write(PciBridge.MEMORY_BASE, 2, (int) (s.memBase >>> 16));
                cfg.write(PciBridge.MEMORY_LIMIT, 2, (int) ((s.memLimit - 1) >>> 16));
            }
            if (s.ioBase >= 0) {
                cfg.write(PciBridge.IO_BASE, 1, (int) (s.ioBase >>> 8));
                cfg.write(PciBridge.IO_LIMIT, 1, (int) ((s.ioLimit - 1) >>> 8));
            }
            cfg.write(PciConfigSpace.COMMAND, 2, cfg.command() | PciConfigSpace.CMD_IO | PciConfigSpace.CMD_MEMORY | PciConfigSpace.CMD_BUS_MASTER);
            cfg.capturePowerOnState();
        }
    }

    private boolean slotEmpty(int slot) {
        for (Plugged d : functions[slot]) if (d != null) return false;
        return true;
    }

    /** Sets the multi-function bit of the slot's function 0 once the slot holds more than one function. */
    private static void markMultiFunction(Plugged[] slot) {
        Plugged f0 = slot[0];
        int count = 0;
        for (Plugged d : slot) if (d != null) count++;
        if (f0 == null || count < 2) return;
        PciConfigSpace cfg = f0.device.config();
        int header = cfg.read(PciConfigSpace.HEADER_TYPE, 1);
        if ((header & 0x80) != 0) return;
        cfg.put16(PciConfigSpace.HEADER_TYPE, cfg.get16(PciConfigSpace.HEADER_TYPE) | 0x80); // 0x0E is the low byte
        cfg.capturePowerOnState();
    }

    /**
     * Machine reset: every function resets and gets its config space back as it was right after
     * it was added (BARs at their preassigned addresses, decoding on), as firmware would redo.
     */
    @Override
    public synchronized void reset() {
        configAddress = 0;
        for (Plugged p : all()) {
            p.device.reset();
            p.device.config().restorePowerOnState();
            remap(p);
            p.device.configReplaced();
        }
    }

    /** Every plugged function: bus 0's, then those behind each bridge. */
    private List<Plugged> all() {
        List<Plugged> out = new ArrayList<>();
        for (Plugged[] slot : functions) for (Plugged p : slot) if (p != null) out.add(p);
        for (Secondary s : bridges) for (Plugged[] slot : s.functions) for (Plugged p : slot) if (p != null) out.add(p);
        return out;
    }

    /** Function 0 of slot, or null. */
    public synchronized PciDevice device(int slot) {
        return device(slot, 0);
    }

    /** The function at slot.function, or null. */
    public synchronized PciDevice device(int slot, int function) {
        Plugged p = functions[slot][function];
        return p == null ? null : p.device;
    }

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }

    // ---- configuration mechanism #1 ----

    @Override
    public synchronized long read(long offset, int size) {
        if (offset < 4) return offset == 0 && size == 4 ? configAddress & 0xFFFF_FFFFL : mask(size);
        if (configAddress >= 0) return mask(size); // enable bit 31 clear
        return configRead(configAddress >>> 16 & 0xFF, configAddress >>> 11 & 0x1F, configAddress >>> 8 & 0x7,
                (configAddress & 0xFC) + (int) (offset - 4), size);
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset < 4) {
            if (offset == 0 && size == 4) configAddress = (int) value & 0x80FF_FFFC;
            return; // byte/word writes to 0xCF8-0xCFB do not touch CONFIG_ADDRESS (Linux's type-1 probe does one)
        }
        if (configAddress >= 0) return;
        configWrite(configAddress >>> 16 & 0xFF, configAddress >>> 11 & 0x1F, configAddress >>> 8 & 0x7,
                (configAddress & 0xFC) + (int) (offset - 4), size, value);
    }

    /**
     * Reads size (1, 2, 4) bytes of register reg of bus.slot.function; an absent function, another
     * bus, a register past {@link #CONFIG_SIZE} or a misaligned access reads as all ones.
     */
    public synchronized long configRead(int bus, int slot, int function, int reg, int size) {
        Plugged p = function(bus, slot, function);
        if (p == null || reg < 0 || reg + size > CONFIG_SIZE || (reg & (size - 1)) != 0) return mask(size);
        return p.device.config().read(reg, size) & mask(size);
    }

    /** Writes register reg of bus.slot.function; dropped where {@link #configRead} reads all ones. */
    public synchronized void configWrite(int bus, int slot, int function, int reg, int size, long value) {
        Plugged p = function(bus, slot, function);
        if (p == null || reg < 0 || reg + size > CONFIG_SIZE || (reg & (size - 1)) != 0) return;
        p.device.config().write(reg, size, (int) value);
        if ((reg < 0x28 && reg + size > PciConfigSpace.COMMAND) || (reg < PciConfigSpace.EXPANSION_ROM + 4 && reg + size > PciConfigSpace.EXPANSION_ROM)) {
            remap(p); // COMMAND, a BAR or the expansion ROM changed
        }
        p.device.configWritten(reg, size);
    }

    /**
     * The function a configuration cycle reaches: bus 0's, or one behind the bridge whose
     * secondary bus is bus (type-1 forwarding; a bus number no bridge claims reads as absent,
     * as do buses between a secondary and its subordinate since no bridge nests here).
     */
    private Plugged function(int bus, int slot, int function) {
        if (slot < 0 || slot >= SLOTS || function < 0 || function >= FUNCTIONS) return null;
        if (bus == 0) return functions[slot][function];
        for (Secondary s : bridges) {
            if (s.bridge.secondaryBus() != bus) continue;
            return slot < s.functions.length ? s.functions[slot][function] : null;
        }
        return null;
    }

    private static long mask(int size) {
        return size >= 8 ? -1L : (1L << (size * 8)) - 1;
    }

    /** Brings the bus registrations of the function's BARs in line with its COMMAND and BAR registers. */
    private void remap(Plugged p) {
        PciDevice d = p.device;
        long[] mapped = p.mapped;
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
            if (want == mapped[i]) continue;
            IoBus bus = io ? pioBus : mmioBus;
            if (mapped[i] >= 0) bus.unregister(mapped[i]);
            mapped[i] = -1;
            IoDevice handler = d.bar(i);
            if (want >= 0 && handler != null) {
                try {
                    bus.register(want, size, handler);
                    mapped[i] = want;
                } catch (IllegalArgumentException overlap) {
                    // The guest placed the BAR over another range: leave it undecoded, as a conflict would be.
                }
            }
        }
        remapRom(p, cmd);
    }

    /** The expansion ROM is decoded where register 0x30 points while it is enabled there and memory decoding is on. */
    private void remapRom(Plugged p, int cmd) {
        PciConfigSpace cfg = p.device.config();
        long size = cfg.romSize();
        if (size == 0) return;
        long addr = cfg.romAddress();
        long want = (cmd & PciConfigSpace.CMD_MEMORY) != 0 && addr > 0 ? addr : -1;
        if (want == p.mapped[6]) return;
        if (p.mapped[6] >= 0) mmioBus.unregister(p.mapped[6]);
        p.mapped[6] = -1;
        IoDevice rom = p.device.rom();
        if (want >= 0 && rom != null) {
            try {
                mmioBus.register(want, size, rom);
                p.mapped[6] = want;
            } catch (IllegalArgumentException overlap) {
                // over another range: undecoded, as for a BAR
            }
        }
    }

    /** Re-derives all BAR mappings from config space, after config state was restored from a snapshot. */
    public synchronized void refreshMappings() {
        for (Plugged p : all()) {
            remap(p);
            p.device.configReplaced();
        }
    }

    /**
     * Saves CONFIG_ADDRESS and the host bridge function's config space. Each plugged device saves
     * its own state; after restoring them all, call {@link #refreshMappings()}.
     */
    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeInt(configAddress);
        functions[0][0].device.config().saveState(out);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        configAddress = in.readInt() & 0x80FF_FFFC;
        functions[0][0].device.config().loadState(in);
    }

    /** The bus address BAR index of slot's function 0 is mapped at, or -1 when it is not decoded. */
    public synchronized long mappedBarAddress(int slot, int index) {
        return mappedBarAddress(slot, 0, index);
    }

    /** The bus address BAR index of slot.function is mapped at, or -1 when it is not decoded. */
    public synchronized long mappedBarAddress(int slot, int function, int index) {
        Plugged p = functions[slot][function];
        return p == null ? -1 : p.mapped[index];
    }

    /** The function at slot.function behind bridge, or null. */
    public synchronized PciDevice device(PciBridge bridge, int slot, int function) {
        Secondary s = secondary(bridge);
        if (s == null || slot < 0 || slot >= s.functions.length) return null;
        Plugged p = s.functions[slot][function];
        return p == null ? null : p.device;
    }

    /** The bus address BAR index of slot.function behind bridge is mapped at, or -1. */
    public synchronized long mappedBarAddress(PciBridge bridge, int slot, int function, int index) {
        Secondary s = secondary(bridge);
        Plugged p = s == null ? null : s.functions[slot][function];
        return p == null ? -1 : p.mapped[index];
    }
}
