package org.jvirt.vmm.cpu.kvm;

import org.jvirt.vmm.kvm.KvmMsrs;

/**
 * MSR values a vCPU gets at power-on and reset, as Linux's boot code expects them and as
 * Firecracker/cloud-hypervisor set them: syscall/sysenter MSRs and the TSC zeroed, fast strings
 * enabled, MTRRs enabled with write-back as the default memory type.
 */
final class BootMsrs {
    private BootMsrs() { }

    static final int IA32_TSC = 0x10, IA32_SYSENTER_CS = 0x174, IA32_SYSENTER_ESP = 0x175,
            IA32_SYSENTER_EIP = 0x176, IA32_MISC_ENABLE = 0x1a0, IA32_MTRR_DEF_TYPE = 0x2ff,
            STAR = 0xc0000081, LSTAR = 0xc0000082, CSTAR = 0xc0000083, SYSCALL_MASK = 0xc0000084,
            KERNEL_GS_BASE = 0xc0000102;
    static final long MISC_ENABLE_FAST_STRING = 1, MTRR_ENABLE = 0x800, MTRR_TYPE_WB = 6;

    static KvmMsrs create() {
        int[] zeroed = {IA32_SYSENTER_CS, IA32_SYSENTER_ESP, IA32_SYSENTER_EIP, STAR, CSTAR, KERNEL_GS_BASE,
                SYSCALL_MASK, LSTAR, IA32_TSC};
        KvmMsrs m = new KvmMsrs(zeroed.length + 2);
        int i = 0;
        for (int idx : zeroed) m.set(i++, idx, 0);
        m.set(i++, IA32_MISC_ENABLE, MISC_ENABLE_FAST_STRING);
        m.set(i++, IA32_MTRR_DEF_TYPE, MTRR_ENABLE | MTRR_TYPE_WB);
        m.count(i);
        return m;
    }
}
