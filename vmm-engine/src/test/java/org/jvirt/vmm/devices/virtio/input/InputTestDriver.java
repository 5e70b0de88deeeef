package org.jvirt.vmm.devices.virtio.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.input.InputRouter;
import org.jvirt.vmm.devices.input.InputSink;
import org.jvirt.vmm.testutil.HeapGuestMemory;

/**
 * Plays a virtio-input driver on one function, by BAR0 accesses and guest-memory writes: the
 * common config at 0, device config at 0x2000, notify at 0x3000 (4 bytes per queue); event
 * queue at EVQ, status queue at STQ; a recording stand-in for the PS/2 pair registered first.
 */
final class InputTestDriver {
    static final long EVQ = 0x10000, STQ = 0x20000, EVBUF = 0x30000, STBUF = 0x38000;
    static final int COMMON = 0, DEVCFG = 0x2000, NOTIFY = 0x3000;

    final HeapGuestMemory mem = new HeapGuestMemory(1 << 20);
    final InputRouter router = new InputRouter();
    final List<String> ps2 = new ArrayList<>();
    final InputSink ps2Sink = new InputSink() {
        @Override public void key(int qnum, boolean down) { ps2.add("key " + Integer.toHexString(qnum) + (down ? " down" : " up")); }
        @Override public void pointer(int x, int y, int buttonMask, int width, int height) { ps2.add("pointer " + x + "," + y); }
    };
    final List<long[]> msis = new ArrayList<>();
    final VirtioInputFunction fn;
    final IoDevice bar;
    int evSize = 16, stSize = 8;
    int evAvail, stAvail, evUsedSeen;

    InputTestDriver(HidKind kind) {
        router.register(InputRouter.Kind.KEYBOARD, ps2Sink);
        router.register(InputRouter.Kind.RELATIVE_POINTER, ps2Sink);
        fn = VirtioInputFunction.create(kind, mem, (a, d) -> msis.add(new long[] {a, d}), router);
        bar = fn.pci().bar(0);
        fn.pci().config().write(0x04, 2, 0x6); // memory and bus master
    }

    int status() { return (int) bar.read(COMMON + 0x14, 1); }
    void setStatus(int s) { bar.write(COMMON + 0x14, 1, s); }

    /** Negotiates VERSION_1, sets up both queues; DRIVER_OK when ready. */
    void start(boolean ready) {
        setStatus(0);
        setStatus(1);
        setStatus(3);
        bar.write(COMMON + 0x08, 4, 1);
        bar.write(COMMON + 0x0C, 4, 1);
        setStatus(0xB);
        queue(0, EVQ, evSize);
        queue(1, STQ, stSize);
        evAvail = stAvail = evUsedSeen = 0;
        if (ready) setStatus(0xF);
    }

    private void queue(int index, long base, int size) {
        mem.zero(base, 0x3000);
        bar.write(COMMON + 0x16, 2, index);
        bar.write(COMMON + 0x18, 2, size);
        bar.write(COMMON + 0x20, 4, base);
        bar.write(COMMON + 0x24, 4, 0);
        bar.write(COMMON + 0x28, 4, base + 0x1000);
        bar.write(COMMON + 0x2C, 4, 0);
        bar.write(COMMON + 0x30, 4, base + 0x2000);
        bar.write(COMMON + 0x34, 4, 0);
        bar.write(COMMON + 0x1C, 2, 1);
    }

    void desc(long table, int i, long addr, long len, int flags, int next) {
        long d = table + 16L * i;
        mem.writeLong(d, addr);
        mem.writeInt(d + 8, (int) len);
        mem.writeShort(d + 12, (short) flags);
        mem.writeShort(d + 14, (short) next);
    }

    /** Posts event buffer i (8 bytes at EVBUF + 8i) and notifies. */
    void postEvent(int i) {
        desc(EVQ, i, EVBUF + 8L * i, 8, 2, 0);
        publish(EVQ, evSize, evAvail++, i);
        bar.write(NOTIFY, 2, 0);
    }

    void publish(long base, int size, int availIdx, int head) {
        mem.writeShort(base + 0x1000 + 4 + 2L * (availIdx % size), (short) head);
        mem.writeShort(base + 0x1000 + 2, (short) (availIdx + 1));
    }

    int evUsed() { return mem.readShort(EVQ + 0x2000 + 2) & 0xFFFF; }
    int stUsed() { return mem.readShort(STQ + 0x2000 + 2) & 0xFFFF; }
    int usedLen(long base, int size, int i) { return mem.readInt(base + 0x2000 + 4 + 8L * (i % size) + 4); }

    /** The events delivered since the last call, as "type code value". */
    List<String> events() {
        List<String> out = new ArrayList<>();
        for (; evUsedSeen < evUsed(); evUsedSeen++) {
            int id = mem.readInt(EVQ + 0x2000 + 4 + 8L * (evUsedSeen % evSize));
            assertEquals(8, usedLen(EVQ, evSize, evUsedSeen));
            long b = EVBUF + 8L * id;
            out.add(Integer.toHexString(mem.readShort(b) & 0xFFFF) + " " + Integer.toHexString(mem.readShort(b + 2) & 0xFFFF) + " " + mem.readInt(b + 4));
        }
        return out;
    }

    /** Writes a status event in one readable buffer of len bytes, notifies, returns the used length. */
    int statusEvent(int type, int code, int value, int len) {
        mem.writeShort(STBUF, (short) type);
        mem.writeShort(STBUF + 2, (short) code);
        mem.writeInt(STBUF + 4, value);
        int i = stAvail % stSize;
        desc(STQ, i, STBUF, len, 0, 0);
        publish(STQ, stSize, stAvail++, i);
        bar.write(NOTIFY + 4, 2, 1);
        return usedLen(STQ, stSize, stAvail - 1);
    }

    void select(int sel, int sub) {
        bar.write(DEVCFG, 1, sel);
        bar.write(DEVCFG + 1, 1, sub);
    }

    int cfg8(int off) { return (int) bar.read(DEVCFG + off, 1); }
}
