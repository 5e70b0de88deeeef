package org.jvirt.vmm.kvm;

/** struct kvm_msrs with room for a fixed number of struct kvm_msr_entry {index, reserved, data}. */
public final class KvmMsrs extends StructView {
    public static final int HEADER = 8, NMSRS = 0, ENTRIES = 8;
    public static final int ENTRY_SIZE = 16, INDEX = 0, DATA = 8;

    private final int capacity;

    public KvmMsrs(int capacity) {
        super(NativeBuffer.allocate(HEADER + capacity * ENTRY_SIZE), 0);
        this.capacity = capacity;
    }

    @Override public int size() { return HEADER + capacity * ENTRY_SIZE; }

    public int capacity() { return capacity; }
    public int count() { return u32(NMSRS); }
    public void count(int n) {
        if (n < 0 || n > capacity) throw new IllegalArgumentException("nmsrs " + n + " > capacity " + capacity);
        u32(NMSRS, n);
    }

    public int index(int i) { check(i); return u32(ENTRIES + i * ENTRY_SIZE + INDEX); }
    public long data(int i) { check(i); return u64(ENTRIES + i * ENTRY_SIZE + DATA); }

    public void set(int i, int index, long data) {
        check(i);
        u32(ENTRIES + i * ENTRY_SIZE + INDEX, index);
        u32(ENTRIES + i * ENTRY_SIZE + 4, 0);
        u64(ENTRIES + i * ENTRY_SIZE + DATA, data);
    }

    private void check(int i) {
        if (i < 0 || i >= capacity) throw new IndexOutOfBoundsException(i);
    }
}
