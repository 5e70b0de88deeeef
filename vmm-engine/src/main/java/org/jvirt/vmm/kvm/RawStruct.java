package org.jvirt.vmm.kvm;

/**
 * A KVM struct whose fields the VMM does not interpret, only saves and restores
 * (FPU, XSAVE, XCRS, debug registers, PIT, irqchip, clock). Its size and field offsets
 * are the constants of {@link KvmLayout}.
 */
public final class RawStruct extends StructView {
    private final int size;

    public RawStruct(int size) {
        super(NativeBuffer.allocate(size), 0);
        this.size = size;
    }

    @Override public int size() { return size; }
}
