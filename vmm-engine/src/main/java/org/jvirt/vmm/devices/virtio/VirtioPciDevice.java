package org.jvirt.vmm.devices.virtio;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.Snapshottable;
import org.jvirt.vmm.devices.pci.MsixCapability;
import org.jvirt.vmm.devices.pci.PciConfigSpace;
import org.jvirt.vmm.devices.pci.PciConfigSpace.BarType;
import org.jvirt.vmm.devices.pci.PciDevice;
import org.jvirt.vmm.ioevent.Doorbell;
import org.jvirt.vmm.ioevent.IoEvents;
import org.jvirt.vmm.ioevent.IoWorker;
import org.jvirt.vmm.irq.MsiSink;
import org.jvirt.vmm.memory.GuestMemory;
import org.jvirt.vmm.memory.GuestMemoryException;

/**
 * The virtio 1.x modern PCI transport (virtio spec section 4.1) around a {@link VirtioDevice}:
 * vendor 0x1af4, device 0x1040 + type, with vendor capabilities for the common, notify, ISR and
 * device-config structures, all in BAR0 (64-bit memory, {@link #BAR0_SIZE} bytes):
 * <pre>
 *   0x0000 common config   0x1000 ISR   0x2000 device config   0x3000 notify (4 bytes per queue)
 *   0x4000 MSI-X table     0x5000 MSI-X PBA
 * </pre>
 * Interrupts go through MSI-X (one vector per queue plus config) when the guest enabled it,
 * otherwise through INTx with the ISR register. Without an I/O thread, queues are processed
 * synchronously on the vCPU thread that writes the notify register; with one ({@link VirtioIoThread})
 * a notify only rings its doorbell (or, with KVM_IOEVENTFD bound to the notify addresses, the
 * guest's write rings it without a vCPU exit) and that thread processes the queues. A ring or chain the device cannot trust sets
 * DEVICE_NEEDS_RESET (with a config interrupt) and stops all processing until the driver resets;
 * nothing is thrown out of a BAR access. The VIRTIO_PCI_CAP_PCI_CFG access window is not provided.
 *
 * <p>A {@link Window} moves the structures: into another BAR, above a base offset, with the
 * bytes below the base served by another device (virtio-vga keeps the std VGA's MMIO registers
 * at the start of BAR2 and its virtio structures after them, as QEMU's virtio-vga.c does).
 */
public final class VirtioPciDevice implements PciDevice, Snapshottable {

    public static final int VENDOR = 0x1AF4;
    public static final long BAR0_SIZE = 0x8000;
    static final int COMMON = 0x0000, ISR = 0x1000, DEVICE_CFG = 0x2000, NOTIFY = 0x3000;
    static final int MSIX_TABLE = 0x4000, MSIX_PBA = 0x5000;
    static final int NOTIFY_MULTIPLIER = 4;
    private static final int[] NOTIFY_WIDTHS = {2, 4};
    private static final int CAP_VENDOR = 0x09;
    private static final int CFG_COMMON = 1, CFG_NOTIFY = 2, CFG_ISR = 3, CFG_DEVICE = 4;

    public static final int STATUS_ACKNOWLEDGE = 1, STATUS_DRIVER = 2, STATUS_DRIVER_OK = 4, STATUS_FEATURES_OK = 8;
    public static final int STATUS_NEEDS_RESET = 0x40, STATUS_FAILED = 0x80;

    /**
     * Where the transport's structures are: BAR bar ({@link #BAR0_SIZE} bytes, 64-bit memory),
     * from offset base up (a multiple of 0x1000 of at most 0x1000, so the MSI-X PBA still fits);
     * accesses below base go to below (null: read 0, writes ignored).
     */
    public record Window(int bar, int base, IoDevice below) {
        /** The structures at the start of BAR0. */
        public static final Window BAR0 = new Window(0, 0, null);

        public Window {
            if (bar < 0 || bar > 4 || base < 0 || base > 0x1000 || base % 0x1000 != 0) throw new IllegalArgumentException("bad virtio BAR window");
        }
    }

