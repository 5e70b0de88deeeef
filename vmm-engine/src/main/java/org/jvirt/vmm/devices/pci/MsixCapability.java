package org.jvirt.vmm.devices.pci;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

import org.jvirt.vmm.irq.MsiSink;

/**
 * An MSI-X capability with its vector table and pending-bit array, both living in a BAR of the
 * owning function (the owner forwards BAR accesses at {@link #tableOffset()} and
 * {@link #pbaOffset()} here). Vectors start masked. A vector signalled while masked (per entry or
 * function-wide) or while MSI-X is disabled sets its pending bit and is delivered on unmask.
 */
public final class MsixCapability {

    public static final int CAP_ID = 0x11;
    private static final int CTL_ENABLE = 0x8000, CTL_FUNCTION_MASK = 0x4000;
    private static final int ENTRY_SIZE = 16, VECTOR_MASKED = 1;

    private final PciConfigSpace cfg;
    private final MsiSink sink;
    private final int vectors;
    private final int capOffset;
    private final int tableOffset, pbaOffset;
    private final long[] address;
    private final int[] data;
    private final int[] control;
    private final long[] pending;

    /** Adds the capability to cfg; table at tableOffset and PBA at pbaOffset (8-byte aligned) inside BAR bar. */
    public MsixCapability(PciConfigSpace cfg, MsiSink sink, int vectors, int bar, int tableOffset, int pbaOffset) {
        this(cfg, sink, vectors, bar, tableOffset, pbaOffset, -1);
    }

    /** As above, the capability placed at configOffset with {@link PciConfigSpace#insertCapability} (-1: appended). */
    public MsixCapability(PciConfigSpace cfg, MsiSink sink, int vectors, int bar, int tableOffset, int pbaOffset, int configOffset) {
        if (vectors < 1 || vectors > 2048) throw new IllegalArgumentException("vectors " + vectors);
        if ((tableOffset & 7) != 0 || (pbaOffset & 7) != 0) throw new IllegalArgumentException("unaligned MSI-X structures");
        this.cfg = cfg;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.vectors = vectors;
        this.tableOffset = tableOffset;
        this.pbaOffset = pbaOffset;
        address = new long[vectors];
        data = new int[vectors];
        control = new int[vectors];
        java.util.Arrays.fill(control, VECTOR_MASKED);
        pending = new long[(vectors + 63) / 64];
        byte[] body = new byte[10];
        put16(body, 0, vectors - 1);
        put32(body, 2, tableOffset | bar);
        put32(body, 6, pbaOffset | bar);
        byte[] mask = new byte[10];
        mask[1] = (byte) 0xC0; // enable and function mask
        capOffset = configOffset < 0 ? cfg.addCapability(CAP_ID, body, mask) : cfg.insertCapability(configOffset, CAP_ID, body, mask);
    }

    public int vectors() { return vectors; }
    public int tableOffset() { return tableOffset; }
    public int tableSize() { return vectors * ENTRY_SIZE; }
    public int pbaOffset() { return pbaOffset; }
    public int pbaSize() { return pending.length * 8; }

    public boolean enabled() {
        return (messageControl() & CTL_ENABLE) != 0;
    }

    private int messageControl() {
        return cfg.get16(capOffset + 2);
    }

    /** Raises vector (no-op when out of range). Returns false when it was left pending instead. */
    public synchronized boolean signal(int vector) {
        if (vector < 0 || vector >= vectors) return false;
        int ctl = messageControl();
        if ((ctl & CTL_ENABLE) == 0 || (ctl & CTL_FUNCTION_MASK) != 0 || (control[vector] & VECTOR_MASKED) != 0) {
            pending[vector >> 6] |= 1L << vector;
            return false;
        }
        sink.signalMsi(address[vector], data[vector]);
        return true;
    }

    /** The owner calls this after any config-space write: an unmask may release pending vectors. */
    public synchronized void configWritten(int offset, int size) {
        if (offset <= capOffset + 3 && offset + size > capOffset + 2) deliverPending();
    }

    public synchronized long readTable(long offset, int size) {
        int v = (int) (offset / ENTRY_SIZE);
        if (v >= vectors) return 0;
        int field = (int) (offset % ENTRY_SIZE);
        long value = switch (field & ~3) {
            case 0 -> address[v] & 0xFFFF_FFFFL;
            case 4 -> address[v] >>> 32;
            case 8 -> data[v] & 0xFFFF_FFFFL;
            default -> control[v] & 0xFFFF_FFFFL;
        };
        if (size == 8 && (field & 7) == 0) value |= readTable(offset + 4, 4) << 32;
        return value;
    }

    public synchronized void writeTable(long offset, int size, long value) {
        int v = (int) (offset / ENTRY_SIZE);
        if (v >= vectors || (offset & 3) != 0 || size < 4) return; // only aligned dword/qword accesses
        int field = (int) (offset % ENTRY_SIZE);
        int lo = (int) value;
        switch (field) {
            case 0 -> address[v] = (address[v] & 0xFFFF_FFFF_0000_0000L) | (lo & 0xFFFF_FFFFL);
            case 4 -> address[v] = (address[v] & 0xFFFF_FFFFL) | ((long) lo << 32);
            case 8 -> data[v] = lo;
            default -> {
                control[v] = lo & VECTOR_MASKED;
                deliverPending();
            }
        }
        if (size == 8 && (field & 7) == 0) writeTable(offset + 4, 4, value >>> 32);
    }

    public synchronized long readPba(long offset, int size) {
        int word = (int) (offset / 8);
        if (word >= pending.length) return 0;
        long v = pending[word] >>> (8 * (offset % 8));
        return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    private void deliverPending() {
        int ctl = messageControl();
        if ((ctl & CTL_ENABLE) == 0 || (ctl & CTL_FUNCTION_MASK) != 0) return;
        for (int v = 0; v < vectors; v++) {
            long bit = 1L << v;
            if ((pending[v >> 6] & bit) != 0 && (control[v] & VECTOR_MASKED) == 0) {
                pending[v >> 6] &= ~bit;
                sink.signalMsi(address[v], data[v]);
            }
        }
    }

    public synchronized void saveState(DataOutput out) throws IOException {
        for (int v = 0; v < vectors; v++) {
            out.writeLong(address[v]);
            out.writeInt(data[v]);
            out.writeInt(control[v]);
        }
        for (long p : pending) out.writeLong(p);
    }

    public synchronized void loadState(DataInput in) throws IOException {
        for (int v = 0; v < vectors; v++) {
            address[v] = in.readLong();
            data[v] = in.readInt();
            control[v] = in.readInt() & VECTOR_MASKED;
        }
        for (int i = 0; i < pending.length; i++) pending[i] = in.readLong();
    }

    /** Resets to power-on state (all masked, nothing pending); config-space bits are reset by the owner. */
    public synchronized void reset() {
        java.util.Arrays.fill(address, 0);
        java.util.Arrays.fill(data, 0);
        java.util.Arrays.fill(control, VECTOR_MASKED);
        java.util.Arrays.fill(pending, 0);
    }

    private static void put16(byte[] b, int off, int v) { b[off] = (byte) v; b[off + 1] = (byte) (v >> 8); }
    private static void put32(byte[] b, int off, int v) { put16(b, off, v); put16(b, off + 2, v >>> 16); }
}
