package org.jvirt.vmm.devices.net;

import java.io.Closeable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.devices.virtio.DescriptorChain;
import org.jvirt.vmm.devices.virtio.SplitVirtqueue;
import org.jvirt.vmm.devices.virtio.VirtioDevice;
import org.jvirt.vmm.devices.virtio.VirtioException;
import org.jvirt.vmm.devices.virtio.VirtioPciDevice;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * virtio-net (virtio 1.x section 5.1; PCI 1af4:1041, class 0x020000) on a {@link NetBackend}:
 * one receive and one transmit queue, the MAC and the link status in config space (a link
 * change raises a config interrupt), merged receive buffers, and, when the backend carries the
 * vnet header, the checksum and TSO offloads (passed through to the backend as they are; the
 * receive offloads the guest acked are set on the tap).
 *
 * <p>Frames move on the device's I/O thread (guest kicks) and on the {@link RxPump}'s thread (a
 * frame that came in is delivered there at once, as a run of the I/O thread: see
 * {@link VirtioPciDevice#processQueueHere}), never on a vCPU, through buffers allocated once.
 * Every chain is checked before guest memory is touched: a receive chain outside RAM or without room for the header makes the
 * device need a reset, a bad transmit chain is returned unsent. A frame that does not fit a
 * receive buffer (without MRG_RXBUF) is dropped; with the link down, frames either way are dropped.
 */
public final class VirtioNet implements VirtioDevice, Closeable {
    public static final int DEVICE_TYPE = 1;
    public static final int QUEUE_SIZE = 256;
    static final int RX = 0, TX = 1;
    /** Most frames the receiving thread delivers in a row, before one interrupt. */
    static final int RX_BATCH = 64;
    static final int S_LINK_UP = 1;
    private static final int CONFIG_SIZE = 10; // mac[6], status, max_virtqueue_pairs

    private final NetBackend backend;
    private final String id;
    private final byte[] mac;
    private final RxPump pump;
    private final byte[] txFrame = new byte[TapBackend.MAX_FRAME];
    private final byte[] numBuffers = new byte[2];
    private final DescriptorChain txChain = new DescriptorChain(QUEUE_SIZE);
    private final DescriptorChain rxFirst = new DescriptorChain(QUEUE_SIZE), rxNext = new DescriptorChain(QUEUE_SIZE);
    private volatile boolean linkUp = true;
    private volatile VirtioPciDevice transport;
    private long acked;
    private boolean sendFailed;
    /** Set by a state load: the next time the queues run, one RARP tells the switches where the MAC is now. */
    private boolean announce;

    /** @param id the NIC's name (net0: QMP's set_link names it so); mac 6 bytes. */
    public VirtioNet(String id, byte[] mac, NetBackend backend) {
        if (mac.length != 6) throw new IllegalArgumentException("a MAC address has 6 bytes");
        this.id = id;
        this.mac = mac.clone();
        this.backend = backend;
        pump = new RxPump(backend, this::deliver, () -> linkUp, "jvirt-" + id + "-rx");
    }

    /** The pump holds a frame: delivered on the pump's own thread (no handoff to the I/O thread and back). */
    private void deliver() {
        VirtioPciDevice t = transport;
        if (t != null) t.processQueueHere(RX);
    }

    /** Starts receiving; frames are announced to transport (whose I/O thread then delivers them). */
    public void start(VirtioPciDevice t) {
        transport = t;
        pump.start();
    }

    public String id() { return id; }
    RxPump pump() { return pump; }
    public NetBackend backend() { return backend; }
    public boolean linkUp() { return linkUp; }

    /** QMP's set_link: the guest sees the status change (config interrupt); while down, frames are dropped. */
    public void setLink(boolean up) {
        if (linkUp == up) return;
        linkUp = up;
        VirtioPciDevice t = transport;
        if (t != null) {
            t.configChanged();
            t.kick(); // a frame held for the guest is dropped there, on the I/O thread
        }
    }

    @Override public int deviceType() { return DEVICE_TYPE; }
    @Override public int queueCount() { return 2; }
    @Override public int queueMaxSize() { return QUEUE_SIZE; }
    @Override public int pciClass() { return 0x020000; } // network, Ethernet

    @Override
    public long deviceFeatures() {
        return NetFeatures.MAC | NetFeatures.STATUS | NetFeatures.MRG_RXBUF | F_INDIRECT_DESC
                | (backend.hasVnetHeader() ? NetFeatures.OFFLOADS : 0);
    }

    @Override
    public long readConfig(int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | configByte(offset + i);
        return v;
    }

    private int configByte(int at) {
        if (at >= 0 && at < 6) return mac[at] & 0xFF;
        if (at == 6) return linkUp ? S_LINK_UP : 0;
        if (at == 8) return 1; // one queue pair
        return 0;
    }

    @Override public void writeConfig(int offset, int size, long value) { } // the MAC is the host's (no legacy writes)

    @Override
    public void activate(long negotiatedFeatures) {
        acked = negotiatedFeatures;
        applyOffloads();
    }

    private void applyOffloads() {
        try {
            backend.setOffloads(NetFeatures.tunOffloads(acked));
        } catch (IOException e) {
            System.err.println("virtio-net " + id + ": " + e.getMessage());
        }
    }

    @Override
    public void reset() {
        acked = 0;
        announce = false;
        pump.release(); // the frame held is dropped with the rings it was meant for
        applyOffloads();
    }

    @Override
    public boolean processQueue(int index, SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        if (announce) announce();
        return index == TX ? transmit(queue, mem) : index == RX && receive(queue, mem);
    }

    private boolean transmit(SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        boolean used = false;
        boolean vnet = backend.hasVnetHeader();
        do {
            queue.suppressNotifications(mem, true); // frames the guest queues while these go out come without a kick
            while (queue.next(mem, txChain)) {
                long len = txChain.readableBytes();
                if (linkUp && len >= VirtioNetHeader.SIZE && len <= txFrame.length && txChain.allInRam(mem)) {
                    txChain.readFrom(mem, 0, txFrame, 0, (int) len);
                    send(vnet ? 0 : VirtioNetHeader.SIZE, (int) len - (vnet ? 0 : VirtioNetHeader.SIZE));
                }
                queue.addUsed(mem, txChain.head(), 0);
                used = true;
            }
            queue.suppressNotifications(mem, false);
        } while (queue.hasAvailable(mem));
        return used;
    }

    /**
     * QEMU's self-announce after a migration or restore (net/announce.c): a broadcast RARP request
     * from the NIC's MAC, so that bridges learn the port it is on now. Sent once, on the I/O thread.
     */
    private void announce() {
        announce = false;
        if (!linkUp) return;
        java.util.Arrays.fill(txFrame, 0, VirtioNetHeader.SIZE + 60, (byte) 0);
        int e = VirtioNetHeader.SIZE;
        java.util.Arrays.fill(txFrame, e, e + 6, (byte) 0xFF);
        System.arraycopy(mac, 0, txFrame, e + 6, 6);
        txFrame[e + 12] = (byte) 0x80;
        txFrame[e + 13] = 0x35;          // ETH_P_RARP
        txFrame[e + 15] = 1;             // htype Ethernet
        txFrame[e + 16] = 0x08;          // ptype IPv4
        txFrame[e + 18] = 6;
        txFrame[e + 19] = 4;
        txFrame[e + 21] = 3;             // reverse request
        System.arraycopy(mac, 0, txFrame, e + 22, 6);
        System.arraycopy(mac, 0, txFrame, e + 32, 6);
        boolean vnet = backend.hasVnetHeader();
        send(vnet ? 0 : e, vnet ? e + 60 : 60);
    }

    private void send(int offset, int length) {
        try {
            backend.send(txFrame, offset, length);
        } catch (IOException e) {
            if (!sendFailed) System.err.println("virtio-net " + id + ": " + e.getMessage() + " (frames are dropped)");
            sendFailed = true;
        }
    }

    /**
     * Delivers the frame the pump holds and, on the pump's thread, those its backend has ready
     * behind it (up to {@link #RX_BATCH}), while the guest has room: one interrupt for the burst.
     * True when buffers were used.
     */
    private boolean receive(SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        boolean used = false;
        for (int budget = RX_BATCH; receiveOne(queue, mem); ) {
            used = true;
            if (--budget == 0 || !pump.takeWaiting()) break;
        }
        return used;
    }

    /** Delivers the frame the pump holds, if the guest has room for it; true when buffers were used. */
    private boolean receiveOne(SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        int n = pump.pending();
        if (n == 0) return false;
        if (!linkUp) {
            pump.release();
            return false;
        }
        if (!queue.next(mem, rxFirst)) return false; // no room yet: the driver's next rx kick retries
        checkReceiveChain(rxFirst, mem);
        byte[] frame = pump.frame();
        if ((acked & NetFeatures.MRG_RXBUF) == 0) {
            if (rxFirst.writableBytes() < n) { // does not fit: dropped, the buffer stays the guest's
                queue.rewind(1);
                pump.release();
                return false;
            }
            frame[VirtioNetHeader.NUM_BUFFERS] = 1;
            frame[VirtioNetHeader.NUM_BUFFERS + 1] = 0;
            rxFirst.writeTo(mem, 0, frame, 0, n);
            queue.addUsed(mem, rxFirst.head(), n);
            pump.release();
            return true;
        }
        int done = 0, buffers = 0;
        DescriptorChain chain = rxFirst;
        while (true) {
            int k = (int) Math.min(n - done, chain.writableBytes());
            chain.writeTo(mem, 0, frame, done, k);
            queue.addUsedUnpublished(mem, buffers, chain.head(), k);
            buffers++;
            done += k;
            if (done == n) break;
            if (!queue.next(mem, rxNext)) { // not enough room yet: all given back, tried again on the next kick
                queue.rewind(buffers);
                return false;
            }
            checkReceiveChain(rxNext, mem);
            chain = rxNext;
        }
        numBuffers[0] = (byte) buffers;
        numBuffers[1] = (byte) (buffers >> 8);
        rxFirst.writeTo(mem, VirtioNetHeader.NUM_BUFFERS, numBuffers, 0, 2);
        queue.publishUsed(mem, buffers);
        pump.release();
        return true;
    }

    private static void checkReceiveChain(DescriptorChain c, GuestMemory mem) throws VirtioException {
        if (c.writableBytes() < VirtioNetHeader.SIZE) throw new VirtioException("receive buffer without room for the header");
        if (!c.allInRam(mem)) throw new VirtioException("receive buffer outside guest RAM");
    }

    @Override
    public void saveState(DataOutput out) throws IOException {
        out.writeBoolean(linkUp);
        out.writeLong(acked);
    }

    @Override
    public void loadState(DataInput in) throws IOException {
        linkUp = in.readBoolean();
        acked = in.readLong();
        announce = true;
        pump.release();
        applyOffloads(); // the tap is a new one (reopened by name): it gets the guest's offloads again
    }

    /** Stops the receiving thread (before the I/O thread it kicks is stopped). */
    public void stopReceiving() {
        pump.close();
    }

    /** Stops receiving and closes the backend; the I/O thread must be stopped first. */
    @Override
    public void close() throws IOException {
        pump.close();
        backend.close();
    }
}
