package org.jvirt.vmm.kvm;

/**
 * Sizes and offsets of the smaller KVM argument structs (x86-64), checked against
 * {@code <linux/kvm.h>} by KvmLayoutTest. The larger structs have their own view classes.
 */
public final class KvmLayout {
    private KvmLayout() { }

    /** struct kvm_userspace_memory_region. */
    public static final int MEM_REGION_SIZE = 32, MEM_SLOT = 0, MEM_FLAGS = 4, MEM_GUEST_PHYS_ADDR = 8,
            MEM_MEMORY_SIZE = 16, MEM_USERSPACE_ADDR = 24;
    public static final int MEM_LOG_DIRTY_PAGES = 1, MEM_READONLY = 2;

    /** struct kvm_dirty_log. */
    public static final int DIRTY_LOG_SIZE = 16, DIRTY_LOG_SLOT = 0, DIRTY_LOG_BITMAP = 8;

    /** struct kvm_irq_level. */
    public static final int IRQ_LEVEL_SIZE = 8, IRQ_LEVEL_IRQ = 0, IRQ_LEVEL_LEVEL = 4;

    /** struct kvm_msi. */
    public static final int MSI_SIZE = 32, MSI_ADDRESS_LO = 0, MSI_ADDRESS_HI = 4, MSI_DATA = 8, MSI_FLAGS = 12,
            MSI_DEVID = 16;

    /** struct kvm_irqfd. */
    public static final int IRQFD_SIZE = 32, IRQFD_FD = 0, IRQFD_GSI = 4, IRQFD_FLAGS = 8, IRQFD_RESAMPLEFD = 12;
    public static final int IRQFD_FLAG_DEASSIGN = 1;

    /** struct kvm_ioeventfd. */
    public static final int IOEVENTFD_SIZE = 64, IOEVENTFD_DATAMATCH = 0, IOEVENTFD_ADDR = 8, IOEVENTFD_LEN = 16,
            IOEVENTFD_FD = 20, IOEVENTFD_FLAGS = 24;
    public static final int IOEVENTFD_FLAG_DATAMATCH = 1, IOEVENTFD_FLAG_PIO = 2, IOEVENTFD_FLAG_DEASSIGN = 4;

    /** struct kvm_pit_config. */
    public static final int PIT_CONFIG_SIZE = 64, PIT_CONFIG_FLAGS = 0;
    public static final int PIT_SPEAKER_DUMMY = 1;

    /** struct kvm_clock_data. */
    public static final int CLOCK_DATA_SIZE = 48, CLOCK_CLOCK = 0, CLOCK_FLAGS = 8;

    /** struct kvm_irqchip: chip_id then a 512-byte union. */
    public static final int IRQCHIP_SIZE = 520, IRQCHIP_CHIP_ID = 0, IRQCHIP_CHIP = 8;
    public static final int IRQCHIP_PIC_MASTER = 0, IRQCHIP_PIC_SLAVE = 1, IRQCHIP_IOAPIC = 2;

    /** struct kvm_pic_state: 16 u8 fields in this order (the union member of kvm_irqchip for the PICs). */
    public static final int PIC_STATE_SIZE = 16, PIC_LAST_IRR = 0, PIC_ELCR_MASK = 15;

    /** struct kvm_ioapic_state (the union member of kvm_irqchip for the IOAPIC). */
    public static final int IOAPIC_STATE_SIZE = 216, IOAPIC_BASE_ADDRESS = 0, IOAPIC_IOREGSEL = 8, IOAPIC_ID = 12,
            IOAPIC_IRR = 16, IOAPIC_REDIRTBL = 24, IOAPIC_NUM_PINS = 24;

    /** struct kvm_pit_state2 and its struct kvm_pit_channel_state channels[3]. */
    public static final int PIT_STATE2_SIZE = 112, PIT_STATE2_FLAGS = 72;
    public static final int PIT_CHANNEL_SIZE = 24, PIT_COUNT = 0, PIT_LATCHED_COUNT = 4, PIT_COUNT_LATCHED = 6,
            PIT_STATUS_LATCHED = 7, PIT_STATUS = 8, PIT_READ_STATE = 9, PIT_WRITE_STATE = 10, PIT_WRITE_LATCH = 11,
            PIT_RW_MODE = 12, PIT_MODE = 13, PIT_BCD = 14, PIT_GATE = 15, PIT_COUNT_LOAD_TIME = 16;
    public static final int PIT_FLAGS_HPET_LEGACY = 1, PIT_FLAGS_SPEAKER_DATA_ON = 2;

    /** struct kvm_fpu. */
    public static final int FPU_SIZE = 416, FPU_FCW = 128, FPU_FSW = 130, FPU_FTWX = 132, FPU_XMM = 152,
            FPU_MXCSR = 408;

    /** struct kvm_xsave (the fixed 4 KiB form; KVM_CAP_XSAVE2 reports 4096 here). */
    public static final int XSAVE_SIZE = 4096;

    /** struct kvm_xcrs. */
    public static final int XCRS_SIZE = 392, XCRS_NR = 0, XCRS_FLAGS = 4, XCRS_XCRS = 8;
    /** struct kvm_xcr {xcr u32, reserved u32, value u64}, the entries of kvm_xcrs.xcrs[]; KVM_MAX_XCRS of them. */
    public static final int XCR_SIZE = 16, XCR_XCR = 0, XCR_VALUE = 8, MAX_XCRS = 16;

    /** struct kvm_debugregs. */
    public static final int DEBUGREGS_SIZE = 128, DEBUGREGS_DB = 0, DEBUGREGS_DR6 = 32, DEBUGREGS_DR7 = 40,
            DEBUGREGS_FLAGS = 48;

    /** struct kvm_mp_state. */
    public static final int MP_STATE_SIZE = 4;
    public static final int MP_STATE_RUNNABLE = 0, MP_STATE_UNINITIALIZED = 1, MP_STATE_INIT_RECEIVED = 2,
            MP_STATE_HALTED = 3, MP_STATE_SIPI_RECEIVED = 4;

    /** struct kvm_msr_list header. */
    public static final int MSR_LIST_HEADER = 4;
}
