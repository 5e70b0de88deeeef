package org.jvirt.vmm.kvm;

/** ioctl request numbers (x86-64), checked against {@code <linux/kvm.h>} by KvmLayoutTest. */
public final class KvmIoctls {
    private KvmIoctls() { }

    // system (/dev/kvm)
    public static final long KVM_GET_API_VERSION = 0xAE00L, KVM_CREATE_VM = 0xAE01L,
            KVM_GET_MSR_INDEX_LIST = 0xC004AE02L, KVM_CHECK_EXTENSION = 0xAE03L,
            KVM_GET_VCPU_MMAP_SIZE = 0xAE04L, KVM_GET_SUPPORTED_CPUID = 0xC008AE05L;
    // VM
    public static final long KVM_SET_USER_MEMORY_REGION = 0x4020AE46L, KVM_SET_TSS_ADDR = 0xAE47L,
            KVM_SET_IDENTITY_MAP_ADDR = 0x4008AE48L, KVM_CREATE_IRQCHIP = 0xAE60L, KVM_IRQ_LINE = 0x4008AE61L,
            KVM_GET_IRQCHIP = 0xC208AE62L, KVM_SET_IRQCHIP = 0x8208AE63L, KVM_CREATE_PIT2 = 0x4040AE77L,
            KVM_GET_PIT2 = 0x8070AE9FL, KVM_SET_PIT2 = 0x4070AEA0L, KVM_GET_CLOCK = 0x8030AE7CL,
            KVM_SET_CLOCK = 0x4030AE7BL, KVM_GET_DIRTY_LOG = 0x4010AE42L, KVM_IRQFD = 0x4020AE76L,
            KVM_IOEVENTFD = 0x4040AE79L, KVM_SIGNAL_MSI = 0x4020AEA5L, KVM_CREATE_VCPU = 0xAE41L;
    // vCPU
    public static final long KVM_RUN = 0xAE80L, KVM_GET_REGS = 0x8090AE81L, KVM_SET_REGS = 0x4090AE82L,
            KVM_GET_SREGS = 0x8138AE83L, KVM_SET_SREGS = 0x4138AE84L, KVM_GET_MSRS = 0xC008AE88L,
            KVM_SET_MSRS = 0x4008AE89L, KVM_GET_FPU = 0x81A0AE8CL, KVM_SET_FPU = 0x41A0AE8DL,
            KVM_GET_LAPIC = 0x8400AE8EL, KVM_SET_LAPIC = 0x4400AE8FL, KVM_SET_CPUID2 = 0x4008AE90L,
            KVM_GET_CPUID2 = 0xC008AE91L, KVM_GET_MP_STATE = 0x8004AE98L, KVM_SET_MP_STATE = 0x4004AE99L,
            KVM_GET_VCPU_EVENTS = 0x8040AE9FL, KVM_SET_VCPU_EVENTS = 0x4040AEA0L,
            KVM_GET_DEBUGREGS = 0x8080AEA1L, KVM_SET_DEBUGREGS = 0x4080AEA2L, KVM_GET_XSAVE = 0x9000AEA4L,
            KVM_SET_XSAVE = 0x5000AEA5L, KVM_GET_XCRS = 0x8188AEA6L, KVM_SET_XCRS = 0x4188AEA7L,
            KVM_GET_XSAVE2 = 0x9000AECFL;

    // capabilities (KVM_CHECK_EXTENSION arguments)
    public static final int CAP_IRQCHIP = 0, CAP_HLT = 1, CAP_USER_MEMORY = 3, CAP_SET_TSS_ADDR = 4,
            CAP_EXT_CPUID = 7, CAP_NR_VCPUS = 9, CAP_NR_MEMSLOTS = 10, CAP_MP_STATE = 14, CAP_IRQFD = 32,
            CAP_PIT2 = 33, CAP_PIT_STATE2 = 35, CAP_IOEVENTFD = 36, CAP_SET_IDENTITY_MAP_ADDR = 37,
            CAP_ADJUST_CLOCK = 39, CAP_VCPU_EVENTS = 41, CAP_DEBUGREGS = 50, CAP_XSAVE = 55, CAP_XCRS = 56,
            CAP_MAX_VCPUS = 66, CAP_SYNC_REGS = 74, CAP_SIGNAL_MSI = 77, CAP_READONLY_MEM = 81,
            CAP_MAX_VCPU_ID = 128, CAP_IMMEDIATE_EXIT = 136, CAP_XSAVE2 = 208;

    /** Name of a request number for error messages. */
    public static String name(long request) {
        for (var f : KvmIoctls.class.getFields()) {
            if (f.getType() == long.class && f.getName().startsWith("KVM_")) {
                try {
                    if (f.getLong(null) == request) return f.getName();
                } catch (IllegalAccessException e) {
                    break;
                }
            }
        }
        return String.format("ioctl 0x%x", request);
    }
}
