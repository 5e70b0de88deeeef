package org.jvirt.vmm.devices.virtio;

/** Exposes a package-private test driver doing one 512-byte read per call, for tests in other packages. */
public final class VirtioTestDriverAccess {
    private final VirtioTestDriver d;
    private int expectedUsed;
    private VirtioIoThread io;

    public VirtioTestDriverAccess(VirtioDevice device) {
        this(device, false);
    }

    /** With ioThread, requests run on a {@link VirtioIoThread} and readOneSector waits for their completion. */
    public VirtioTestDriverAccess(VirtioDevice device, boolean ioThread) {
        d = new VirtioTestDriver(device);
        if (ioThread) io = VirtioIoThread.start(d.dev, null, "test-io-" + device.deviceType());
        if (d.initialize() != 0xF) throw new IllegalStateException("driver init failed");
        d.header(0x20000, VirtioBlock.T_IN, 1);
        // descriptors 0-2 are reused for every request
        d.desc(VirtioTestDriver.DESC, 0, 0x20000, 16, 1, 1);
        d.desc(VirtioTestDriver.DESC, 1, 0x30000, 512, 3, 2);
        d.desc(VirtioTestDriver.DESC, 2, 0x21000, 1, 2, 0);
    }

    /** Publishes the prepared chain again and kicks; checks it completed. */
    public void readOneSector() {
        d.publish(0);
        d.kick(0);
        expectedUsed = (expectedUsed + 1) & 0xFFFF;
        if (io != null) {
            long end = System.nanoTime() + 10_000_000_000L;
            while (d.usedIdx() != expectedUsed && System.nanoTime() < end) {
                java.lang.invoke.VarHandle.acquireFence();
                Thread.onSpinWait();
            }
        }
        if (d.usedIdx() != expectedUsed) throw new IllegalStateException("request did not complete");
    }

    /** The I/O thread (null without one). */
    public VirtioIoThread ioThread() { return io; }
}
