package org.jvirt.vmm.kvm;

/** struct kvm_lapic_state: the raw 1 KiB local-APIC register page (registers at 16-byte strides). */
public final class KvmLapic extends StructView {
    public static final int SIZE = 1024;
    public static final int ID = 0x20, VERSION = 0x30, TPR = 0x80, SVR = 0xF0, LVT_TIMER = 0x320,
            LVT_LINT0 = 0x350, LVT_LINT1 = 0x360, LVT_ERROR = 0x370;
    /** LVT delivery modes (bits 8..10). */
    public static final int DELIVERY_FIXED = 0, DELIVERY_NMI = 4, DELIVERY_EXTINT = 7;

    public KvmLapic(NativeBuffer memory, int base) { super(memory, base); }

    public static KvmLapic allocate() { return new KvmLapic(NativeBuffer.allocate(SIZE), 0); }

    @Override public int size() { return SIZE; }

    public int reg(int offset) { return u32(offset); }
    public void reg(int offset, int value) { u32(offset, value); }

    /** Replaces the delivery mode of an LVT entry, keeping its other bits. */
    public void setDeliveryMode(int lvtOffset, int mode) {
        reg(lvtOffset, (reg(lvtOffset) & ~0x700) | (mode << 8));
    }
}
