package org.jvirt.vmm.emu.cpu.system;

import org.jvirt.vmm.emu.cpu.SegmentRegister;

/**
 * One segment or gate descriptor read from the GDT/LDT/IDT, decoded in place (a few scratch
 * instances are reused, so a segment load allocates nothing). For system descriptors in long
 * mode (LDT, TSS, call gates) {@code high} holds bits 95..64, the upper half of base or offset.
 */
final class Descriptor {
    /** The first and second 32-bit words, and the third for 16-byte descriptors. */
    int w0, w1, high;
    /** Linear address of the descriptor in its table (to set the Accessed or Busy bit). */
    long address;

    long base() { return ((w0 >>> 16) | ((w1 & 0xff) << 16) | (w1 & 0xff000000)) & 0xffffffffL; }

    /** Base including bits 63..32 of a 16-byte system descriptor. */
    long base64() { return base() | ((long) high << 32); }

    /** Limit with granularity applied. */
    long limit() {
        long raw = (w0 & 0xffff) | (w1 & 0xf0000);
        return granularity() ? (raw << 12) | 0xfff : raw;
    }

    int type() { return (w1 >>> 8) & 0xf; }

    /** The S bit: code or data (true) versus system. */
    boolean codeOrData() { return (w1 & 0x1000) != 0; }

    int dpl() { return (w1 >>> 13) & 3; }

    boolean present() { return (w1 & 0x8000) != 0; }

    boolean avl() { return (w1 & 0x100000) != 0; }

    boolean longMode() { return (w1 & 0x200000) != 0; }

    boolean db() { return (w1 & 0x400000) != 0; }

    boolean granularity() { return (w1 & 0x800000) != 0; }

    boolean isCode() { return codeOrData() && (type() & 8) != 0; }

    boolean isData() { return codeOrData() && (type() & 8) == 0; }

    boolean conforming() { return isCode() && (type() & 4) != 0; }

    /** Readable code or any data segment. */
    boolean readable() { return isData() || (type() & 2) != 0; }

    boolean writableData() { return isData() && (type() & 2) != 0; }

    boolean accessed() { return (type() & 1) != 0; }

    // Gate fields.
    int gateSelector() { return w0 >>> 16; }

    long gateOffset32() { return ((w0 & 0xffff) | (w1 & 0xffff0000)) & 0xffffffffL; }

    long gateOffset64() { return gateOffset32() | ((long) high << 32); }

    int gateParamCount() { return w1 & 0x1f; }

    int gateIst() { return w1 & 7; }

    /** Loads the hidden part of r from this descriptor, with the visible selector. */
    void loadInto(SegmentRegister r, int selector) {
        r.selector = selector & 0xffff;
        r.base = base();
        r.limit = limit();
        r.type = type();
        r.codeOrData = codeOrData();
        r.dpl = dpl();
        r.present = present();
        r.db = db();
        r.longMode = longMode();
        r.granularity = granularity();
        r.available = avl();
        r.unusable = false;
    }
}