    private final VirtioDevice device;
    private final Window window;
    private final GuestMemory mem;
    private final PciConfigSpace cfg;
    private final MsixCapability msix;
    private final SplitVirtqueue[] queues;
    private final IoDevice bar0 = new IoDevice() {
        @Override public long read(long offset, int size) { return barRead(offset, size); }
        @Override public void write(long offset, int size, long value) { barWrite(offset, size, value); }
    };

    private int deviceFeatureSelect, driverFeatureSelect;
    private long driverFeatures;
    private int status;
    private int queueSelect;
    private int configVector = SplitVirtqueue.NO_VECTOR;
    private int isr;
    /** config_generation: bumped when the device changes its configuration (a NIC's link); not saved. */
    private int configGeneration;
    private String lastError = "";
    /** The I/O thread's doorbell, or null: notifies are then processed on the vCPU thread. */
    private volatile Doorbell doorbell;
    /** The I/O thread's worker once it runs (null before and after): {@link #processQueueHere} runs as one of its runs. */
    private volatile IoWorker worker;
    /** notifyQueueFromHost(i) for each queue, made once: processQueueHere allocates nothing. */
    private final Runnable[] hostNotify;
    /** Held while queues are processed and by everything that changes queue or device state. */
    private final Object ioLock = new Object();
    private IoEvents ioEvents;
    /** Guest-physical address of queue 0's notify register while eventfds are bound there, else -1. */
    private long boundNotify = -1;
    private Doorbell boundBell;

    public VirtioPciDevice(VirtioDevice device, GuestMemory mem, MsiSink msi) {
        this(device, mem, msi, Window.BAR0);
    }

    public VirtioPciDevice(VirtioDevice device, GuestMemory mem, MsiSink msi, Window window) {
        this.device = Objects.requireNonNull(device, "device");
        this.window = Objects.requireNonNull(window, "window");
        this.mem = Objects.requireNonNull(mem, "mem");
        cfg = new PciConfigSpace(VENDOR, 0x1040 + device.deviceType(), device.pciClass(), 1);
        cfg.setSubsystem(VENDOR, 0x40 + device.deviceType());
        cfg.defineBar(window.bar(), BarType.MEMORY64, BAR0_SIZE);
        cfg.declareInterruptPin(1);
        addVirtioCap(CFG_COMMON, COMMON, 0x38, -1);
        addVirtioCap(CFG_NOTIFY, NOTIFY, NOTIFY_MULTIPLIER * device.queueCount(), NOTIFY_MULTIPLIER);
        addVirtioCap(CFG_ISR, ISR, 4, -1);
        addVirtioCap(CFG_DEVICE, DEVICE_CFG, 0x1000, -1);
        msix = new MsixCapability(cfg, msi, device.queueCount() + 1, window.bar(), window.base() + MSIX_TABLE, window.base() + MSIX_PBA);
        queues = new SplitVirtqueue[device.queueCount()];
        for (int i = 0; i < queues.length; i++) queues[i] = new SplitVirtqueue(device.queueMaxSize());
        hostNotify = new Runnable[queues.length];
        for (int i = 0; i < queues.length; i++) {
            int q = i;
            hostNotify[i] = () -> notifyQueueFromHost(q);
        }
    }

    private void addVirtioCap(int type, int offset, int length, int notifyMultiplier) {
        int bodyLen = notifyMultiplier >= 0 ? 18 : 14;
        byte[] body = new byte[bodyLen];
        body[0] = (byte) (bodyLen + 2); // cap_len
        body[1] = (byte) type;
        body[2] = (byte) window.bar();  // BAR
        putLe(body, 6, window.base() + offset);
        putLe(body, 10, length);
        if (notifyMultiplier >= 0) putLe(body, 14, notifyMultiplier);
        cfg.addCapability(CAP_VENDOR, body, new byte[bodyLen]);
    }

