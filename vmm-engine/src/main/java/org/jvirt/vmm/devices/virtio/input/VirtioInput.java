package org.jvirt.vmm.devices.virtio.input;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

import org.jvirt.vmm.devices.input.InputRouter;
import org.jvirt.vmm.devices.virtio.DescriptorChain;
import org.jvirt.vmm.devices.virtio.SplitVirtqueue;
import org.jvirt.vmm.devices.virtio.VirtioDevice;
import org.jvirt.vmm.devices.virtio.VirtioException;
import org.jvirt.vmm.devices.virtio.VirtioPciDevice;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * virtio-input (virtio spec 5.8) as QEMU 7.2's hw/input/virtio-input.c runs it: device 18, an
 * event queue and a status queue of 64 entries.
 * <ul>
 * <li>Config space: the guest writes select and subsel and reads the answer. As in QEMU, the
 * registers are a shadow buffer: a read refreshes all of it from the selected entry (zeros when
 * there is none, select and subsel included), a write stores its bytes and then takes select and
 * subsel from the buffer's first two bytes; accesses past the config's length read all ones and
 * write nothing; a write after DRIVER_OK is a config change (new generation, config interrupt).</li>
 * <li>Events: queued until an EV_SYN/SYN_REPORT, then delivered as one batch, one event per
 * buffer, only when the guest has posted a buffer for every event of it; otherwise the whole
 * batch is dropped (QEMU's virtio_input_send). Only while active: from DRIVER_OK to the next reset.</li>
 * <li>Status queue: each buffer's first 8 readable bytes are an event; EV_LED events set the
 * keyboard LED state (QEMU's virtio_input_hid_handle_status); the used length is the bytes read.</li>
 * <li>Routing: the device's handler in the {@link InputRouter} is activated at DRIVER_OK and
 * deactivated (sent behind the others) at reset, as QEMU's virtio_input_hid_change_active.</li>
 * </ul>
 * Host events come from any thread ({@link HidEvents}); they are delivered on that thread through
 * the transport, under its queue lock. State (version {@value #STATE_VERSION}): the config
 * selection and shadow, the LED state; active follows DRIVER_OK after a load, as QEMU's post_load.
 */
public final class VirtioInput implements VirtioDevice {
    public static final int DEVICE_TYPE = 18, QUEUE_SIZE = 64;
    public static final int STATE_VERSION = 1;
    static final int EVENT_QUEUE = 0, STATUS_QUEUE = 1, EVENT_SIZE = 8;
    /** Events one batch may hold (QEMU's queue grows without bound; every host event here ends with a sync well before). */
    static final int MAX_BATCH = QUEUE_SIZE;
    /** QEMU's LED bits (ui/console.h). */
    static final int SCROLL_LOCK_LED = 1, NUM_LOCK_LED = 2, CAPS_LOCK_LED = 4;

    private final HidKind kind;
    private final InputConfigSpace config;
    /** QEMU's vdev->config: what the guest reads and writes. */
    private final byte[] shadow;
    private int select, subsel;
    private final DescriptorChain chain = new DescriptorChain(QUEUE_SIZE);
    private final byte[] eventBytes = new byte[EVENT_SIZE];
    /** Events since the last sync, and the batch the transport is delivering: type, code, value triples. */
    private final int[] pending = new int[3 * MAX_BATCH];
    private int pendingCount;
    private final int[] batch = new int[3 * MAX_BATCH];
    private int batchCount;
    private boolean active;
    private int ledState;
    private VirtioPciDevice transport;
    private InputRouter.Handler handler;
    /** Serializes host events: one event and its delivery at a time (lock order: this, then the transport's, then the device's). */
    private final Object hostLock = new Object();

    public VirtioInput(HidKind kind) {
        this.kind = Objects.requireNonNull(kind, "kind");
        config = new InputConfigSpace(kind);
        shadow = new byte[config.size()];
    }

    /** Connects the device to its transport (events are delivered through it) and its router handler. */
    void connect(VirtioPciDevice transport, InputRouter.Handler handler) {
        this.transport = transport;
        this.handler = handler;
    }

    public HidKind kind() { return kind; }

    /** Whether the driver has the device (DRIVER_OK seen since the last reset). */
    public synchronized boolean active() { return active; }

    /** The LED state the guest last wrote (QEMU's bits: 1 scroll lock, 2 num lock, 4 caps lock). */
    public synchronized int ledState() { return ledState; }

    @Override public int deviceType() { return DEVICE_TYPE; }
    @Override public long deviceFeatures() { return F_INDIRECT_DESC; }
    @Override public int queueCount() { return 2; }
    @Override public int queueMaxSize() { return QUEUE_SIZE; }
    @Override public int pciClass() { return kind.pciClass(); }

    // ---- config space ----

    @Override
    public synchronized long readConfig(int offset, int size) {
        if (size == 8) return readConfig(offset, 4) & 0xFFFF_FFFFL | readConfig(offset + 4, 4) << 32; // split as QEMU's memory core does
        if (offset < 0 || size < 1 || size > 4 || offset + size > shadow.length) return (1L << (8 * Math.min(Math.max(size, 1), 4))) - 1;
        byte[] e = config.find(select, subsel);
        if (e != null) System.arraycopy(e, 0, shadow, 0, shadow.length);
        else java.util.Arrays.fill(shadow, (byte) 0);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = v << 8 | (shadow[offset + i] & 0xff);
        return v;
    }

    @Override
    public synchronized void writeConfig(int offset, int size, long value) {
        if (size == 8) {
            writeConfig(offset, 4, value);
            writeConfig(offset + 4, 4, value >>> 32);
            return;
        }
        if (offset < 0 || size < 1 || size > 4 || offset + size > shadow.length) return;
        for (int i = 0; i < size; i++) shadow[offset + i] = (byte) (value >>> (8 * i));
        select = shadow[0] & 0xff;
        subsel = shadow[1] & 0xff;
        // QEMU's virtio_notify_config: only a running driver hears of it
        if (transport != null && (transport.status() & VirtioPciDevice.STATUS_DRIVER_OK) != 0) transport.configChanged();
    }

    // ---- driver state ----

    @Override
    public synchronized void activate(long negotiatedFeatures) {
        if (active) return;
        active = true;
        if (handler != null) handler.activate();
    }

    @Override
    public synchronized void reset() {
        pendingCount = 0;
        batchCount = 0;
        if (!active) return;
        active = false;
        if (handler != null) handler.deactivate();
    }

    // ---- events to the guest ----

    /**
     * One event from the host (QEMU's virtio_input_send): dropped while the driver does not have
     * the device; queued; at a SYN_REPORT the batch goes to the guest, whole or not at all.
     */
    void send(int type, int code, int value) {
        synchronized (hostLock) {
            synchronized (this) {
                if (!active) return;
                if (pendingCount < MAX_BATCH) {
                    pending[3 * pendingCount] = type;
                    pending[3 * pendingCount + 1] = code;
                    pending[3 * pendingCount + 2] = value;
                    pendingCount++;
                }
                if (type != Evdev.EV_SYN || code != Evdev.SYN_REPORT) return;
                System.arraycopy(pending, 0, batch, 0, 3 * pendingCount);
                batchCount = pendingCount;
                pendingCount = 0;
            }
            VirtioPciDevice t = transport;
            if (t != null) t.notifyQueueFromHost(EVENT_QUEUE); // runs processQueue(0) now, unless the queue cannot run
            synchronized (this) {
                batchCount = 0; // not delivered (queue not ready, bus mastering off): lost, as QEMU's pop finds nothing
            }
        }
    }

    @Override
    public synchronized boolean processQueue(int index, SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        return index == EVENT_QUEUE ? deliver(queue, mem) : index == STATUS_QUEUE && status(queue, mem);
    }

    /** The batch into as many buffers, or nothing when fewer are posted (a guest's own notify finds no batch: QEMU does nothing). */
    private boolean deliver(SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        int n = batchCount;
        batchCount = 0;
        if (n == 0) return false;
        int posted = 0;
        while (posted < n && queue.next(mem, chain)) {
            checkInRam(mem);
            posted++;
        }
        queue.rewind(posted);
        if (posted < n) return false; // QEMU: virtqueue_unpop them all, the batch is gone
        for (int i = 0; i < n; i++) {
            queue.next(mem, chain);
            putLe16(eventBytes, 0, batch[3 * i]);
            putLe16(eventBytes, 2, batch[3 * i + 1]);
            InputConfigSpace.putLe32(eventBytes, 4, batch[3 * i + 2]);
            int written = (int) Math.min(EVENT_SIZE, chain.writableBytes());
            chain.writeTo(mem, 0, eventBytes, 0, written);
            queue.addUsed(mem, chain.head(), written);
        }
        return true;
    }

    /** Status buffers: each one's event handled (LEDs), returned with the number of bytes read. */
    private boolean status(SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        boolean used = false;
        byte[] ev = new byte[EVENT_SIZE];
        while (queue.next(mem, chain)) {
            checkInRam(mem);
            java.util.Arrays.fill(ev, (byte) 0);
            int read = (int) Math.min(EVENT_SIZE, chain.readableBytes());
            chain.readFrom(mem, 0, ev, 0, read);
            handleStatus(le16(ev, 0), le16(ev, 2), le32(ev, 4));
            queue.addUsed(mem, chain.head(), read);
            used = true;
        }
        return used;
    }

    /** QEMU's virtio_input_hid_handle_status: EV_LED sets or clears a lock LED; anything else is ignored (QEMU logs it). */
    private void handleStatus(int type, int code, int value) {
        if (type != Evdev.EV_LED) return;
        int bit = switch (code) {
            case Evdev.LED_NUML -> NUM_LOCK_LED;
            case Evdev.LED_CAPSL -> CAPS_LOCK_LED;
            case Evdev.LED_SCROLLL -> SCROLL_LOCK_LED;
            default -> 0;
        };
        if (value != 0) ledState |= bit;
        else ledState &= ~bit;
        if (handler != null) handler.putLeds(ledState);
    }

    /** A buffer outside guest RAM breaks the device, as QEMU's virtqueue_pop failing to map it ("bogus descriptor"). */
    private void checkInRam(GuestMemory mem) throws VirtioException {
        if (!chain.allInRam(mem)) throw new VirtioException("virtio-input: buffer outside guest RAM");
    }

    private static void putLe16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    private static int le32(byte[] b, int off) {
        return le16(b, off) | le16(b, off + 2) << 16;
    }

    // ---- state ----

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeByte(select);
        out.writeByte(subsel);
        out.writeShort(shadow.length);
        out.write(shadow);
        out.writeByte(ledState);
    }

    /** Called by the transport after its own state (the device status) is back: active follows DRIVER_OK. */
    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        int sel = in.readUnsignedByte(), sub = in.readUnsignedByte();
        int len = in.readUnsignedShort();
        if (len != shadow.length) throw new IOException("virtio-input " + kind.name().toLowerCase(java.util.Locale.ROOT)
                + ": config of " + len + " bytes, this device has " + shadow.length);
        byte[] s = new byte[len];
        in.readFully(s);
        int leds = in.readUnsignedByte();
        if ((leds & ~(SCROLL_LOCK_LED | NUM_LOCK_LED | CAPS_LOCK_LED)) != 0) throw new IOException("virtio-input: bad LED state " + leds);
        select = sel;
        subsel = sub;
        System.arraycopy(s, 0, shadow, 0, len);
        ledState = leds;
        pendingCount = batchCount = 0;
        active = transport != null && (transport.status() & VirtioPciDevice.STATUS_DRIVER_OK) != 0;
        if (handler != null) {
            if (active) handler.activate();
            else handler.deactivate();
        }
    }
}
