package org.jvirt.vmm.kvm;

/** struct kvm_cpuid2 with room for a fixed number of struct kvm_cpuid_entry2. */
public final class KvmCpuid extends StructView {
    public static final int HEADER = 8, NENT = 0, ENTRIES = 8;
    public static final int ENTRY_SIZE = 40;
    public static final int FUNCTION = 0, INDEX = 4, FLAGS = 8, EAX = 12, EBX = 16, ECX = 20, EDX = 24;
    /** kvm_cpuid_entry2.flags: the leaf has sub-leaves selected by ECX. */
    public static final int FLAG_SIGNIFCANT_INDEX = 1;

    private final int capacity;

    public KvmCpuid(int capacity) {
        super(NativeBuffer.allocate(HEADER + capacity * ENTRY_SIZE), 0);
        this.capacity = capacity;
        count(capacity);
    }

    @Override public int size() { return HEADER + capacity * ENTRY_SIZE; }

    public int capacity() { return capacity; }
    public int count() { return u32(NENT); }
    public void count(int n) {
        if (n < 0 || n > capacity) throw new IllegalArgumentException("nent " + n + " > capacity " + capacity);
        u32(NENT, n);
    }

    private int at(int i, int field) {
        if (i < 0 || i >= capacity) throw new IndexOutOfBoundsException(i);
        return ENTRIES + i * ENTRY_SIZE + field;
    }

    public int get(int i, int field) { return u32(at(i, field)); }

    public void set(int i, int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
        u32(at(i, FUNCTION), function); u32(at(i, INDEX), index); u32(at(i, FLAGS), flags);
        u32(at(i, EAX), eax); u32(at(i, EBX), ebx); u32(at(i, ECX), ecx); u32(at(i, EDX), edx);
        for (int p = 28; p < ENTRY_SIZE; p += 4) u32(at(i, p), 0);
    }
}
