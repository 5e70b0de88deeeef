package org.jvirt.vmm.kvm;

/** struct kvm_segment: a segment register with its hidden descriptor cache. */
public final class KvmSegment extends StructView {
    public static final int SIZE = 24;
    public static final int BASE = 0, LIMIT = 8, SELECTOR = 12, TYPE = 14, PRESENT = 15, DPL = 16, DB = 17,
            S = 18, L = 19, G = 20, AVL = 21, UNUSABLE = 22;

    public KvmSegment(NativeBuffer memory, int base) { super(memory, base); }

    @Override public int size() { return SIZE; }

    public long base() { return u64(BASE); }
    public int limit() { return u32(LIMIT); }
    public int selector() { return u16(SELECTOR); }
    public int type() { return u8(TYPE); }

    /** Sets every field: a flat segment is set(0, 0xffffffff, sel, type, 1, 0, db, 1, l, 1). */
    public void set(long base, int limit, int selector, int type, int present, int dpl, int db, int s, int l, int g) {
        u64(BASE, base); u32(LIMIT, limit); u16(SELECTOR, selector); u8(TYPE, type); u8(PRESENT, present);
        u8(DPL, dpl); u8(DB, db); u8(S, s); u8(L, l); u8(G, g); u8(AVL, 0); u8(UNUSABLE, present == 0 ? 1 : 0);
        u8(23, 0);
    }
}
