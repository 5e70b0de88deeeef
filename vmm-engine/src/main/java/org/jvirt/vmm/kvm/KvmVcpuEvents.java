package org.jvirt.vmm.kvm;

/** struct kvm_vcpu_events: pending exception/interrupt/NMI/SIPI state. */
public final class KvmVcpuEvents extends StructView {
    public static final int SIZE = 64;
    public static final int EXCEPTION = 0, INTERRUPT = 8, NMI = 12, SIPI_VECTOR = 16, FLAGS = 20, SMI = 24,
            EXCEPTION_HAS_PAYLOAD = 55, EXCEPTION_PAYLOAD = 56;

    public KvmVcpuEvents(NativeBuffer memory, int base) { super(memory, base); }

    public static KvmVcpuEvents allocate() { return new KvmVcpuEvents(NativeBuffer.allocate(SIZE), 0); }

    @Override public int size() { return SIZE; }
}
