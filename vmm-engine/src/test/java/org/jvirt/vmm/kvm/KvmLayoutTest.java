package org.jvirt.vmm.kvm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Compiles a C program against the installed {@code <linux/kvm.h>} that prints sizeof/offsetof
 * of every struct field and every ioctl number the Java side hard-codes, and compares.
 */
class KvmLayoutTest {
    private static final Path HEADER = Path.of("/usr/include/linux/kvm.h");

    @BeforeAll
    static void needGccAndHeader() {
        assumeTrue(Files.exists(HEADER), "skipped: " + HEADER + " is missing (install linux-libc-dev)");
        assumeTrue(onPath("gcc"), "skipped: gcc is not installed");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** name -> Java value; the C program prints "name value" for each. */
    private static Map<String, Long> expectations() {
        Map<String, Long> m = new LinkedHashMap<>();
        // kvm_regs
        m.put("sizeof(struct kvm_regs)", (long) KvmRegs.SIZE);
        m.put("offsetof(struct kvm_regs, rax)", (long) KvmRegs.RAX);
        m.put("offsetof(struct kvm_regs, rsi)", (long) KvmRegs.RSI);
        m.put("offsetof(struct kvm_regs, r8)", (long) KvmRegs.R8);
        m.put("offsetof(struct kvm_regs, r15)", (long) KvmRegs.R15);
        m.put("offsetof(struct kvm_regs, rip)", (long) KvmRegs.RIP);
        m.put("offsetof(struct kvm_regs, rflags)", (long) KvmRegs.RFLAGS);
        // kvm_segment, kvm_sregs
        m.put("sizeof(struct kvm_segment)", (long) KvmSegment.SIZE);
        m.put("offsetof(struct kvm_segment, limit)", (long) KvmSegment.LIMIT);
        m.put("offsetof(struct kvm_segment, selector)", (long) KvmSegment.SELECTOR);
        m.put("offsetof(struct kvm_segment, type)", (long) KvmSegment.TYPE);
        m.put("offsetof(struct kvm_segment, present)", (long) KvmSegment.PRESENT);
        m.put("offsetof(struct kvm_segment, dpl)", (long) KvmSegment.DPL);
        m.put("offsetof(struct kvm_segment, db)", (long) KvmSegment.DB);
        m.put("offsetof(struct kvm_segment, s)", (long) KvmSegment.S);
        m.put("offsetof(struct kvm_segment, l)", (long) KvmSegment.L);
        m.put("offsetof(struct kvm_segment, g)", (long) KvmSegment.G);
        m.put("offsetof(struct kvm_segment, avl)", (long) KvmSegment.AVL);
        m.put("offsetof(struct kvm_segment, unusable)", (long) KvmSegment.UNUSABLE);
        m.put("sizeof(struct kvm_sregs)", (long) KvmSregs.SIZE);
        m.put("offsetof(struct kvm_sregs, ds)", (long) KvmSregs.DS);
        m.put("offsetof(struct kvm_sregs, ss)", (long) KvmSregs.SS);
        m.put("offsetof(struct kvm_sregs, tr)", (long) KvmSregs.TR);
        m.put("offsetof(struct kvm_sregs, ldt)", (long) KvmSregs.LDT);
        m.put("offsetof(struct kvm_sregs, gdt)", (long) KvmSregs.GDT);
        m.put("offsetof(struct kvm_sregs, idt)", (long) KvmSregs.IDT);
        m.put("offsetof(struct kvm_sregs, cr0)", (long) KvmSregs.CR0);
        m.put("offsetof(struct kvm_sregs, cr3)", (long) KvmSregs.CR3);
        m.put("offsetof(struct kvm_sregs, cr4)", (long) KvmSregs.CR4);
        m.put("offsetof(struct kvm_sregs, efer)", (long) KvmSregs.EFER);
        m.put("offsetof(struct kvm_sregs, apic_base)", (long) KvmSregs.APIC_BASE);
        m.put("offsetof(struct kvm_sregs, interrupt_bitmap)", (long) KvmSregs.INTERRUPT_BITMAP);
        m.put("offsetof(struct kvm_dtable, limit)", (long) KvmSregs.DTABLE_LIMIT);
        // kvm_run
        m.put("offsetof(struct kvm_run, immediate_exit)", (long) KvmRun.IMMEDIATE_EXIT);
        m.put("offsetof(struct kvm_run, exit_reason)", (long) KvmRun.EXIT_REASON);
        m.put("offsetof(struct kvm_run, if_flag)", (long) KvmRun.IF_FLAG);
        m.put("offsetof(struct kvm_run, cr8)", (long) KvmRun.CR8);
        m.put("offsetof(struct kvm_run, apic_base)", (long) KvmRun.APIC_BASE);
        m.put("offsetof(struct kvm_run, io.direction)", (long) KvmRun.IO_DIRECTION);
        m.put("offsetof(struct kvm_run, io.size)", (long) KvmRun.IO_SIZE);
        m.put("offsetof(struct kvm_run, io.port)", (long) KvmRun.IO_PORT);
        m.put("offsetof(struct kvm_run, io.count)", (long) KvmRun.IO_COUNT);
        m.put("offsetof(struct kvm_run, io.data_offset)", (long) KvmRun.IO_DATA_OFFSET);
        m.put("offsetof(struct kvm_run, mmio.phys_addr)", (long) KvmRun.MMIO_PHYS_ADDR);
        m.put("offsetof(struct kvm_run, mmio.data)", (long) KvmRun.MMIO_DATA);
        m.put("offsetof(struct kvm_run, mmio.len)", (long) KvmRun.MMIO_LEN);
        m.put("offsetof(struct kvm_run, mmio.is_write)", (long) KvmRun.MMIO_IS_WRITE);
        m.put("offsetof(struct kvm_run, fail_entry.hardware_entry_failure_reason)", (long) KvmRun.FAIL_ENTRY_REASON);
        m.put("offsetof(struct kvm_run, internal.suberror)", (long) KvmRun.INTERNAL_SUBERROR);
        m.put("offsetof(struct kvm_run, internal.ndata)", (long) KvmRun.INTERNAL_NDATA);
        m.put("offsetof(struct kvm_run, internal.data)", (long) KvmRun.INTERNAL_DATA);
        m.put("offsetof(struct kvm_run, system_event.type)", (long) KvmRun.SYSTEM_EVENT_TYPE);
        m.put("offsetof(struct kvm_run, ex.exception)", (long) KvmRun.EX_EXCEPTION);
        m.put("offsetof(struct kvm_run, ex.error_code)", (long) KvmRun.EX_ERROR_CODE);
        m.put("offsetof(struct kvm_run, kvm_valid_regs)", (long) KvmRun.KVM_VALID_REGS);
        m.put("offsetof(struct kvm_run, kvm_dirty_regs)", (long) KvmRun.KVM_DIRTY_REGS);
        m.put("offsetof(struct kvm_run, s.regs.regs)", (long) KvmRun.SYNC_REGS_REGS);
        m.put("offsetof(struct kvm_run, s.regs.sregs)", (long) KvmRun.SYNC_REGS_SREGS);
        m.put("offsetof(struct kvm_run, s.regs.events)", (long) KvmRun.SYNC_REGS_EVENTS);
        m.put("sizeof(struct kvm_run)", (long) KvmRun.SIZE);
        m.put("KVM_SYNC_X86_REGS", (long) KvmRun.SYNC_X86_REGS);
        m.put("KVM_SYNC_X86_SREGS", (long) KvmRun.SYNC_X86_SREGS);
        m.put("KVM_SYNC_X86_EVENTS", (long) KvmRun.SYNC_X86_EVENTS);
        m.put("KVM_EXIT_IO", (long) KvmRun.EXIT_IO);
        m.put("KVM_EXIT_MMIO", (long) KvmRun.EXIT_MMIO);
        m.put("KVM_EXIT_SHUTDOWN", (long) KvmRun.EXIT_SHUTDOWN);
        m.put("KVM_EXIT_INTR", (long) KvmRun.EXIT_INTR);
        m.put("KVM_EXIT_INTERNAL_ERROR", (long) KvmRun.EXIT_INTERNAL_ERROR);
        m.put("KVM_EXIT_SYSTEM_EVENT", (long) KvmRun.EXIT_SYSTEM_EVENT);
        m.put("KVM_SYSTEM_EVENT_SHUTDOWN", (long) KvmRun.SYSTEM_EVENT_SHUTDOWN);
        m.put("KVM_SYSTEM_EVENT_RESET", (long) KvmRun.SYSTEM_EVENT_RESET);
        // cpuid, msrs, lapic, events
        m.put("sizeof(struct kvm_cpuid2)", (long) KvmCpuid.HEADER);
        m.put("sizeof(struct kvm_cpuid_entry2)", (long) KvmCpuid.ENTRY_SIZE);
        m.put("offsetof(struct kvm_cpuid_entry2, flags)", (long) KvmCpuid.FLAGS);
        m.put("offsetof(struct kvm_cpuid_entry2, eax)", (long) KvmCpuid.EAX);
        m.put("offsetof(struct kvm_cpuid_entry2, edx)", (long) KvmCpuid.EDX);
        m.put("sizeof(struct kvm_msrs)", (long) KvmMsrs.HEADER);
        m.put("sizeof(struct kvm_msr_entry)", (long) KvmMsrs.ENTRY_SIZE);
        m.put("offsetof(struct kvm_msr_entry, data)", (long) KvmMsrs.DATA);
        m.put("sizeof(struct kvm_msr_list)", (long) KvmLayout.MSR_LIST_HEADER);
        m.put("sizeof(struct kvm_lapic_state)", (long) KvmLapic.SIZE);
        m.put("sizeof(struct kvm_vcpu_events)", (long) KvmVcpuEvents.SIZE);
        m.put("offsetof(struct kvm_vcpu_events, interrupt)", (long) KvmVcpuEvents.INTERRUPT);
        m.put("offsetof(struct kvm_vcpu_events, nmi)", (long) KvmVcpuEvents.NMI);
        m.put("offsetof(struct kvm_vcpu_events, sipi_vector)", (long) KvmVcpuEvents.SIPI_VECTOR);
        m.put("offsetof(struct kvm_vcpu_events, flags)", (long) KvmVcpuEvents.FLAGS);
        m.put("offsetof(struct kvm_vcpu_events, smi)", (long) KvmVcpuEvents.SMI);
        m.put("offsetof(struct kvm_vcpu_events, exception_has_payload)", (long) KvmVcpuEvents.EXCEPTION_HAS_PAYLOAD);
        m.put("offsetof(struct kvm_vcpu_events, exception_payload)", (long) KvmVcpuEvents.EXCEPTION_PAYLOAD);
        m.put("offsetof(struct kvm_vcpu_events, exception.injected)", (long) KvmVcpuEvents.EXCEPTION_INJECTED);
        m.put("offsetof(struct kvm_vcpu_events, exception.nr)", (long) KvmVcpuEvents.EXCEPTION_NR);
        m.put("offsetof(struct kvm_vcpu_events, exception.has_error_code)", (long) KvmVcpuEvents.EXCEPTION_HAS_ERROR_CODE);
        m.put("offsetof(struct kvm_vcpu_events, exception.pending)", (long) KvmVcpuEvents.EXCEPTION_PENDING);
        m.put("offsetof(struct kvm_vcpu_events, exception.error_code)", (long) KvmVcpuEvents.EXCEPTION_ERROR_CODE);
        m.put("offsetof(struct kvm_vcpu_events, interrupt.injected)", (long) KvmVcpuEvents.INTERRUPT_INJECTED);
        m.put("offsetof(struct kvm_vcpu_events, interrupt.nr)", (long) KvmVcpuEvents.INTERRUPT_NR);
        m.put("offsetof(struct kvm_vcpu_events, interrupt.soft)", (long) KvmVcpuEvents.INTERRUPT_SOFT);
        m.put("offsetof(struct kvm_vcpu_events, interrupt.shadow)", (long) KvmVcpuEvents.INTERRUPT_SHADOW);
        m.put("offsetof(struct kvm_vcpu_events, nmi.injected)", (long) KvmVcpuEvents.NMI_INJECTED);
        m.put("offsetof(struct kvm_vcpu_events, nmi.pending)", (long) KvmVcpuEvents.NMI_PENDING);
        m.put("offsetof(struct kvm_vcpu_events, nmi.masked)", (long) KvmVcpuEvents.NMI_MASKED);
        m.put("offsetof(struct kvm_vcpu_events, smi.smm)", (long) KvmVcpuEvents.SMI_SMM);
        m.put("offsetof(struct kvm_vcpu_events, smi.pending)", (long) KvmVcpuEvents.SMI_PENDING);
        m.put("offsetof(struct kvm_vcpu_events, smi.smm_inside_nmi)", (long) KvmVcpuEvents.SMI_SMM_INSIDE_NMI);
        m.put("offsetof(struct kvm_vcpu_events, smi.latched_init)", (long) KvmVcpuEvents.SMI_LATCHED_INIT);
        m.put("KVM_VCPUEVENT_VALID_NMI_PENDING", (long) KvmVcpuEvents.VALID_NMI_PENDING);
        m.put("KVM_VCPUEVENT_VALID_SIPI_VECTOR", (long) KvmVcpuEvents.VALID_SIPI_VECTOR);
        m.put("KVM_VCPUEVENT_VALID_SHADOW", (long) KvmVcpuEvents.VALID_SHADOW);
        m.put("KVM_VCPUEVENT_VALID_SMM", (long) KvmVcpuEvents.VALID_SMM);
        m.put("KVM_VCPUEVENT_VALID_PAYLOAD", (long) KvmVcpuEvents.VALID_PAYLOAD);
        // small argument structs
        m.put("sizeof(struct kvm_userspace_memory_region)", (long) KvmLayout.MEM_REGION_SIZE);
        m.put("offsetof(struct kvm_userspace_memory_region, flags)", (long) KvmLayout.MEM_FLAGS);
        m.put("offsetof(struct kvm_userspace_memory_region, guest_phys_addr)", (long) KvmLayout.MEM_GUEST_PHYS_ADDR);
        m.put("offsetof(struct kvm_userspace_memory_region, memory_size)", (long) KvmLayout.MEM_MEMORY_SIZE);
        m.put("offsetof(struct kvm_userspace_memory_region, userspace_addr)", (long) KvmLayout.MEM_USERSPACE_ADDR);
        m.put("KVM_MEM_LOG_DIRTY_PAGES", (long) KvmLayout.MEM_LOG_DIRTY_PAGES);
        m.put("KVM_MEM_READONLY", (long) KvmLayout.MEM_READONLY);
        m.put("sizeof(struct kvm_dirty_log)", (long) KvmLayout.DIRTY_LOG_SIZE);
        m.put("offsetof(struct kvm_dirty_log, dirty_bitmap)", (long) KvmLayout.DIRTY_LOG_BITMAP);
        m.put("sizeof(struct kvm_irq_level)", (long) KvmLayout.IRQ_LEVEL_SIZE);
        m.put("offsetof(struct kvm_irq_level, level)", (long) KvmLayout.IRQ_LEVEL_LEVEL);
        m.put("sizeof(struct kvm_msi)", (long) KvmLayout.MSI_SIZE);
        m.put("offsetof(struct kvm_msi, address_hi)", (long) KvmLayout.MSI_ADDRESS_HI);
        m.put("offsetof(struct kvm_msi, data)", (long) KvmLayout.MSI_DATA);
        m.put("offsetof(struct kvm_msi, flags)", (long) KvmLayout.MSI_FLAGS);
        m.put("offsetof(struct kvm_msi, devid)", (long) KvmLayout.MSI_DEVID);
        m.put("sizeof(struct kvm_irqfd)", (long) KvmLayout.IRQFD_SIZE);
        m.put("offsetof(struct kvm_irqfd, gsi)", (long) KvmLayout.IRQFD_GSI);
        m.put("offsetof(struct kvm_irqfd, flags)", (long) KvmLayout.IRQFD_FLAGS);
        m.put("offsetof(struct kvm_irqfd, resamplefd)", (long) KvmLayout.IRQFD_RESAMPLEFD);
        m.put("KVM_IRQFD_FLAG_DEASSIGN", (long) KvmLayout.IRQFD_FLAG_DEASSIGN);
        m.put("sizeof(struct kvm_ioeventfd)", (long) KvmLayout.IOEVENTFD_SIZE);
        m.put("offsetof(struct kvm_ioeventfd, addr)", (long) KvmLayout.IOEVENTFD_ADDR);
        m.put("offsetof(struct kvm_ioeventfd, len)", (long) KvmLayout.IOEVENTFD_LEN);
        m.put("offsetof(struct kvm_ioeventfd, fd)", (long) KvmLayout.IOEVENTFD_FD);
        m.put("offsetof(struct kvm_ioeventfd, flags)", (long) KvmLayout.IOEVENTFD_FLAGS);
        m.put("KVM_IOEVENTFD_FLAG_DATAMATCH", (long) KvmLayout.IOEVENTFD_FLAG_DATAMATCH);
        m.put("KVM_IOEVENTFD_FLAG_PIO", (long) KvmLayout.IOEVENTFD_FLAG_PIO);
        m.put("KVM_IOEVENTFD_FLAG_DEASSIGN", (long) KvmLayout.IOEVENTFD_FLAG_DEASSIGN);
        m.put("sizeof(struct kvm_pit_config)", (long) KvmLayout.PIT_CONFIG_SIZE);
        m.put("KVM_PIT_SPEAKER_DUMMY", (long) KvmLayout.PIT_SPEAKER_DUMMY);
        m.put("sizeof(struct kvm_clock_data)", (long) KvmLayout.CLOCK_DATA_SIZE);
        m.put("offsetof(struct kvm_clock_data, flags)", (long) KvmLayout.CLOCK_FLAGS);
        m.put("sizeof(struct kvm_irqchip)", (long) KvmLayout.IRQCHIP_SIZE);
        m.put("offsetof(struct kvm_irqchip, chip)", (long) KvmLayout.IRQCHIP_CHIP);
        m.put("KVM_IRQCHIP_IOAPIC", (long) KvmLayout.IRQCHIP_IOAPIC);
        m.put("sizeof(struct kvm_pit_state2)", (long) KvmLayout.PIT_STATE2_SIZE);
        m.put("sizeof(struct kvm_pic_state)", (long) KvmLayout.PIC_STATE_SIZE);
        m.put("offsetof(struct kvm_pic_state, last_irr)", (long) KvmLayout.PIC_LAST_IRR);
        m.put("offsetof(struct kvm_pic_state, irr)", 1L);
        m.put("offsetof(struct kvm_pic_state, imr)", 2L);
        m.put("offsetof(struct kvm_pic_state, isr)", 3L);
        m.put("offsetof(struct kvm_pic_state, priority_add)", 4L);
        m.put("offsetof(struct kvm_pic_state, irq_base)", 5L);
        m.put("offsetof(struct kvm_pic_state, read_reg_select)", 6L);
        m.put("offsetof(struct kvm_pic_state, poll)", 7L);
        m.put("offsetof(struct kvm_pic_state, special_mask)", 8L);
        m.put("offsetof(struct kvm_pic_state, init_state)", 9L);
        m.put("offsetof(struct kvm_pic_state, auto_eoi)", 10L);
        m.put("offsetof(struct kvm_pic_state, rotate_on_auto_eoi)", 11L);
        m.put("offsetof(struct kvm_pic_state, special_fully_nested_mode)", 12L);
        m.put("offsetof(struct kvm_pic_state, init4)", 13L);
        m.put("offsetof(struct kvm_pic_state, elcr)", 14L);
        m.put("offsetof(struct kvm_pic_state, elcr_mask)", (long) KvmLayout.PIC_ELCR_MASK);
        m.put("sizeof(struct kvm_ioapic_state)", (long) KvmLayout.IOAPIC_STATE_SIZE);
        m.put("offsetof(struct kvm_ioapic_state, base_address)", (long) KvmLayout.IOAPIC_BASE_ADDRESS);
        m.put("offsetof(struct kvm_ioapic_state, ioregsel)", (long) KvmLayout.IOAPIC_IOREGSEL);
        m.put("offsetof(struct kvm_ioapic_state, id)", (long) KvmLayout.IOAPIC_ID);
        m.put("offsetof(struct kvm_ioapic_state, irr)", (long) KvmLayout.IOAPIC_IRR);
        m.put("offsetof(struct kvm_ioapic_state, redirtbl)", (long) KvmLayout.IOAPIC_REDIRTBL);
        m.put("KVM_IOAPIC_NUM_PINS", (long) KvmLayout.IOAPIC_NUM_PINS);
        m.put("sizeof(struct kvm_pit_channel_state)", (long) KvmLayout.PIT_CHANNEL_SIZE);
        m.put("offsetof(struct kvm_pit_channel_state, count)", (long) KvmLayout.PIT_COUNT);
        m.put("offsetof(struct kvm_pit_channel_state, latched_count)", (long) KvmLayout.PIT_LATCHED_COUNT);
        m.put("offsetof(struct kvm_pit_channel_state, count_latched)", (long) KvmLayout.PIT_COUNT_LATCHED);
        m.put("offsetof(struct kvm_pit_channel_state, status_latched)", (long) KvmLayout.PIT_STATUS_LATCHED);
        m.put("offsetof(struct kvm_pit_channel_state, status)", (long) KvmLayout.PIT_STATUS);
        m.put("offsetof(struct kvm_pit_channel_state, read_state)", (long) KvmLayout.PIT_READ_STATE);
        m.put("offsetof(struct kvm_pit_channel_state, write_state)", (long) KvmLayout.PIT_WRITE_STATE);
        m.put("offsetof(struct kvm_pit_channel_state, write_latch)", (long) KvmLayout.PIT_WRITE_LATCH);
        m.put("offsetof(struct kvm_pit_channel_state, rw_mode)", (long) KvmLayout.PIT_RW_MODE);
        m.put("offsetof(struct kvm_pit_channel_state, mode)", (long) KvmLayout.PIT_MODE);
        m.put("offsetof(struct kvm_pit_channel_state, bcd)", (long) KvmLayout.PIT_BCD);
        m.put("offsetof(struct kvm_pit_channel_state, gate)", (long) KvmLayout.PIT_GATE);
        m.put("offsetof(struct kvm_pit_channel_state, count_load_time)", (long) KvmLayout.PIT_COUNT_LOAD_TIME);
        m.put("KVM_PIT_FLAGS_HPET_LEGACY", (long) KvmLayout.PIT_FLAGS_HPET_LEGACY);
        m.put("KVM_PIT_FLAGS_SPEAKER_DATA_ON", (long) KvmLayout.PIT_FLAGS_SPEAKER_DATA_ON);
        m.put("offsetof(struct kvm_pit_state2, flags)", (long) KvmLayout.PIT_STATE2_FLAGS);
        m.put("sizeof(struct kvm_fpu)", (long) KvmLayout.FPU_SIZE);
        m.put("offsetof(struct kvm_fpu, fcw)", (long) KvmLayout.FPU_FCW);
        m.put("offsetof(struct kvm_fpu, fsw)", (long) KvmLayout.FPU_FSW);
        m.put("offsetof(struct kvm_fpu, ftwx)", (long) KvmLayout.FPU_FTWX);
        m.put("offsetof(struct kvm_fpu, xmm)", (long) KvmLayout.FPU_XMM);
        m.put("offsetof(struct kvm_fpu, mxcsr)", (long) KvmLayout.FPU_MXCSR);
        m.put("sizeof(struct kvm_xsave)", (long) KvmLayout.XSAVE_SIZE);
        m.put("sizeof(struct kvm_xcrs)", (long) KvmLayout.XCRS_SIZE);
        m.put("offsetof(struct kvm_xcrs, xcrs)", (long) KvmLayout.XCRS_XCRS);
        m.put("offsetof(struct kvm_xcrs, nr_xcrs)", (long) KvmLayout.XCRS_NR);
        m.put("offsetof(struct kvm_xcrs, flags)", (long) KvmLayout.XCRS_FLAGS);
        m.put("sizeof(struct kvm_xcr)", (long) KvmLayout.XCR_SIZE);
        m.put("offsetof(struct kvm_xcr, xcr)", (long) KvmLayout.XCR_XCR);
        m.put("offsetof(struct kvm_xcr, value)", (long) KvmLayout.XCR_VALUE);
        m.put("KVM_MAX_XCRS", (long) KvmLayout.MAX_XCRS);
        m.put("sizeof(struct kvm_debugregs)", (long) KvmLayout.DEBUGREGS_SIZE);
        m.put("offsetof(struct kvm_debugregs, dr6)", (long) KvmLayout.DEBUGREGS_DR6);
        m.put("offsetof(struct kvm_debugregs, dr7)", (long) KvmLayout.DEBUGREGS_DR7);
        m.put("offsetof(struct kvm_debugregs, db)", (long) KvmLayout.DEBUGREGS_DB);
        m.put("offsetof(struct kvm_debugregs, flags)", (long) KvmLayout.DEBUGREGS_FLAGS);
        m.put("offsetof(struct kvm_segment, base)", (long) KvmSegment.BASE);
        m.put("offsetof(struct kvm_sregs, cr2)", (long) KvmSregs.CR2);
        m.put("offsetof(struct kvm_sregs, cr8)", (long) KvmSregs.CR8);
        m.put("offsetof(struct kvm_sregs, cs)", (long) KvmSregs.CS);
        m.put("offsetof(struct kvm_sregs, es)", (long) KvmSregs.ES);
        m.put("offsetof(struct kvm_sregs, fs)", (long) KvmSregs.FS);
        m.put("offsetof(struct kvm_sregs, gs)", (long) KvmSregs.GS);
        m.put("offsetof(struct kvm_dtable, base)", (long) KvmSregs.DTABLE_BASE);
        m.put("KVM_MP_STATE_RUNNABLE", (long) KvmLayout.MP_STATE_RUNNABLE);
        m.put("KVM_MP_STATE_INIT_RECEIVED", (long) KvmLayout.MP_STATE_INIT_RECEIVED);
        m.put("KVM_MP_STATE_HALTED", (long) KvmLayout.MP_STATE_HALTED);
        m.put("sizeof(struct kvm_mp_state)", (long) KvmLayout.MP_STATE_SIZE);
        m.put("KVM_MP_STATE_UNINITIALIZED", (long) KvmLayout.MP_STATE_UNINITIALIZED);
        m.put("KVM_MP_STATE_SIPI_RECEIVED", (long) KvmLayout.MP_STATE_SIPI_RECEIVED);
        // capabilities and ioctl numbers
        for (var f : KvmIoctls.class.getFields()) {
            try {
                if (f.getType() == long.class) m.put(f.getName(), f.getLong(null));
                else if (f.getType() == int.class && f.getName().startsWith("CAP_")) m.put("KVM_" + f.getName(), (long) f.getInt(null));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return m;
    }

    @Test
    void javaConstantsMatchLinuxKvmHeader(@TempDir Path dir) throws Exception {
        Map<String, Long> expected = expectations();
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <linux/kvm.h>\nint main(void) {\n");
        for (String expr : expected.keySet()) {
            c.append("  printf(\"%s\\t%llu\\n\", \"").append(expr).append("\", (unsigned long long)(").append(expr).append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path src = dir.resolve("layout.c"), exe = dir.resolve("layout");
        Files.writeString(src, c);
        String compile = exec(dir, "gcc", "-o", exe.toString(), src.toString());
        String out = exec(dir, exe.toString());
        Map<String, Long> actual = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int tab = line.lastIndexOf('\t');
            if (tab > 0) actual.put(line.substring(0, tab), Long.parseUnsignedLong(line.substring(tab + 1)));
        }
        assertEquals(expected.size(), actual.size(), "C program output incomplete; gcc said: " + compile);
        StringBuilder diffs = new StringBuilder();
        expected.forEach((k, v) -> {
            if (!v.equals(actual.get(k))) diffs.append(String.format("%s: Java %d (0x%x), C %d (0x%x)%n", k, v, v, actual.get(k), actual.get(k)));
        });
        assertEquals("", diffs.toString(), "layout mismatches against <linux/kvm.h>");
    }

    private static String exec(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}
