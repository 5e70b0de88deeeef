package org.jvirt.vmm.kvm;

/** struct kvm_vcpu_events: pending exception/interrupt/NMI/SIPI state. */
public final class KvmVcpuEvents extends StructView {
    public static final int SIZE = 64;
    public static final int EXCEPTION = 0, INTERRUPT = 8, NMI = 12, SIPI_VECTOR = 16, FLAGS = 20, SMI = 24,
            EXCEPTION_HAS_PAYLOAD = 55, EXCEPTION_PAYLOAD = 56;
    /** Byte fields inside exception {injected, nr, has_error_code, pending; error_code u32}, interrupt, nmi, smi. */
    public static final int EXCEPTION_INJECTED = 0, EXCEPTION_NR = 1, EXCEPTION_HAS_ERROR_CODE = 2, EXCEPTION_PENDING = 3,
            EXCEPTION_ERROR_CODE = 4, INTERRUPT_INJECTED = 8, INTERRUPT_NR = 9, INTERRUPT_SOFT = 10, INTERRUPT_SHADOW = 11,
            NMI_INJECTED = 12, NMI_PENDING = 13, NMI_MASKED = 14, SMI_SMM = 24, SMI_PENDING = 25, SMI_SMM_INSIDE_NMI = 26,
            SMI_LATCHED_INIT = 27;
    /** flags: which optional fields KVM_SET_VCPU_EVENTS should take (KVM_VCPUEVENT_VALID_*). */
    public static final int VALID_NMI_PENDING = 1, VALID_SIPI_VECTOR = 2, VALID_SHADOW = 4, VALID_SMM = 8, VALID_PAYLOAD = 0x10;

    public KvmVcpuEvents(NativeBuffer memory, int base) { super(memory, base); }

    public static KvmVcpuEvents allocate() { return new KvmVcpuEvents(NativeBuffer.allocate(SIZE), 0); }

    @Override public int size() { return SIZE; }
}
