package org.jvirt.vmm.devices.virtio;

/** Exposes a package-private test driver doing one 512-byte read per call, for tests in other packages. */
public final class VirtioTestDriverAccess {
    private final VirtioTestDriver d;
    private int expectedUsed;

    public VirtioTestDriverAccess(VirtioDevice device) {
        d = new VirtioTestDriver(device);
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
        if (d.usedIdx() != expectedUsed) throw new IllegalStateException("request did not complete");
    }
}
