package org.jvirt.vmm.cpu;

/** One CPUID leaf/sub-leaf result; flags as in kvm_cpuid_entry2 (bit 0: index is significant). */
public record CpuidEntry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
    public static final int FLAG_INDEX_SIGNIFICANT = 1;

    public CpuidEntry withRegs(int eax, int ebx, int ecx, int edx) {
        return new CpuidEntry(function, index, flags, eax, ebx, ecx, edx);
    }

    public boolean is(int function, int index) {
        return this.function == function && this.index == index;
    }
}
