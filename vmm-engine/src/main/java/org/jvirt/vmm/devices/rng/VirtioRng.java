package org.jvirt.vmm.devices.rng;

import java.io.Closeable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.jvirt.vmm.devices.virtio.DescriptorChain;
import org.jvirt.vmm.devices.virtio.SplitVirtqueue;
import org.jvirt.vmm.devices.virtio.VirtioDevice;
import org.jvirt.vmm.devices.virtio.VirtioException;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * virtio-rng (virtio spec section 5.4): one request queue whose device-writable buffers the
 * device fills with bytes read from a host source, as QEMU's virtio-rng-pci with an rng-random
 * backend. Requests run on the device's I/O thread, so a source that blocks (an old kernel's
 * /dev/random) never holds a vCPU. A chain outside guest RAM is returned with nothing written;
 * at most {@link #MAX_PER_REQUEST} bytes are given per request (the driver asks again).
 */
public final class VirtioRng implements VirtioDevice, Closeable {

    public static final int DEVICE_TYPE = 4;
    /** QEMU's queue size for virtio-rng. */
    public static final int QUEUE_SIZE = 8;
    static final int MAX_PER_REQUEST = 64 * 1024;

    private final InputStream source;
    private final Path sourcePath;
    private final byte[] buffer = new byte[4096];
    private final DescriptorChain chain = new DescriptorChain(QUEUE_SIZE);
    private long bytesGiven;

    /** Reads entropy from file (e.g. /dev/urandom); the file is opened now and closed with the device. */
    public VirtioRng(Path file) throws IOException {
        this(new FileInputStream(file.toFile()), file);
    }

    /** Reads entropy from source (closed with the device); sourcePath names it in messages. */
    public VirtioRng(InputStream source, Path sourcePath) {
        this.source = source;
        this.sourcePath = sourcePath;
    }

    public Path sourcePath() { return sourcePath; }

    /** Bytes handed to the guest since the device was made. */
    public synchronized long bytesGiven() { return bytesGiven; }

    @Override public int deviceType() { return DEVICE_TYPE; }
    @Override public long deviceFeatures() { return F_INDIRECT_DESC; }
    @Override public int queueCount() { return 1; }
    @Override public int queueMaxSize() { return QUEUE_SIZE; }
    @Override public int pciClass() { return 0x00FF00; } // QEMU's PCI_CLASS_OTHERS
    @Override public long readConfig(int offset, int size) { return 0; } // no configuration space
    @Override public void writeConfig(int offset, int size, long value) { }
    @Override public void activate(long negotiatedFeatures) { }
    @Override public void reset() { }

    @Override
    public boolean processQueue(int index, SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        boolean used = false;
        while (queue.next(mem, chain)) {
            int written = chain.allInRam(mem) ? fill(mem) : 0;
            queue.addUsed(mem, chain.head(), written);
            used = true;
        }
        return used;
    }

    /** Fills the chain's writable bytes (up to the cap) from the source; returns how many. */
    private int fill(GuestMemory mem) {
        int want = (int) Math.min(MAX_PER_REQUEST, chain.writableBytes());
        int done = 0;
        try {
            while (done < want) {
                int n = source.read(buffer, 0, Math.min(buffer.length, want - done));
                if (n <= 0) break;
                chain.writeTo(mem, done, buffer, 0, n);
                done += n;
            }
        } catch (IOException e) {
            // the source failed: the guest gets what was read so far and asks again
        }
        synchronized (this) {
            bytesGiven += done;
        }
        return done;
    }

    @Override public void saveState(DataOutput out) { } // nothing between requests
    @Override public void loadState(DataInput in) { }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
