package org.jvirt.vmm.devices.pci;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.irq.InterruptLine;

/**
 * The 256-byte type-0 configuration header of one PCI function, with per-byte write masks,
 * write-1-to-clear status bits, BARs that answer the sizing protocol (write all ones, read
 * back the size mask), a capability list, and the INTx pin.
 *
 * <p>BAR addresses are only stored here; {@link PciHostBridge} maps them on the MMIO/port bus
 * when the guest enables decoding in COMMAND, and follows them when the guest moves them.
 */
public final class PciConfigSpace {
    // All methods synchronize on this object: the host bridge writes config space on one vCPU
    // while the owning device raises INTx from another. Nothing here calls back into a device.

    public static final int VENDOR_ID = 0x00, DEVICE_ID = 0x02, COMMAND = 0x04, STATUS = 0x06;
    public static final int REVISION = 0x08, CLASS_PROG = 0x09, HEADER_TYPE = 0x0E, BAR0 = 0x10;
    public static final int SUBSYSTEM_VENDOR_ID = 0x2C, SUBSYSTEM_ID = 0x2E, CAPABILITIES = 0x34;
    public static final int INTERRUPT_LINE = 0x3C, INTERRUPT_PIN = 0x3D, EXPANSION_ROM = 0x30;
    public static final int ROM_ENABLE = 0x1;

    public static final int CMD_IO = 0x1, CMD_MEMORY = 0x2, CMD_BUS_MASTER = 0x4, CMD_INTX_DISABLE = 0x400;
    public static final int STS_INTERRUPT = 0x08, STS_CAP_LIST = 0x10;

    /** BAR kinds. A 64-bit BAR uses two slots (the next index is its upper half). */
    public enum BarType { NONE, IO, MEMORY32, MEMORY64 }

    private final byte[] data = new byte[256];
    private final byte[] writeMask = new byte[256];
    private final byte[] w1cMask = new byte[256];
    private final BarType[] barTypes = new BarType[6];
    private final long[] barSizes = new long[6];
    /** The expansion ROM's size (a power of two, at least 2 KiB), or 0 for none. */
    private long romSize;
    private int nextCapability = 0x40;
    private int lastCapability;
    private byte[] powerOnData;
    private InterruptLine intx;
    private boolean intxLevel, intxAsserted;

    public PciConfigSpace(int vendorId, int deviceId, int classCode, int revision) {
        put16(VENDOR_ID, vendorId);
        put16(DEVICE_ID, deviceId);
        data[REVISION] = (byte) revision;
        data[CLASS_PROG] = (byte) classCode;
        data[CLASS_PROG + 1] = (byte) (classCode >> 8);
        data[CLASS_PROG + 2] = (byte) (classCode >> 16);
        mask16(COMMAND, CMD_IO | CMD_MEMORY | CMD_BUS_MASTER | 0x100 /* SERR */ | CMD_INTX_DISABLE);
        w1cMask[STATUS + 1] = (byte) 0xF9; // error bits 15-11 and 8 are write-1-to-clear
        writeMask[0x0C] = (byte) 0xFF;     // cache line size
        writeMask[0x0D] = (byte) 0xFF;     // latency timer
        writeMask[INTERRUPT_LINE] = (byte) 0xFF;
        java.util.Arrays.fill(barTypes, BarType.NONE);
    }

    public synchronized void setSubsystem(int vendorId, int id) {
        put16(SUBSYSTEM_VENDOR_ID, vendorId);
        put16(SUBSYSTEM_ID, id);
    }

    /** Makes [off, off+len) of the device-specific area (0x40 and up) plain guest-writable registers. */
    public synchronized void allowWrites(int off, int len) {
        if (off < 0x40 || len < 0 || off + len > data.length) throw new IllegalArgumentException("not device-specific config space: " + off + "+" + len);
        java.util.Arrays.fill(writeMask, off, off + len, (byte) 0xff);
    }

    /** Sets the guest-writable bits of the len (1, 2, 4) bytes at off (0x40 and up) to mask, little-endian. */
    public synchronized void setWriteMask(int off, int len, int mask) {
        if (off < 0x40 || len < 1 || len > 4 || off + len > data.length) throw new IllegalArgumentException("not device-specific config space: " + off + "+" + len);
        for (int i = 0; i < len; i++) writeMask[off + i] = (byte) (mask >>> (8 * i));
    }

    /**
     * Sets the guest-writable bits of the len (1, 2, 4) bytes at off of the header area
     * (0x04-0x3F) to mask: a type-1 (bridge) header's bus numbers, windows and bridge control,
     * or a header byte a function keeps read-only (a PCIe function's latency timer).
     */
    public synchronized void setHeaderWriteMask(int off, int len, int mask) {
        if (off < COMMAND || len < 1 || len > 4 || off + len > 0x40) throw new IllegalArgumentException("not a header register: " + off + "+" + len);
        for (int i = 0; i < len; i++) writeMask[off + i] = (byte) (mask >>> (8 * i));
    }

