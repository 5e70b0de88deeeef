package org.jvirt.vmm.cpu.state;

import java.util.Arrays;

/**
 * Segment registers, descriptor tables, control registers, EFER and the APIC base, plus the
 * bitmap of an external interrupt accepted but not yet delivered (only used without an
 * in-kernel interrupt controller; 256 bits).
 */
public record SystemRegisters(Segment cs, Segment ds, Segment es, Segment fs, Segment gs, Segment ss,
                              Segment tr, Segment ldt, DescriptorTable gdt, DescriptorTable idt,
                              long cr0, long cr2, long cr3, long cr4, long cr8, long efer, long apicBase,
                              long[] pendingInterrupts) {
    public SystemRegisters {
        if (pendingInterrupts.length != 4) throw new IllegalArgumentException("pending-interrupt bitmap is 4 longs");
        pendingInterrupts = pendingInterrupts.clone();
    }

    @Override public long[] pendingInterrupts() { return pendingInterrupts.clone(); }

    /** The current privilege level (CS.DPL in protected and long mode). */
    public int cpl() { return cs.dpl(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof SystemRegisters s && cs.equals(s.cs) && ds.equals(s.ds) && es.equals(s.es) && fs.equals(s.fs)
                && gs.equals(s.gs) && ss.equals(s.ss) && tr.equals(s.tr) && ldt.equals(s.ldt) && gdt.equals(s.gdt)
                && idt.equals(s.idt) && cr0 == s.cr0 && cr2 == s.cr2 && cr3 == s.cr3 && cr4 == s.cr4 && cr8 == s.cr8
                && efer == s.efer && apicBase == s.apicBase && Arrays.equals(pendingInterrupts, s.pendingInterrupts);
    }

    @Override public int hashCode() { return cs.hashCode() * 31 + Long.hashCode(cr3); }

    @Override
    public String toString() {
        return String.format("cs=%s ds=%s es=%s fs=%s gs=%s ss=%s tr=%s ldt=%s gdt=%s idt=%s cr0=%x cr2=%x cr3=%x cr4=%x "
                        + "cr8=%x efer=%x apicBase=%x pending=%s", cs, ds, es, fs, gs, ss, tr, ldt, gdt, idt,
                cr0, cr2, cr3, cr4, cr8, efer, apicBase, Arrays.toString(pendingInterrupts));
    }
}
