package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.devices.pci.PciHostBridge;
import org.jvirt.vmm.devices.virtio.VirtioPciDevice;
import org.jvirt.vmm.testutil.HeapGuestMemory;
import org.jvirt.vmm.testutil.RecordingInterruptLine;

/**
 * Plays a virtio-net driver by port, MMIO and guest-memory accesses (as Linux's virtio_pci_modern
 * would): finds the function, negotiates, sets up the receive queue (0) and the transmit queue (1)
 * at fixed addresses, posts buffers and reads the used rings. Queue processing runs on the
 * calling thread (no I/O thread), so a test sees its effect at once.
 */
final class NetTestDriver {
    static final long[] DESC = {0x10000, 0x14000}, AVAIL = {0x11000, 0x15000}, USED = {0x12000, 0x16000};
    static final long INDIRECT = 0x18000;

    final HeapGuestMemory mem = new HeapGuestMemory(4 << 20);
    final IoBus mmio = new IoBus("mmio"), pio = new IoBus("pio");
    final RecordingInterruptLine[] gsis = new RecordingInterruptLine[24];
    final List<long[]> msis = new ArrayList<>();
    final PciHostBridge bridge;
    final int slot;
    final VirtioPciDevice dev;
    final VirtioNet net;
    long common = -1, notify = -1, isr = -1, device = -1;
    int notifyMultiplier;
    int queueSize = 16;
    final int[] availIdx = new int[2], nextDesc = new int[2], lastUsed = new int[2];

    NetTestDriver(VirtioNet net) {
        this.net = net;
        for (int i = 0; i < gsis.length; i++) gsis[i] = new RecordingInterruptLine();
        bridge = new PciHostBridge(mmio, pio, 0xE000_0000L, 0x1EC0_0000L, 0xC000, 0x4000, g -> gsis[g]);
        pio.register(PciHostBridge.PORT, PciHostBridge.PORT_LENGTH, bridge);
        dev = new VirtioPciDevice(net, mem, (a, d) -> msis.add(new long[] {a, d}));
        slot = bridge.addDevice(dev);
        assertEquals(0x1AF4, cfgRead(0, 2));
        assertEquals(0x1041, cfgRead(2, 2), "virtio-net's modern device id");
        assertEquals(0x020000, cfgRead(8, 4) >>> 8, "class: network, Ethernet");
        long bar0 = (cfgRead(0x10, 4) & ~0xFL) | cfgRead(0x14, 4) << 32;
        for (int p = (int) cfgRead(0x34, 1); p != 0; p = (int) cfgRead(p + 1, 1)) {
            if (cfgRead(p, 1) != 0x09) continue;
            long at = bar0 + cfgRead(p + 8, 4);
            switch ((int) cfgRead(p + 3, 1)) {
                case 1 -> common = at;
                case 2 -> { notify = at; notifyMultiplier = (int) cfgRead(p + 16, 4); }
                case 3 -> isr = at;
                case 4 -> device = at;
                default -> { }
            }
        }
        cfgWrite(0x04, 2, cfgRead(0x04, 2) | 0x4); // bus master
    }

    long cfgRead(int reg, int size) { pio.write(0xCF8, 4, 0x8000_0000L | slot << 11 | (reg & ~3)); return pio.read(0xCFC + (reg & 3), size); }
    void cfgWrite(int reg, int size, long v) { pio.write(0xCF8, 4, 0x8000_0000L | slot << 11 | (reg & ~3)); pio.write(0xCFC + (reg & 3), size, v); }

    int status() { return (int) mmio.read(common + 0x14, 1); }

    long deviceFeatures() {
        mmio.write(common, 4, 0);
        long lo = mmio.read(common + 4, 4);
        mmio.write(common, 4, 1);
        return lo | mmio.read(common + 4, 4) << 32;
    }

    /** Resets, negotiates features, sets up both queues; returns the final status. */
    int initialize(long features) {
        mmio.write(common + 0x14, 1, 0);
        mmio.write(common + 0x14, 1, 3);
        mmio.write(common + 0x08, 4, 0);
        mmio.write(common + 0x0C, 4, features & 0xFFFF_FFFFL);
        mmio.write(common + 0x08, 4, 1);
        mmio.write(common + 0x0C, 4, features >>> 32);
        mmio.write(common + 0x14, 1, 0xB);
        if ((status() & 0x8) == 0) return status();
        for (int q = 0; q < 2; q++) {
            mmio.write(common + 0x16, 2, q);
            mmio.write(common + 0x18, 2, queueSize);
            mmio.write(common + 0x20, 8, DESC[q]);
            mmio.write(common + 0x28, 8, AVAIL[q]);
            mmio.write(common + 0x30, 8, USED[q]);
            mem.zero(AVAIL[q], 0x1000);
            mem.zero(USED[q], 0x1000);
            mmio.write(common + 0x1C, 2, 1);
            availIdx[q] = nextDesc[q] = lastUsed[q] = 0;
        }
        mmio.write(common + 0x14, 1, 0xF);
        return status();
    }

    void desc(long table, int i, long addr, long len, int flags, int next) {
        long d = table + 16L * i;
        mem.writeLong(d, addr);
        mem.writeInt(d + 8, (int) len);
        mem.writeShort(d + 12, (short) flags);
        mem.writeShort(d + 14, (short) next);
    }

    /** Chains segments {addr, len, writable} in queue q's table and publishes the head. */
    int submit(int q, long[]... segs) {
        int head = nextDesc[q];
        for (int i = 0; i < segs.length; i++) {
            int idx = (head + i) % queueSize;
            desc(DESC[q], idx, segs[i][0], segs[i][1], (segs[i][2] != 0 ? 2 : 0) | (i + 1 < segs.length ? 1 : 0), (idx + 1) % queueSize);
        }
        nextDesc[q] = (head + segs.length) % queueSize;
        publish(q, head);
        return head;
    }

    void publish(int q, int head) {
        mem.writeShort(AVAIL[q] + 4 + 2L * (availIdx[q] % queueSize), (short) head);
        availIdx[q]++;
        mem.writeShort(AVAIL[q] + 2, (short) availIdx[q]);
    }

    void kick(int q) { mmio.write(notify + (long) q * notifyMultiplier, 2, q); }

    int usedIdx(int q) { return mem.readShort(USED[q] + 2) & 0xFFFF; }
    int usedId(int q, int i) { return mem.readInt(USED[q] + 4 + 8L * (i % queueSize)); }
    int usedLen(int q, int i) { return mem.readInt(USED[q] + 4 + 8L * (i % queueSize) + 4); }

    /** The device's receive side got frame (virtio-net header first) from its backend. */
    void incoming(byte[] frame) {
        System.arraycopy(frame, 0, net.pump().frame(), 0, frame.length);
        net.pump().hold(frame.length);
        dev.kick();
    }
}