    /** Sets which of the len (1, 2, 4) bytes at off are write-1-to-clear (status registers), little-endian. */
    public synchronized void setW1cMask(int off, int len, int mask) {
        if (off < 0 || len < 1 || len > 4 || off + len > data.length) throw new IllegalArgumentException("register " + off + "+" + len);
        for (int i = 0; i < len; i++) w1cMask[off + i] = (byte) (mask >>> (8 * i));
    }

    /** Declares BAR index of the given type and size (a power of two; at least 16 for memory, 4 for I/O). */
    public synchronized void defineBar(int index, BarType type, long size) {
        if (type == BarType.NONE) throw new IllegalArgumentException("type");
        if (Long.bitCount(size) != 1 || size < (type == BarType.IO ? 4 : 16))
            throw new IllegalArgumentException("BAR size must be a power of two: " + size);
        if (type == BarType.MEMORY64 ? index > 4 : index > 5) throw new IllegalArgumentException("BAR index " + index);
        if (type != BarType.MEMORY64 && size > 1L << 31) throw new IllegalArgumentException("32-bit BAR too large");
        barTypes[index] = type;
        barSizes[index] = size;
        int flags = switch (type) { case IO -> 0x1; case MEMORY64 -> 0x4; default -> 0x0; };
        put32(BAR0 + 4 * index, flags);
        long mask = ~(size - 1);
        for (int b = 0; b < 4; b++) writeMask[BAR0 + 4 * index + b] = (byte) (mask >> (8 * b));
        writeMask[BAR0 + 4 * index] &= (byte) (type == BarType.IO ? 0xFC : 0xF0);
        if (type == BarType.MEMORY64) {
            barTypes[index + 1] = BarType.NONE;
            for (int b = 0; b < 4; b++) writeMask[BAR0 + 4 * index + 4 + b] = (byte) (mask >> (32 + 8 * b));
        }
    }

    /**
     * Declares an expansion ROM of size bytes (a power of two, at least 2 KiB): register 0x30
     * answers the sizing protocol, and the ROM is decoded where it points while its enable bit
     * and memory decoding are set. Firmware assigns its address (none at power-on).
     */
    public synchronized void defineRom(long size) {
        if (Long.bitCount(size) != 1 || size < 2048 || size > 1L << 24) throw new IllegalArgumentException("ROM size must be a power of two of 2 KiB to 16 MiB: " + size);
        romSize = size;
        int mask = (int) ~(size - 1) | ROM_ENABLE;
        for (int b = 0; b < 4; b++) writeMask[EXPANSION_ROM + b] = (byte) (mask >> (8 * b));
    }

    public synchronized long romSize() { return romSize; }

    /** Where the expansion ROM is decoded (its enable bit set, address not 0), or -1; memory decoding is the caller's check. */
    public synchronized long romAddress() {
        if (romSize == 0) return -1;
        long v = get32(EXPANSION_ROM) & 0xFFFF_FFFFL;
        return (v & ROM_ENABLE) == 0 || (v & ~0x7FFL) == 0 ? -1 : v & ~0x7FFL;
    }

    public synchronized BarType barType(int index) { return barTypes[index]; }
    public synchronized long barSize(int index) { return barSizes[index]; }

    /** The BAR's current base address (flags stripped). */
    public synchronized long barAddress(int index) {
        long lo = get32(BAR0 + 4 * index) & 0xFFFF_FFFFL;
        return switch (barTypes[index]) {
            case IO -> lo & ~0x3L;
            case MEMORY32 -> lo & ~0xFL;
            case MEMORY64 -> (lo & ~0xFL) | (get32(BAR0 + 4 * index + 4) & 0xFFFF_FFFFL) << 32;
            case NONE -> 0;
        };
    }

    /** Sets a BAR's address as firmware would (the VMM's preassignment), bypassing write masks. */
    public synchronized void setBarAddress(int index, long address) {
        if ((address & (barSizes[index] - 1)) != 0) throw new IllegalArgumentException("unaligned BAR address");
        int off = BAR0 + 4 * index;
        int flags = get32(off) & (barTypes[index] == BarType.IO ? 0x3 : 0xF);
        put32(off, (int) address | flags);
        if (barTypes[index] == BarType.MEMORY64) put32(off + 4, (int) (address >>> 32));
    }

    /**
     * Appends a capability: id, then body bytes (starting after the id/next bytes), with a write
     * mask of the same length. Returns the capability's offset in config space.
     */
    public synchronized int addCapability(int id, byte[] body, byte[] bodyWriteMask) {
        int len = 2 + body.length;
        int at = nextCapability;
        if (at + len > 256) throw new IllegalStateException("configuration space full");
        data[at] = (byte) id;
        System.arraycopy(body, 0, data, at + 2, body.length);
        System.arraycopy(bodyWriteMask, 0, writeMask, at + 2, body.length);
        if (lastCapability == 0) data[CAPABILITIES] = (byte) at;
        else data[lastCapability + 1] = (byte) at;
        lastCapability = at;
        nextCapability = (at + len + 3) & ~3;
        data[STATUS] |= STS_CAP_LIST;
        return at;
    }

