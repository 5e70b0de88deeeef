package org.jvirt.vmm.devices.virtio;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.devices.pci.PciHostBridge;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.jvirt.vmm.testutil.RecordingInterruptLine;

/**
 * Plays the guest's virtio-pci driver: finds the device through configuration mechanism #1,
 * walks its capabilities, negotiates, sets up queue 0 and submits chains, all by port and MMIO
 * accesses and guest-memory writes, as Linux's virtio_pci_modern would.
 */
final class VirtioTestDriver {
    static final long DESC = 0x10000, AVAIL = 0x11000, USED = 0x12000, INDIRECT = 0x13000;

    final HeapGuestMemory mem = new HeapGuestMemory(4 << 20);
    final IoBus mmio = new IoBus("mmio"), pio = new IoBus("pio");
    final RecordingInterruptLine[] gsis = new RecordingInterruptLine[24];
    final List<long[]> msis = new ArrayList<>();
    final PciHostBridge bridge;
    final int slot;
    final VirtioPciDevice dev;
    long bar0, common = -1, notify = -1, isr = -1, device = -1;
    int notifyMultiplier;
    int queueSize = 16;
    int availIdx;
    int nextDesc;

    private final int backendQueueSize;

    VirtioTestDriver(VirtioDevice backend) {
        backendQueueSize = backend.queueMaxSize();
        for (int i = 0; i < gsis.length; i++) gsis[i] = new RecordingInterruptLine();
        bridge = new PciHostBridge(mmio, pio, 0xE000_0000L, 0x1EC0_0000L, 0xC000, 0x4000, g -> gsis[g]);
        pio.register(PciHostBridge.PORT, PciHostBridge.PORT_LENGTH, bridge);
        dev = new VirtioPciDevice(backend, mem, (a, d) -> msis.add(new long[] {a, d}));
        slot = bridge.addDevice(dev);
        discover();
    }

    long cfgRead(int reg, int size) { pio.write(0xCF8, 4, 0x8000_0000L | slot << 11 | (reg & ~3)); return pio.read(0xCFC + (reg & 3), size); }
    void cfgWrite(int reg, int size, long v) { pio.write(0xCF8, 4, 0x8000_0000L | slot << 11 | (reg & ~3)); pio.write(0xCFC + (reg & 3), size, v); }

    private void discover() {
        assertEquals(0x1AF4, cfgRead(0, 2));
        bar0 = (cfgRead(0x10, 4) & ~0xFL) | cfgRead(0x14, 4) << 32;
        for (int p = (int) cfgRead(0x34, 1); p != 0; p = (int) cfgRead(p + 1, 1)) {
            if (cfgRead(p, 1) != 0x09) continue;
            int type = (int) cfgRead(p + 3, 1);
            assertEquals(0, cfgRead(p + 4, 1), "all structures in BAR0");
            long at = bar0 + cfgRead(p + 8, 4);
            switch (type) {
                case 1 -> common = at;
                case 2 -> { notify = at; notifyMultiplier = (int) cfgRead(p + 16, 4); }
                case 3 -> isr = at;
                case 4 -> device = at;
                default -> { }
            }
        }
        assertTrue(common > 0 && notify > 0 && isr > 0 && device > 0, "all virtio capabilities present");
        cfgWrite(0x04, 2, cfgRead(0x04, 2) | 0x4); // bus master
    }

    int status() { return (int) mmio.read(common + 0x14, 1); }
    void setStatus(int s) { mmio.write(common + 0x14, 1, s); }

    long deviceFeatures() {
        mmio.write(common, 4, 0);
        long lo = mmio.read(common + 4, 4);
        mmio.write(common, 4, 1);
        return lo | mmio.read(common + 4, 4) << 32;
    }

    /** Resets, negotiates features, sets up queue 0; returns the final status. */
    int initialize(long features) {
        setStatus(0);
        setStatus(1);
        setStatus(3);
        mmio.write(common + 0x08, 4, 0);
        mmio.write(common + 0x0C, 4, features & 0xFFFF_FFFFL);
        mmio.write(common + 0x08, 4, 1);
        mmio.write(common + 0x0C, 4, features >>> 32);
        setStatus(0xB);
        if ((status() & 0x8) == 0) return status();
        mmio.write(common + 0x16, 2, 0);
        int max = (int) mmio.read(common + 0x18, 2);
        assertEquals(backendQueueSize, max, "the queue's maximum size");
        queueSize = Math.min(queueSize, max);
        mmio.write(common + 0x18, 2, queueSize);
        mmio.write(common + 0x20, 4, DESC);
        mmio.write(common + 0x24, 4, 0);
        mmio.write(common + 0x28, 4, AVAIL);
        mmio.write(common + 0x2C, 4, 0);
        mmio.write(common + 0x30, 4, USED);
        mmio.write(common + 0x34, 4, 0);
        mmio.write(common + 0x1C, 2, 1);
        setStatus(0xF);
        availIdx = 0;
        nextDesc = 0;
        mem.zero(AVAIL, 0x1000);
        mem.zero(USED, 0x1000);
        return status();
    }

    int initialize() {
        return initialize(VirtioDevice.F_VERSION_1 | VirtioDevice.F_INDIRECT_DESC | VirtioBlock.F_FLUSH);
    }

    /** Writes descriptor i. */
    void desc(long table, int i, long addr, long len, int flags, int next) {
        long d = table + 16L * i;
        mem.writeLong(d, addr);
        mem.writeInt(d + 8, (int) len);
        mem.writeShort(d + 12, (short) flags);
        mem.writeShort(d + 14, (short) next);
    }

    /** Chains segments {addr, len, writable} in the main table and publishes the head. */
    int submit(long[]... segs) {
        int head = nextDesc;
        for (int i = 0; i < segs.length; i++) {
            int idx = (head + i) % queueSize;
            int flags = (segs[i][2] != 0 ? 2 : 0) | (i + 1 < segs.length ? 1 : 0);
            desc(DESC, idx, segs[i][0], segs[i][1], flags, (idx + 1) % queueSize);
        }
        nextDesc = (head + segs.length) % queueSize;
        publish(head);
        return head;
    }

    void publish(int head) {
        mem.writeShort(AVAIL + 4 + 2L * (availIdx % queueSize), (short) head);
        availIdx++;
        mem.writeShort(AVAIL + 2, (short) availIdx);
    }

    void kick(int queue) {
        mmio.write(notify + (long) queue * notifyMultiplier, 2, queue);
    }

    int usedIdx() { return mem.readShort(USED + 2) & 0xFFFF; }
    int usedId(int i) { return mem.readInt(USED + 4 + 8L * (i % queueSize)); }
    int usedLen(int i) { return mem.readInt(USED + 4 + 8L * (i % queueSize) + 4); }

    /** Writes a virtio-blk request header at addr. */
    void header(long addr, int type, long sector) {
        mem.writeInt(addr, type);
        mem.writeInt(addr + 4, 0);
        mem.writeLong(addr + 8, sector);
    }
}
