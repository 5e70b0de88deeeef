package org.jvirt.vmm.devices.ide;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Resettable;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.irq.InterruptLine;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * One legacy IDE channel as the PIIX3 decodes it in compatibility mode: the command block (8
 * ports: data, error/features, sector count, LBA low/mid/high, device, status/command) and the
 * control block (1 port: alternate status / device control), a master and a slave (either may be
 * absent) and one ISA interrupt line.
 *
 * <p>Register writes reach both devices (each latches its own copy, as on a real cable);
 * reads, data and commands go to the device the DEV bit selects. An absent selected device
 * reads status 0 (the pull-down on DD7), its other registers as last written; a channel with no
 * device reads 0 everywhere. The line is high while the selected device has an interrupt
 * pending and nIEN is clear; reading the status register acknowledges it, the alternate status
 * does not. SRST holds both devices busy and, when cleared, resets them to their signatures.
 *
 * <p>With guest memory, the channel has the PIIX3's bus master ({@link BusMasterDma}, reached
 * through {@link #busMaster()}): its devices then offer DMA commands and modes, and a DMA
 * command's data moves once the command is issued and the engine started.
 *
 * <p>All accesses are serialised on this object, which the devices' host-side calls (media
 * change) share.
 */
public final class IdeChannel implements Resettable, Snapshottable {

    public static final int PRIMARY_COMMAND_PORT = 0x1F0, PRIMARY_CONTROL_PORT = 0x3F6, PRIMARY_IRQ = 14;
    public static final int SECONDARY_COMMAND_PORT = 0x170, SECONDARY_CONTROL_PORT = 0x376, SECONDARY_IRQ = 15;
    public static final int COMMAND_BLOCK_LENGTH = 8, CONTROL_BLOCK_LENGTH = 1;

    /** The state stream's version: 2 added the bus master's registers and each device's DMA flag. */
    public static final int STATE_VERSION = 2;

    static final int DATA = 0, ERROR_FEATURE = 1, COUNT = 2, LBA_LOW = 3, LBA_MID = 4, LBA_HIGH = 5, DEVICE = 6,
            STATUS_COMMAND = 7;

    private final InterruptLine irq;
    private final IdeDevice[] devices = new IdeDevice[2];
    /** The registers of each position as written (a present device's own task file, else a stand-in). */
    private final TaskFile[] taskFiles = new TaskFile[2];
    private int selected;
    private int deviceControl;
    private boolean lineHigh;
    /** The bus master, or null on a channel without one (no DMA offered). */
    private final BusMasterDma busMaster;

    private final IoDevice commandBlock = new IoDevice() {
        @Override public long read(long offset, int size) { return readCommandBlock((int) offset, size); }
        @Override public void write(long offset, int size, long value) { writeCommandBlock((int) offset, size, value); }
    };

    private final IoDevice controlBlock = new IoDevice() {
        @Override public long read(long offset, int size) { return readAltStatus(); }
        @Override public void write(long offset, int size, long value) { writeDeviceControl((int) value & 0xFF); }
    };

    /** A channel without a bus master (PIO only); master and slave may be null (absent). */
    public IdeChannel(InterruptLine irq, IdeDevice master, IdeDevice slave) {
        this(irq, master, slave, null);
    }

    /**
     * master and slave may be null (absent); a device belongs to one channel only. With memory
     * (not null) the channel has a bus master moving DMA data to and from it.
     */
    public IdeChannel(InterruptLine irq, IdeDevice master, IdeDevice slave, GuestMemory memory) {
        this.irq = Objects.requireNonNull(irq, "irq");
        this.busMaster = memory == null ? null : new BusMasterDma(memory);
        devices[0] = master;
        devices[1] = slave;
        for (int i = 0; i < 2; i++) {
            taskFiles[i] = devices[i] != null ? devices[i].tf : new TaskFile();
            if (devices[i] != null) {
                devices[i].attach(this, this::updateLine);
                devices[i].dmaHost = busMaster != null;
            }
        }
        reset();
    }

    /** The bus master's 8 ports (BAR4 + 0 for the primary, + 8 for the secondary), or null without one. */
    public IoDevice busMaster() {
        if (busMaster == null) return null;
        return new IoDevice() {
            @Override public long read(long offset, int size) { return readBusMaster((int) offset, size); }
            @Override public void write(long offset, int size, long value) { writeBusMaster((int) offset, size, value); }
        };
    }

