package org.jvirt.vmm.kvm;

/** struct kvm_sregs: segment and control registers, descriptor tables, EFER, APIC base. */
public final class KvmSregs extends StructView {
    public static final int SIZE = 312;
    public static final int CS = 0, DS = 24, ES = 48, FS = 72, GS = 96, SS = 120, TR = 144, LDT = 168,
            GDT = 192, IDT = 208, CR0 = 224, CR2 = 232, CR3 = 240, CR4 = 248, CR8 = 256, EFER = 264,
            APIC_BASE = 272, INTERRUPT_BITMAP = 280;
    /** struct kvm_dtable: base u64, limit u16. */
    public static final int DTABLE_BASE = 0, DTABLE_LIMIT = 8;

    private final KvmSegment cs, ds, es, fs, gs, ss, tr, ldt;

    public KvmSregs(NativeBuffer memory, int base) {
        super(memory, base);
        cs = new KvmSegment(memory, base + CS); ds = new KvmSegment(memory, base + DS);
        es = new KvmSegment(memory, base + ES); fs = new KvmSegment(memory, base + FS);
        gs = new KvmSegment(memory, base + GS); ss = new KvmSegment(memory, base + SS);
        tr = new KvmSegment(memory, base + TR); ldt = new KvmSegment(memory, base + LDT);
    }

    public static KvmSregs allocate() { return new KvmSregs(NativeBuffer.allocate(SIZE), 0); }

    @Override public int size() { return SIZE; }

    public KvmSegment cs() { return cs; }
    public KvmSegment ds() { return ds; }
    public KvmSegment es() { return es; }
    public KvmSegment fs() { return fs; }
    public KvmSegment gs() { return gs; }
    public KvmSegment ss() { return ss; }
    public KvmSegment tr() { return tr; }
    public KvmSegment ldt() { return ldt; }

    public void gdt(long base, int limit) { u64(GDT + DTABLE_BASE, base); u16(GDT + DTABLE_LIMIT, limit); }
    public void idt(long base, int limit) { u64(IDT + DTABLE_BASE, base); u16(IDT + DTABLE_LIMIT, limit); }
    public long cr0() { return u64(CR0); }
    public void cr0(long v) { u64(CR0, v); }
    public void cr3(long v) { u64(CR3, v); }
    public long cr4() { return u64(CR4); }
    public void cr4(long v) { u64(CR4, v); }
    public long efer() { return u64(EFER); }
    public void efer(long v) { u64(EFER, v); }
    public long apicBase() { return u64(APIC_BASE); }
}
