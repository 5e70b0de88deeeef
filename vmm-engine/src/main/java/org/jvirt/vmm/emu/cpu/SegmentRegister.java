package org.jvirt.vmm.emu.cpu;

/**
 * One segment register: the visible selector and the hidden descriptor cache, mutable because
 * the CPU reloads it in place (no allocation per segment load). {@code limit} is the expanded
 * byte limit (granularity already applied). The attribute fields follow the descriptor.
 */
public final class SegmentRegister {
    public int selector;
    public long base;
    public long limit;
    /** Descriptor type (4 bits: for code/data bit 3 = code, bit 1 = writable/readable, bit 0 = accessed). */
    public int type;
    /** The S bit: true for code/data, false for system descriptors (LDT, TSS, gates). */
    public boolean codeOrData;
    public int dpl;
    public boolean present;
    /** D/B: 32-bit default operand size (code) or 32-bit stack / 4 GiB expand-down bound (data). */
    public boolean db;
    /** L: 64-bit code segment (long mode only). */
    public boolean longMode;
    public boolean granularity;
    public boolean available;
    /** A null selector loaded in protected mode: any access through it faults. */
    public boolean unusable;

    /** Real-mode (and virtual-8086) load: base = selector * 16, limit 64 KiB, attributes kept (real mode keeps the cache's). */
    public void loadReal(int sel) {
        selector = sel & 0xffff;
        base = (long) selector << 4;
    }

    /** The power-on values: given selector and base, limit 0xFFFF, present read/write (code for CS) accessed. */
    public void reset(int sel, long b, boolean code) {
        selector = sel;
        base = b;
        limit = 0xffff;
        type = code ? 0xb : 0x3;
        codeOrData = true;
        dpl = 0;
        present = true;
        db = false;
        longMode = false;
        granularity = false;
        available = false;
        unusable = false;
    }

    public void copyFrom(SegmentRegister o) {
        selector = o.selector; base = o.base; limit = o.limit; type = o.type; codeOrData = o.codeOrData; dpl = o.dpl;
        present = o.present; db = o.db; longMode = o.longMode; granularity = o.granularity; available = o.available;
        unusable = o.unusable;
    }

    @Override
    public String toString() {
        return String.format("sel=%04x base=%x limit=%x type=%x s=%b dpl=%d p=%b db=%b l=%b g=%b%s", selector, base, limit, type,
                codeOrData, dpl, present, db, longMode, granularity, unusable ? " unusable" : "");
    }
}