    /** The bus master reaches memory only while enabled says so (the PCI function's Bus Master Enable). */
    public void busMasterEnabledWhen(java.util.function.BooleanSupplier enabled) {
        if (busMaster != null) busMaster.enableWhen(enabled);
    }

    private synchronized long readBusMaster(int offset, int size) {
        return busMaster.read(offset, size);
    }

    private synchronized void writeBusMaster(int offset, int size, long value) {
        if (busMaster.write(offset, size, value)) startPendingDma();
    }

    /** Moves the selected device's DMA data if its command waits for it and the engine is started. */
    private void startPendingDma() {
        IdeDevice d = devices[selected];
        if (busMaster == null || d == null || !busMaster.active() || !d.dma) return;
        if (!d.dataInPending() && !d.dataOutPending()) return;
        if (d instanceof AtapiCdrom c && c.awaitingPacket()) return; // the CDB comes by PIO first
        busMaster.transfer(d);
        updateLine();
    }

    /** The 8 ports at {@link #PRIMARY_COMMAND_PORT} or {@link #SECONDARY_COMMAND_PORT}. */
    public IoDevice commandBlock() { return commandBlock; }

    /** The port at {@link #PRIMARY_CONTROL_PORT} or {@link #SECONDARY_CONTROL_PORT}. */
    public IoDevice controlBlock() { return controlBlock; }

    public IdeDevice master() { return devices[0]; }

    public IdeDevice slave() { return devices[1]; }

    /** Power-on or machine reset: both devices to their signatures, master selected, interrupts enabled. */
    @Override
    public synchronized void reset() {
        deviceControl = 0;
        if (busMaster != null) busMaster.reset();
        selectAfterReset();
        for (IdeDevice d : devices) if (d != null) d.powerOnReset();
        updateLine();
    }

    /** After a reset: master selected; an absent device's registers show no signature (devices set their own). */
    private void selectAfterReset() {
        selected = 0;
        for (int i = 0; i < 2; i++) {
            if (devices[i] == null) taskFiles[i].setAbsentSignature();
            taskFiles[i].device = 0xA0;
        }
    }

