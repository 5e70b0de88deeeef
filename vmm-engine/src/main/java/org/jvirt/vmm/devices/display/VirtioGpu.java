package org.jvirt.vmm.devices.display;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

import org.jvirt.vmm.devices.virtio.DescriptorChain;
import org.jvirt.vmm.devices.virtio.SplitVirtqueue;
import org.jvirt.vmm.devices.virtio.VirtioDevice;
import org.jvirt.vmm.devices.virtio.VirtioException;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * virtio-gpu in 2D mode (virtio spec 5.7; QEMU's -device virtio-gpu-pci without virgl or blobs),
 * as QEMU 7.2 answers: one scanout of 1280x800, the EDID feature ({@link Edid}), resources in the
 * eight 32-bit formats, guest backing in up to 16384 scattered entries, transfers, scanout and
 * flush; the cursor queue is taken and returned (no cursor is drawn). A request shorter than its
 * command is answered "ok, nothing done" as QEMU does, except one shorter than the header (QEMU
 * keeps it forever; here it returns with nothing written). Host copies are bounded as QEMU's
 * max_hostmem (256 MiB); every rectangle and backing entry is checked before memory is touched.
 */
public final class VirtioGpu implements VirtioDevice, Display {
    public static final int DEVICE_TYPE = 16, QUEUE_SIZE = 256, PCI_CLASS = 0x038000, VGA_PCI_CLASS = 0x030000;
    static final long F_EDID = 1L << 1;
    static final int MAX_BACKING_ENTRIES = 16384, SCANOUT_WIDTH = 1280, SCANOUT_HEIGHT = 800;
    static final long MAX_HOSTMEM = 256L << 20;
    private static final int HEADER = 24, FLAG_FENCE = 1;
    static final int GET_DISPLAY_INFO = 0x100, RESOURCE_CREATE_2D = 0x101, RESOURCE_UNREF = 0x102, SET_SCANOUT = 0x103,
            RESOURCE_FLUSH = 0x104, TRANSFER_TO_HOST_2D = 0x105, RESOURCE_ATTACH_BACKING = 0x106, RESOURCE_DETACH_BACKING = 0x107,
            GET_EDID = 0x10a;
    static final int OK_NODATA = 0x1100, OK_DISPLAY_INFO = 0x1101, OK_EDID = 0x1104, ERR_UNSPEC = 0x1200, ERR_OUT_OF_MEMORY = 0x1201,
            ERR_INVALID_SCANOUT_ID = 0x1202, ERR_INVALID_RESOURCE_ID = 0x1203, ERR_INVALID_PARAMETER = 0x1205;

    private final Map<Integer, GpuResource> resources = new TreeMap<>();
    private final DescriptorChain chain = new DescriptorChain(QUEUE_SIZE);
    private final byte[] request = new byte[64], response = new byte[HEADER + 8 + 1024];
    private final byte[] edid = Edid.qemuDefault();
    private GuestMemory memory;
    private long hostmem;
    private int eventsRead;
    /** Scanout 0: the resource shown (0: none) and its rectangle. */
    private int scanoutResource, scanoutX, scanoutY, scanoutW, scanoutH;
    private Frame last = new Frame(640, 480, new int[640 * 480]);
    /** QEMU's virtio_gpu_base.enable: a scanout was set since the last reset (virtio-vga then shows the GPU, not the VGA). */
    private boolean enabled;
    private final int pciClass;

    /** QEMU's virtio-gpu-pci: class 0x0380 (display, other). */
    public VirtioGpu() {
        this(PCI_CLASS);
    }

    private VirtioGpu(int pciClass) {
        this.pciClass = pciClass;
    }

    /** The GPU inside QEMU's virtio-vga: the function is a VGA controller (class 0x0300). */
    public static VirtioGpu forVga() {
        return new VirtioGpu(VGA_PCI_CLASS);
    }

    @Override public int deviceType() { return DEVICE_TYPE; }
    @Override public long deviceFeatures() { return F_INDIRECT_DESC | F_EDID; }
    @Override public int queueCount() { return 2; }
    @Override public int queueMaxSize() { return QUEUE_SIZE; }
    @Override public int pciClass() { return pciClass; }

    /** Whether the driver has set a scanout since the last reset. */
    public synchronized boolean enabled() { return enabled; }

    /** virtio_gpu_config: events_read, events_clear, num_scanouts (1), num_capsets (0). */
    @Override
    public synchronized long readConfig(int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            int o = offset + i, word = o >> 2;
            int field = word == 0 ? eventsRead : word == 2 ? 1 : 0;
            v = v << 8 | (o < 16 ? field >>> (8 * (o & 3)) & 0xff : 0);
        }
        return v;
    }

    @Override
    public synchronized void writeConfig(int offset, int size, long value) {
        if (offset == 4 && size == 4) eventsRead &= ~(int) value;
    }

    @Override public void activate(long negotiatedFeatures) { }

    @Override
    public synchronized void reset() {
        resources.clear();
        hostmem = 0;
        eventsRead = 0;
        scanoutResource = 0;
        enabled = false;
    }

    @Override
    public boolean processQueue(int index, SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        boolean used = false;
        while (queue.next(mem, chain)) {
            int written = 0;
            if (index == 0 && chain.allInRam(mem)) {
                synchronized (this) {
                    memory = mem;
                    written = command(mem);
                }
            }
            queue.addUsed(mem, chain.head(), written); // the cursor queue's requests return empty, as QEMU's
            used = true;
        }
        return used;
    }

    /** Runs one control request; returns the bytes written back. */
    private int command(GuestMemory mem) {
        int readable = (int) Math.min(chain.readableBytes(), request.length);
        java.util.Arrays.fill(request, (byte) 0);
        chain.readFrom(mem, 0, request, 0, readable);
        if (readable < HEADER) return 0;
        ByteBuffer in = ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.wrap(response).order(ByteOrder.LITTLE_ENDIAN);
        java.util.Arrays.fill(response, (byte) 0);
        int type = in.getInt(0);
        int result = switch (type) {
            case GET_DISPLAY_INFO -> displayInfo(out);
            case GET_EDID -> readable < 32 ? OK_NODATA : in.getInt(24) != 0 ? ERR_INVALID_PARAMETER : edid(out);
            case RESOURCE_CREATE_2D -> readable < 40 ? OK_NODATA : create(in.getInt(24), in.getInt(28), in.getInt(32), in.getInt(36));
            case RESOURCE_UNREF -> readable < 32 ? OK_NODATA : unref(in.getInt(24));
            case SET_SCANOUT -> readable < 48 ? OK_NODATA : setScanout(in, in.getInt(40), in.getInt(44));
            case RESOURCE_FLUSH -> readable < 48 ? OK_NODATA : flush(in, in.getInt(40));
            case TRANSFER_TO_HOST_2D -> readable < 56 ? OK_NODATA : transfer(in, in.getLong(40), in.getInt(48));
            case RESOURCE_ATTACH_BACKING -> readable < 32 ? OK_NODATA : attach(mem, in.getInt(24), in.getInt(28));
            case RESOURCE_DETACH_BACKING -> readable < 32 ? OK_NODATA : detach(in.getInt(24));
            default -> ERR_UNSPEC;
        };
        int length = result == OK_DISPLAY_INFO ? HEADER + 16 * 24 : result == OK_EDID ? HEADER + 8 + 1024 : HEADER;
        out.putInt(0, result);
        if ((in.getInt(4) & FLAG_FENCE) != 0) {
            out.putInt(4, FLAG_FENCE);
            out.putLong(8, in.getLong(8));
            out.putInt(16, in.getInt(16));
        }
        int n = (int) Math.min(length, chain.writableBytes());
        chain.writeTo(mem, 0, response, 0, n);
        return n;
    }

    private int displayInfo(ByteBuffer out) {
        out.putInt(HEADER + 8, SCANOUT_WIDTH).putInt(HEADER + 12, SCANOUT_HEIGHT).putInt(HEADER + 16, 1);
        return OK_DISPLAY_INFO;
    }

    private int edid(ByteBuffer out) {
        out.putInt(HEADER, 1024);
        System.arraycopy(edid, 0, response, HEADER + 8, edid.length);
        return OK_EDID;
    }

    private int create(int id, int format, int width, int height) {
        if (id == 0 || resources.containsKey(id)) return ERR_INVALID_RESOURCE_ID;
        if (GpuResource.channels(format) == null) return ERR_INVALID_PARAMETER;
        long bytes = (width & 0xffffffffL) * (height & 0xffffffffL) * 4;
        if (bytes + hostmem >= MAX_HOSTMEM) return ERR_OUT_OF_MEMORY;
        resources.put(id, new GpuResource(id, format, width, height));
        hostmem += bytes;
        return OK_NODATA;
    }

    private int unref(int id) {
        GpuResource r = resources.remove(id);
        if (r == null) return ERR_INVALID_RESOURCE_ID;
        hostmem -= r.hostBytes();
        if (scanoutResource == id) scanoutResource = 0;
        return OK_NODATA;
    }

    /** A rectangle (at offset 24 of the request) inside the resource, compared in 64 bits (QEMU's 32-bit sums can wrap). */
    private static boolean inside(ByteBuffer in, GpuResource r) {
        long x = in.getInt(24) & 0xffffffffL, y = in.getInt(28) & 0xffffffffL, w = in.getInt(32) & 0xffffffffL, h = in.getInt(36) & 0xffffffffL;
        return x + w <= r.width && y + h <= r.height;
    }

    private int setScanout(ByteBuffer in, int scanout, int id) {
        if (scanout != 0) return ERR_INVALID_SCANOUT_ID;
        if (id == 0) {
            scanoutResource = 0;
            return OK_NODATA;
        }
        GpuResource r = resources.get(id);
        if (r == null) return ERR_INVALID_RESOURCE_ID;
        if (!inside(in, r) || in.getInt(32) < 16 || in.getInt(36) < 16) return ERR_INVALID_PARAMETER;
        scanoutResource = id;
        enabled = true;
        scanoutX = in.getInt(24);
        scanoutY = in.getInt(28);
        scanoutW = in.getInt(32);
        scanoutH = in.getInt(36);
        return OK_NODATA;
    }

    private int flush(ByteBuffer in, int id) {
        GpuResource r = resources.get(id);
        if (r == null) return ERR_INVALID_RESOURCE_ID;
        return inside(in, r) ? OK_NODATA : ERR_INVALID_PARAMETER;
    }

    private int transfer(ByteBuffer in, long offset, int id) {
        GpuResource r = resources.get(id);
        if (r == null || r.backingAddr == null) return ERR_INVALID_RESOURCE_ID;
        if (!inside(in, r)) return ERR_INVALID_PARAMETER;
        r.transfer(memory, in.getInt(24), in.getInt(28), in.getInt(32) & 0xffffffffL, in.getInt(36) & 0xffffffffL, offset);
        return OK_NODATA;
    }

    /** The entries follow the 32-byte command in the readable stream: 16 bytes each (address, length, padding). */
    private int attach(GuestMemory mem, int id, int entries) {
        GpuResource r = resources.get(id);
        if (r == null) return ERR_INVALID_RESOURCE_ID;
        if (r.backingAddr != null || entries < 0 || entries > MAX_BACKING_ENTRIES) return ERR_UNSPEC;
        if (chain.readableBytes() < 32 + 16L * entries) return ERR_UNSPEC;
        long[] addr = new long[entries];
        int[] len = new int[entries];
        byte[] entry = new byte[16];
        ByteBuffer e = ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries; i++) {
            chain.readFrom(mem, 32 + 16L * i, entry, 0, 16);
            addr[i] = e.getLong(0);
            len[i] = e.getInt(8);
            if (!mem.isValidRange(addr[i], len[i] & 0xffffffffL)) return ERR_UNSPEC; // QEMU: "failed to map MMIO memory"
        }
        r.backingAddr = addr;
        r.backingLen = len;
        return OK_NODATA;
    }

    private int detach(int id) {
        GpuResource r = resources.get(id);
        if (r == null || r.backingAddr == null) return ERR_INVALID_RESOURCE_ID;
        r.backingAddr = null;
        r.backingLen = null;
        return OK_NODATA;
    }

    /** Scanout 0's rectangle of its resource as it is now (QEMU's surface shares the host copy); the last picture when none is set. */
    @Override
    public synchronized Frame render() {
        GpuResource r = scanoutResource == 0 ? null : resources.get(scanoutResource);
        if (r != null) last = r.frame(scanoutX, scanoutY, scanoutW, scanoutH);
        return last;
    }

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeInt(eventsRead);
        out.writeInt(scanoutResource);
        out.writeInt(scanoutX);
        out.writeInt(scanoutY);
        out.writeInt(scanoutW);
        out.writeInt(scanoutH);
        out.writeInt(resources.size());
        for (GpuResource r : resources.values()) r.save(out);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        reset();
        eventsRead = in.readInt();
        int shown = in.readInt(), x = in.readInt(), y = in.readInt(), w = in.readInt(), h = in.readInt();
        int count = in.readInt();
        if (count < 0 || count > 1 << 20) throw new IOException("bad virtio-gpu resource count " + count);
        for (int i = 0; i < count; i++) {
            GpuResource r = GpuResource.load(in, memory(), MAX_HOSTMEM - hostmem);
            if (resources.put(r.id, r) != null) throw new IOException("virtio-gpu resource " + r.id + " saved twice");
            hostmem += r.hostBytes();
        }
        GpuResource s = resources.get(shown);
        if (shown != 0 && (s == null || x < 0 || y < 0 || w < 16 || h < 16 || (long) x + w > s.width || (long) y + h > s.height)) {
            throw new IOException("bad virtio-gpu scanout");
        }
        scanoutResource = shown;
        enabled = shown != 0; // as QEMU's virtio_gpu_load, which enables the GPU for a scanout with a resource
        scanoutX = x;
        scanoutY = y;
        scanoutW = w;
        scanoutH = h;
    }

    /** Guest RAM, for checking restored backings: given by the board before a restore. */
    public synchronized void attachMemory(GuestMemory mem) {
        memory = mem;
    }

    private GuestMemory memory() throws IOException {
        if (memory == null) throw new IOException("virtio-gpu restored without guest memory");
        return memory;
    }
}
