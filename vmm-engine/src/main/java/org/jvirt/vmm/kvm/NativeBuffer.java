package org.jvirt.vmm.kvm;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory with a little-endian ByteBuffer view over it: either allocated once (a KVM
 * struct reused for every call) or a mapping we do not own the allocation of (kvm_run).
 * Absolute ByteBuffer gets/puts are JIT intrinsics, unlike Pointer.getInt which is a JNI call.
 */
public final class NativeBuffer implements AutoCloseable {
    private final Memory memory;   // keeps the allocation alive; null for a mapping
    private final ByteBuffer buffer;
    private final long address;
    private final int size;

    private NativeBuffer(Memory memory, long address, int size) {
        this.memory = memory;
        this.address = address;
        this.size = size;
        this.buffer = new Pointer(address).getByteBuffer(0, size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Zeroed native memory of size bytes. */
    public static NativeBuffer allocate(int size) {
        Memory m = new Memory(Math.max(size, 8));
        m.clear();
        return new NativeBuffer(m, Pointer.nativeValue(m), size);
    }

    /** A view of native memory owned elsewhere (e.g. an mmap'ed kvm_run). */
    public static NativeBuffer wrap(long address, int size) {
        return new NativeBuffer(null, address, size);
    }

    public ByteBuffer buffer() { return buffer; }
    public long address() { return address; }
    public int size() { return size; }

    public void clear() {
        for (int i = 0; i + 8 <= size; i += 8) buffer.putLong(i, 0);
        for (int i = size & ~7; i < size; i++) buffer.put(i, (byte) 0);
    }

    @Override
    public void close() {
        if (memory != null) memory.close();
    }
}