    /**
     * Selection, device control, then each position's registers and device state (same devices
     * expected on load); then (version 2) whether a bus master follows, its registers, and each
     * present device's DMA flag (a DMA command may wait for the engine's start).
     */
    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeByte(selected);
        out.writeByte(deviceControl);
        for (int i = 0; i < 2; i++) {
            out.writeByte(kind(devices[i]));
            if (devices[i] != null) devices[i].saveState(out);
            else taskFiles[i].save(out);
        }
        out.writeBoolean(busMaster != null);
        if (busMaster != null) busMaster.saveState(out);
        for (IdeDevice d : devices) if (d != null) out.writeBoolean(d.dma);
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        loadState(in, STATE_VERSION);
    }

    @Override
    public synchronized void loadState(DataInput in, int version) throws IOException {
        selected = in.readUnsignedByte() & 1;
        deviceControl = in.readUnsignedByte() & (Ata.NIEN | Ata.SRST | Ata.HOB);
        for (int i = 0; i < 2; i++) {
            int kind = in.readUnsignedByte();
            if (kind != kind(devices[i])) throw new IOException("IDE state: position " + i + " holds another kind of device");
            if (devices[i] != null) devices[i].loadState(in);
            else taskFiles[i].load(in);
        }
        if (busMaster != null) busMaster.reset();
        for (IdeDevice d : devices) if (d != null) d.dma = false;
        if (version >= 2) {
            boolean saved = in.readBoolean();
            if (saved != (busMaster != null)) throw new IOException("IDE state: the channel " + (saved ? "had" : "had no") + " bus master");
            if (busMaster != null) busMaster.loadState(in);
            for (IdeDevice d : devices) if (d != null) d.dma = in.readBoolean();
        }
        lineHigh = false;
        irq.setLevel(false);
        driveLine(false); // the line rising again is no new interrupt: the bus master's status is as saved
    }

    private static int kind(IdeDevice d) {
        return d == null ? 0 : d instanceof AtaDisk ? 1 : 2;
    }

    private boolean empty() { return devices[0] == null && devices[1] == null; }

    private synchronized long readCommandBlock(int reg, int size) {
        IdeDevice d = devices[selected];
        if (reg == DATA) {
            if (d == null) return 0;
            long v = d.readData();
            if (size == 4) v |= (long) d.readData() << 16;
            return size == 1 ? v & 0xFF : v;
        }
        if (empty()) return 0;
        TaskFile t = taskFiles[selected];
        boolean hob = (deviceControl & Ata.HOB) != 0;
        int v = switch (reg) {
            case ERROR_FEATURE -> d == null ? 0 : d.error();
            case COUNT -> hob ? t.hobCount : t.count;
            case LBA_LOW -> hob ? t.hobLbaLow : t.lbaLow;
            case LBA_MID -> hob ? t.hobLbaMid : t.lbaMid;
            case LBA_HIGH -> hob ? t.hobLbaHigh : t.lbaHigh;
            case DEVICE -> t.device;
            case STATUS_COMMAND -> d == null ? 0 : d.readStatus();
            default -> 0xFF;
        };
        // A 16- or 32-bit access to a byte register reads the byte (the upper lines float).
        return size == 1 ? v : v | (size == 2 ? 0xFF00L : 0xFFFF_FF00L);
    }

    private synchronized void writeCommandBlock(int reg, int size, long value) {
        IdeDevice d = devices[selected];
        if (reg == DATA) {
            if (d == null) return;
            d.writeData((int) value & 0xFFFF);
            if (size == 4) d.writeData((int) (value >>> 16) & 0xFFFF);
            startPendingDma(); // a PACKET's CDB may have ended: its reply may move by DMA
            return;
        }
        int v = (int) value & 0xFF;
        deviceControl &= ~Ata.HOB; // any command block write clears HOB (ATA-7 6.2)
        if (reg == STATUS_COMMAND) {
            if (d == null) return;
            if (v == Ata.EXECUTE_DEVICE_DIAGNOSTIC) { // both devices run it; the selected one reports
                IdeDevice other = devices[selected ^ 1];
                if (other != null && (other.status() & Ata.BSY) == 0) other.hardReset();
            }
            d.executeCommand(v);
            startPendingDma();
            return;
        }
        for (TaskFile t : taskFiles) {
            switch (reg) {
                case ERROR_FEATURE -> t.writeFeature(v);
                case COUNT -> t.writeCount(v);
                case LBA_LOW -> t.writeLbaLow(v);
                case LBA_MID -> t.writeLbaMid(v);
                case LBA_HIGH -> t.writeLbaHigh(v);
                case DEVICE -> t.writeDevice(v);
                default -> { }
            }
        }
        if (reg == DEVICE) {
            selected = (v & Ata.DEV) != 0 ? 1 : 0;
            updateLine();
        }
    }

    private synchronized long readAltStatus() {
        IdeDevice d = devices[selected];
        return d == null ? 0 : d.status();
    }

    private synchronized void writeDeviceControl(int v) {
        boolean wasReset = (deviceControl & Ata.SRST) != 0, reset = (v & Ata.SRST) != 0;
        deviceControl = v & (Ata.NIEN | Ata.SRST | Ata.HOB);
        if (reset && !wasReset) {
            for (IdeDevice d : devices) if (d != null) d.softResetAsserted();
        } else if (!reset && wasReset) {
            selectAfterReset();
            for (IdeDevice d : devices) if (d != null) d.hardReset();
        }
        updateLine();
    }

    /** Drives the line from the selected device's request and nIEN (called by the devices, under this lock). */
    private void updateLine() {
        driveLine(true);
    }

    /** As updateLine; a rise is an interrupt for the bus master's status only when newInterrupt. */
    private void driveLine(boolean newInterrupt) {
        IdeDevice d = devices[selected];
        boolean high = d != null && d.interruptPending() && (deviceControl & Ata.NIEN) == 0;
        if (high != lineHigh) {
            lineHigh = high;
            if (high && newInterrupt && busMaster != null) busMaster.interruptRaised();
            irq.setLevel(high);
        }
    }
}
