package org.jvirt.vmm.kvm;

import java.nio.ByteBuffer;

/**
 * A KVM struct at a fixed offset of a {@link NativeBuffer}: the same accessors serve a struct
 * passed to an ioctl and the copy KVM keeps in kvm_run's sync-regs area.
 */
public abstract class StructView {
    protected final NativeBuffer memory;
    protected final ByteBuffer buf;
    protected final int base;

    protected StructView(NativeBuffer memory, int base) {
        this.memory = memory;
        this.buf = memory.buffer();
        this.base = base;
    }

    /** Native address of the struct, the ioctl argument. */
    public long address() { return memory.address() + base; }

    public abstract int size();

    public int u8(int off) { return buf.get(base + off) & 0xff; }
    public int u16(int off) { return buf.getShort(base + off) & 0xffff; }
    public int u32(int off) { return buf.getInt(base + off); }
    public long u64(int off) { return buf.getLong(base + off); }
    public void u8(int off, int v) { buf.put(base + off, (byte) v); }
    public void u16(int off, int v) { buf.putShort(base + off, (short) v); }
    public void u32(int off, int v) { buf.putInt(base + off, v); }
    public void u64(int off, long v) { buf.putLong(base + off, v); }

    /** A copy of the struct's bytes. */
    public byte[] bytes() {
        byte[] b = new byte[size()];
        buf.get(base, b);
        return b;
    }

    /** Overwrites the struct with b, which must be exactly size() bytes. */
    public void bytes(byte[] b) {
        if (b.length != size()) throw new IllegalArgumentException(b.length + " bytes for a " + size() + "-byte struct");
        buf.put(base, b);
    }

    public void clear() {
        for (int i = 0; i < size(); i++) buf.put(base + i, (byte) 0);
    }

    /** Copies this struct's bytes into other (same struct type). */
    public void copyTo(StructView other) {
        for (int i = 0; i < size(); i++) other.buf.put(other.base + i, buf.get(base + i));
    }
}