    private static void putLe(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >> (8 * i));
    }

    @Override
    public PciConfigSpace config() { return cfg; }

    @Override
    public IoDevice bar(int index) { return index == window.bar() ? bar0 : null; }

    @Override
    public void configWritten(int offset, int size) {
        msix.configWritten(offset, size);
        syncIoEvents(); // the guest may have moved BAR0 or turned memory decoding off
    }

    public VirtioDevice device() { return device; }

    public synchronized int status() { return status; }

    /** Why the device last asked for a reset (for logs), or "". */
    public synchronized String lastError() { return lastError; }

    // ---- BAR0 ----

    private long barRead(long offset, int size) {
        if (offset < window.base()) return window.below() == null ? 0 : window.below().read(offset, size);
        return structureRead(offset - window.base(), size);
    }

    private synchronized long structureRead(long offset, int size) {
        int o = (int) offset;
        if (o < ISR) return readCommon(o, size);
        if (o < DEVICE_CFG) return o == ISR ? readIsr() : 0;
        if (o < NOTIFY) return device.readConfig(o - DEVICE_CFG, size);
        if (o < MSIX_TABLE) return 0;
        if (o < MSIX_PBA) return msix.readTable(o - MSIX_TABLE, size);
        return msix.readPba(o - MSIX_PBA, size);
    }

    private void barWrite(long offset, int size, long value) {
        if (offset < window.base()) {
            if (window.below() != null) window.below().write(offset, size, value);
            return;
        }
        int o = (int) (offset - window.base());
        Doorbell bell = doorbell;
        if (bell != null && o >= NOTIFY && o < MSIX_TABLE) {
            bell.ring(); // the I/O thread processes; never wait here for a request in progress
            return;
        }
        lockedBarWrite(o, size, value);
    }

    /**
     * Lock order: ioLock, then this. Queue processing holds ioLock (and this only to raise an
     * interrupt), so BAR reads and MSI-X table writes, which take only this, never wait for a
     * request; writes that change queue or device state wait for the request in progress.
     */
    private void lockedBarWrite(int o, int size, long value) {
        if (o >= MSIX_TABLE) {
            synchronized (this) {
                if (o < MSIX_PBA) msix.writeTable(o - MSIX_TABLE, size, value);
            }
            return;
        }
        synchronized (ioLock) {
            synchronized (this) {
                transportWrite(o, size, value);
            }
        }
    }

    private void transportWrite(int o, int size, long value) {
        if (o < ISR) writeCommon(o, size, value);
        else if (o < DEVICE_CFG) { } // ISR is read-only
        else if (o < NOTIFY) device.writeConfig(o - DEVICE_CFG, size, value);
        else if (o < MSIX_TABLE) notifyQueue((o - NOTIFY) / NOTIFY_MULTIPLIER);
        else if (o < MSIX_PBA) msix.writeTable(o - MSIX_TABLE, size, value);
    }

    private SplitVirtqueue selected() {
        return queueSelect < queues.length ? queues[queueSelect] : null;
    }

    private long readCommon(int o, int size) {
        SplitVirtqueue q = selected();
        long v = switch (o) {
            case 0x00 -> deviceFeatureSelect;
            case 0x04 -> deviceFeatureSelect == 0 ? offered() & 0xFFFF_FFFFL : deviceFeatureSelect == 1 ? offered() >>> 32 : 0;
            case 0x08 -> driverFeatureSelect;
            case 0x0C -> driverFeatureSelect == 0 ? driverFeatures & 0xFFFF_FFFFL : driverFeatureSelect == 1 ? driverFeatures >>> 32 : 0;
            case 0x10 -> configVector;
            case 0x12 -> queues.length;
            case 0x14 -> status;
            case 0x15 -> configGeneration & 0xFF;
            case 0x16 -> queueSelect;
            case 0x18 -> q == null ? 0 : q.size();
            case 0x1A -> q == null ? SplitVirtqueue.NO_VECTOR : q.msixVector();
            case 0x1C -> q != null && q.ready() ? 1 : 0;
            case 0x1E -> q == null ? 0 : queueSelect; // notify offset, in units of the multiplier
            case 0x20 -> q == null ? 0 : q.descTable();
            case 0x24 -> q == null ? 0 : q.descTable() >>> 32;
            case 0x28 -> q == null ? 0 : q.availRing();
            case 0x2C -> q == null ? 0 : q.availRing() >>> 32;
            case 0x30 -> q == null ? 0 : q.usedRing();
            case 0x34 -> q == null ? 0 : q.usedRing() >>> 32;
            default -> 0;
        };
        return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    private long offered() {
        return device.deviceFeatures() | VirtioDevice.F_VERSION_1;
    }

    private void writeCommon(int o, int size, long value) {
        SplitVirtqueue q = selected();
        int v = (int) value;
        switch (o) {
            case 0x00 -> deviceFeatureSelect = v;
            case 0x08 -> driverFeatureSelect = v;
            case 0x0C -> {
                if ((status & STATUS_FEATURES_OK) != 0) return; // features are fixed once accepted
                if (driverFeatureSelect == 0) driverFeatures = (driverFeatures & 0xFFFF_FFFF_0000_0000L) | (v & 0xFFFF_FFFFL);
                else if (driverFeatureSelect == 1) driverFeatures = (driverFeatures & 0xFFFF_FFFFL) | ((long) v << 32);
            }
            case 0x10 -> configVector = validVector(v & 0xFFFF);
            case 0x14 -> writeStatus(v & 0xFF);
            case 0x16 -> queueSelect = v & 0xFFFF;
            case 0x18 -> { if (q != null) q.setSize(v & 0xFFFF); }
            case 0x1A -> { if (q != null) q.setMsixVector(validVector(v & 0xFFFF)); }
            case 0x1C -> { if (q != null && (v & 1) == 1 && !q.ready()) enableQueue(q); }
            case 0x20 -> { if (q != null) q.setDescTable(low(q.descTable(), value, size)); }
            case 0x24 -> { if (q != null) q.setDescTable(high(q.descTable(), v)); }
            case 0x28 -> { if (q != null) q.setAvailRing(low(q.availRing(), value, size)); }
            case 0x2C -> { if (q != null) q.setAvailRing(high(q.availRing(), v)); }
            case 0x30 -> { if (q != null) q.setUsedRing(low(q.usedRing(), value, size)); }
            case 0x34 -> { if (q != null) q.setUsedRing(high(q.usedRing(), v)); }
            default -> { } // read-only or reserved
        }
    }

    private static long low(long old, long value, int size) {
        return size == 8 ? value : (old & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL);
    }

    private static long high(long old, int v) {
        return (old & 0xFFFF_FFFFL) | ((long) v << 32);
    }

    /** A vector the table has, else NO_VECTOR (the driver reads it back to see the failure). */
    private int validVector(int v) {
        return v < msix.vectors() ? v : SplitVirtqueue.NO_VECTOR;
    }

    private void enableQueue(SplitVirtqueue q) {
        try {
            q.enable(mem, (driverFeatures & VirtioDevice.F_INDIRECT_DESC) != 0);
        } catch (VirtioException e) {
            needsReset(e.getMessage());
        }
    }

    private void writeStatus(int v) {
        if (v == 0) {
            resetDevice();
            return;
        }
        if ((v & STATUS_FEATURES_OK) != 0 && (status & STATUS_FEATURES_OK) == 0) {
            boolean subset = (driverFeatures & ~offered()) == 0;
            boolean modern = (driverFeatures & VirtioDevice.F_VERSION_1) != 0;
            if (!subset || !modern) v &= ~STATUS_FEATURES_OK; // refused: the driver reads it back
            else device.featuresAccepted(driverFeatures);
        }
        boolean activate = (v & STATUS_DRIVER_OK) != 0 && (status & STATUS_DRIVER_OK) == 0;
        // The device owns NEEDS_RESET; the driver cannot clear it (only a reset does).
        status = (v & ~STATUS_NEEDS_RESET) | (status & STATUS_NEEDS_RESET);
        if (activate) {
            if ((status & STATUS_FEATURES_OK) == 0) {
                needsReset("DRIVER_OK without FEATURES_OK");
                return;
            }
            device.activate(driverFeatures);
            syncIoEvents();
        }
    }

    /** PCI-level reset (machine reset): the virtio device and the MSI-X table; config space is the bridge's job. */
    @Override
    public void reset() {
        synchronized (ioLock) {
            synchronized (this) {
                resetDevice();
                msix.reset();
            }
        }
    }

    /** Virtio-level reset (the driver wrote 0 to device_status). */
    private void resetDevice() {
        device.reset();
        for (SplitVirtqueue q : queues) q.reset();
        status = 0;
        driverFeatures = 0;
        deviceFeatureSelect = driverFeatureSelect = 0;
        queueSelect = 0;
        configVector = SplitVirtqueue.NO_VECTOR;
        isr = 0;
        cfg.setIntx(false);
        syncIoEvents();
    }

    private int readIsr() {
        int v = isr;
        isr = 0; // reading acknowledges and de-asserts INTx
        cfg.setIntx(false);
        return v;
    }

    // ---- queue processing ----

    private void notifyQueue(int index) {
        if (index < 0 || index >= queues.length) return; // no such queue: ignored
        if ((status & STATUS_DRIVER_OK) == 0 || (status & (STATUS_NEEDS_RESET | STATUS_FAILED)) != 0) return;
        if ((cfg.command() & PciConfigSpace.CMD_BUS_MASTER) == 0) return; // DMA not allowed yet
        SplitVirtqueue q = queues[index];
        if (!q.ready()) return;
        try {
            if (device.processQueue(index, q, mem) && q.interruptWanted(mem)) {
                synchronized (this) {
                    interrupt(q.msixVector(), 0x1);
                }
            }
        } catch (VirtioException e) {
            synchronized (this) {
                needsReset(e.getMessage());
            }
        } catch (GuestMemoryException e) {
            synchronized (this) {
                needsReset(e.getMessage());
            }
        }
    }

    /**
     * Has every queue processed as if the driver had notified it: by the I/O thread when there
     * is one (a device's backend has input, e.g. a frame for the guest), else on this thread.
     */
    public void kick() {
        Doorbell bell = doorbell;
        if (bell != null) bell.ring();
        else processAllQueues();
    }

    /** The device changed its configuration (a NIC's link state): new generation, config interrupt to a running driver. */
    public synchronized void configChanged() {
        configGeneration++;
        if ((status & STATUS_DRIVER_OK) != 0) interrupt(configVector, 0x2);
    }

    /** Processes queue index as if the driver had notified it (for a device thread or tests). */
    public void notifyQueueFromHost(int index) {
        synchronized (ioLock) {
            notifyQueue(index);
        }
    }

    /**
     * Processes queue index now, on the calling device thread (never a vCPU: e.g. a NIC's receive
     * thread that has just read a frame), as a run of the I/O thread (a quiesced device is left
     * alone: the doorbell rings instead, served on resume), under the same lock; without an I/O
     * thread, as {@link #kick} does. Spares handing the work to the I/O thread and back.
     */
    public void processQueueHere(int index) {
        IoWorker w = worker;
        if (w != null && w.runHere(hostNotify[index])) return;
        kick();
    }

    /** Processes every queue (the I/O thread, woken without knowing which queue was notified). */
    void processAllQueues() {
        synchronized (ioLock) {
            for (int i = 0; i < queues.length; i++) notifyQueue(i);
        }
    }

    // ---- I/O thread wiring ----

    /** From now on notifies ring bell; with events, the notify addresses are bound to it while the driver runs. */
    synchronized void attachIoThread(Doorbell bell, IoEvents events) {
        if (doorbell != null) throw new IllegalStateException("an I/O thread is already attached");
        doorbell = Objects.requireNonNull(bell, "bell");
        ioEvents = events;
        syncIoEvents();
    }

    /** The attached I/O thread's worker has started (see {@link #processQueueHere}). */
    void attachWorker(IoWorker w) {
        worker = w;
    }

    /** Undoes {@link #attachIoThread}: eventfds unbound, notifies processed on the vCPU thread again. */
    synchronized void detachIoThread() {
        worker = null;
        doorbell = null;
        syncIoEvents();
        ioEvents = null;
    }

    /** True while the guest's notify writes ring the I/O thread inside the kernel (no vCPU exit). */
    public synchronized boolean notifyBypassesVcpu() { return boundNotify >= 0; }

    /**
     * Binds the notify registers to the doorbell where the driver runs and BAR0 is decoded; unbinds
     * them anywhere else (reset, BAR moved). A refused binding leaves the MMIO-exit path, which rings too.
     */
    private synchronized void syncIoEvents() {
        long want = -1;
        if (doorbell != null && ioEvents != null && (status & STATUS_DRIVER_OK) != 0
                && (cfg.command() & PciConfigSpace.CMD_MEMORY) != 0 && cfg.barAddress(window.bar()) != 0) {
            want = cfg.barAddress(window.bar()) + window.base() + NOTIFY;
        }
        if (want == boundNotify) return;
        if (boundNotify >= 0) bindNotify(boundNotify, false);
        boundNotify = -1;
        if (want >= 0) {
            try {
                bindNotify(want, true);
                boundNotify = want;
            } catch (RuntimeException e) {
                System.err.println("virtio: ioeventfd refused, notifies take the MMIO exit: " + e.getMessage());
            }
        }
    }

    /** Linux writes the 16-bit queue index; other drivers may write 32 bits: both lengths are bound. */
    private void bindNotify(long base, boolean bind) {
        if (bind) boundBell = doorbell;
        int done = 0;
        try {
            for (int q = 0; q < queues.length; q++) {
                for (int len : NOTIFY_WIDTHS) {
                    long addr = base + (long) q * NOTIFY_MULTIPLIER;
                    if (bind) ioEvents.bindMmioWrite(boundBell, addr, len);
                    else unbindQuietly(addr, len);
                    done++;
                }
            }
        } catch (RuntimeException e) {
            undoBindings(base, done); // never leave part of the window swallowing writes
            throw e;
        }
        if (!bind) boundBell = null;
    }

    private void undoBindings(long base, int count) {
        int n = 0;
        for (int q = 0; q < queues.length; q++) {
            for (int len : NOTIFY_WIDTHS) {
                if (n++ < count) unbindQuietly(base + (long) q * NOTIFY_MULTIPLIER, len);
            }
        }
        boundBell = null;
    }

    private void unbindQuietly(long addr, int len) {
        try {
            ioEvents.unbindMmioWrite(boundBell, addr, len);
        } catch (RuntimeException e) {
            System.err.println("virtio: ioeventfd unbind at 0x" + Long.toHexString(addr) + " failed: " + e.getMessage());
        }
    }

    private void interrupt(int vector, int isrBit) {
        if (msix.enabled()) {
            if (vector != SplitVirtqueue.NO_VECTOR) msix.signal(vector);
        } else {
            isr |= isrBit;
            cfg.setIntx(true);
        }
    }

    private void needsReset(String why) {
        lastError = why;
        status |= STATUS_NEEDS_RESET;
        if ((status & STATUS_DRIVER_OK) != 0) interrupt(configVector, 0x2); // config change notification
    }

    // ---- snapshot ----

    @Override
    public void saveState(DataOutput out) throws IOException {
        synchronized (ioLock) {
            synchronized (this) {
                lockedSaveState(out);
            }
        }
    }

    private void lockedSaveState(DataOutput out) throws IOException {
        cfg.saveState(out);
        msix.saveState(out);
        out.writeInt(deviceFeatureSelect);
        out.writeInt(driverFeatureSelect);
        out.writeLong(driverFeatures);
        out.writeByte(status);
        out.writeShort(queueSelect);
        out.writeShort(configVector);
        out.writeByte(isr);
        for (SplitVirtqueue q : queues) q.saveState(out);
        device.saveState(out);
    }

    /** Restores state; afterwards the host bridge's refreshMappings() must re-map the BAR. */
    @Override
    public void loadState(DataInput in) throws IOException {
        synchronized (ioLock) {
            synchronized (this) {
                lockedLoadState(in);
            }
        }
    }

    private void lockedLoadState(DataInput in) throws IOException {
        cfg.loadState(in);
        msix.loadState(in);
        deviceFeatureSelect = in.readInt();
        driverFeatureSelect = in.readInt();
        driverFeatures = in.readLong();
        status = in.readUnsignedByte();
        queueSelect = in.readUnsignedShort();
        configVector = in.readUnsignedShort();
        isr = in.readUnsignedByte();
        for (SplitVirtqueue q : queues) q.loadState(in);
        device.loadState(in);
        syncIoEvents();
    }
}