    /**
     * Places a capability at a fixed offset (0x40 and up, not overlapping another) and links it
     * at the head of the list, as QEMU's pci_add_capability does: a function whose layout must
     * match QEMU's adds its capabilities in QEMU's order. Returns at.
     */
    public synchronized int insertCapability(int at, int id, byte[] body, byte[] bodyWriteMask) {
        int len = 2 + body.length;
        if (at < 0x40 || (at & 3) != 0 || at + len > 256) throw new IllegalArgumentException("capability at " + at);
        data[at] = (byte) id;
        data[at + 1] = data[CAPABILITIES];
        System.arraycopy(body, 0, data, at + 2, body.length);
        System.arraycopy(bodyWriteMask, 0, writeMask, at + 2, body.length);
        writeMask[at] = writeMask[at + 1] = 0;
        data[CAPABILITIES] = (byte) at;
        if (lastCapability == 0) lastCapability = at;
        nextCapability = Math.max(nextCapability, (at + len + 3) & ~3);
        data[STATUS] |= STS_CAP_LIST;
        return at;
    }

    /** Declares that the function uses INTx pin (1 = INTA .. 4 = INTD); the host bridge connects it. */
    public synchronized void declareInterruptPin(int pin) {
        if (pin < 1 || pin > 4) throw new IllegalArgumentException("pin " + pin);
        data[INTERRUPT_PIN] = (byte) pin;
    }

    public synchronized int interruptPin() {
        return data[INTERRUPT_PIN] & 0xFF;
    }

    /** Connects INTx (pin 1 = INTA .. 4 = INTD) to an interrupt line; the guest's INTERRUPT_LINE is informational. */
    public synchronized void setInterrupt(int pin, int lineForGuest, InterruptLine line) {
        data[INTERRUPT_PIN] = (byte) pin;
        data[INTERRUPT_LINE] = (byte) lineForGuest;
        this.intx = line;
    }

    /** The function's INTx level; asserted on the line unless the guest set INTX_DISABLE. */
    public synchronized void setIntx(boolean level) {
        intxLevel = level;
        if (level) data[STATUS] |= STS_INTERRUPT; else data[STATUS] &= ~STS_INTERRUPT;
        updateIntx();
    }

    private void updateIntx() {
        boolean assert_ = intxLevel && (command() & CMD_INTX_DISABLE) == 0 && intx != null;
        if (assert_ != intxAsserted) {
            intxAsserted = assert_;
            intx.setLevel(assert_);
        }
    }

    public synchronized int command() {
        return get16(COMMAND);
    }

    /** Reads size (1, 2, 4) bytes at offset (aligned within a dword by the caller). */
    public synchronized int read(int offset, int size) {
        int v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | (data[offset + i] & 0xFF);
        return v;
    }

    /** A guest write through the configuration mechanism, honouring masks. */
    public synchronized void write(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            byte b = (byte) (value >>> (8 * i));
            byte wm = writeMask[at];
            data[at] = (byte) ((data[at] & ~wm) | (b & wm));
            data[at] &= (byte) ~(b & w1cMask[at]);
        }
        if (offset <= COMMAND + 1 && offset + size > COMMAND) updateIntx();
    }

    // ---- raw access for capability owners (bypasses masks) ----

    public synchronized int get16(int off) { return (data[off] & 0xFF) | (data[off + 1] & 0xFF) << 8; }
    public synchronized int get32(int off) { return get16(off) | get16(off + 2) << 16; }
    public synchronized void put16(int off, int v) { data[off] = (byte) v; data[off + 1] = (byte) (v >> 8); }
    public synchronized void put32(int off, int v) { put16(off, v); put16(off + 2, v >>> 16); }

    private void mask16(int off, int mask) {
        writeMask[off] = (byte) mask;
        writeMask[off + 1] = (byte) (mask >> 8);
    }

    /** Remembers the current bytes as this function's power-on state (the host bridge calls it after preassignment). */
    public synchronized void capturePowerOnState() {
        powerOnData = data.clone();
    }

    /** Back to the captured power-on bytes (or leaves data alone if none was captured); INTx de-asserted. */
    public synchronized void restorePowerOnState() {
        if (powerOnData != null) System.arraycopy(powerOnData, 0, data, 0, data.length);
        intxLevel = false;
        updateIntx();
    }

    // ---- snapshot ----

    public synchronized void saveState(DataOutput out) throws IOException {
        out.write(data);
        out.writeBoolean(intxLevel);
    }

    /** Restores the guest-visible bytes; the layout (BARs, capabilities, masks) comes from construction. */
    public synchronized void loadState(DataInput in) throws IOException {
        in.readFully(data);
        intxLevel = in.readBoolean();
        updateIntx();
    }
}
