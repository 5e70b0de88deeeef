package org.jvirt.vmm.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a host-supported CPUID table describe this VM's topology consistently for one vCPU:
 * one socket with vcpuCount cores of one thread each, APIC id = vCPU index. It patches
 * leaf 1 (initial APIC id, logical count, HTT, hypervisor bit), the deterministic cache leaf 4
 * (cores per package), the extended topology leaves 0xB and 0x1F (x2APIC id, level shifts and
 * counts) and AMD's 0x80000008 (core count), as Firecracker and cloud-hypervisor normalise them.
 */
public final class CpuidTopology {
    private CpuidTopology() { }

    static final int LEVEL_INVALID = 0, LEVEL_SMT = 1, LEVEL_CORE = 2;

    public static List<CpuidEntry> forVcpu(List<CpuidEntry> supported, int apicId, int vcpuCount) {
        if (vcpuCount < 1 || vcpuCount > 255) throw new IllegalArgumentException("vCPU count " + vcpuCount + " out of 1..255");
        if (apicId < 0 || apicId >= vcpuCount) throw new IllegalArgumentException("APIC id " + apicId + " out of range");
        int coreShift = shiftFor(vcpuCount);
        List<CpuidEntry> out = new ArrayList<>(supported.size());
        for (CpuidEntry e : supported) {
            out.add(switch (e.function()) {
                case 0x1 -> leaf1(e, apicId, vcpuCount);
                case 0x4 -> leaf4(e, vcpuCount);
                case 0xB, 0x1F -> extendedTopology(e, apicId, vcpuCount, coreShift);
                case 0x80000008 -> e.withRegs(e.eax(), e.ebx(), (e.ecx() & ~0xF0FF) | (coreShift << 12) | (vcpuCount - 1), e.edx());
                default -> e;
            });
        }
        return out;
    }

    /** Bits needed to number count items (ceil(log2(count))). */
    static int shiftFor(int count) {
        return count <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(count - 1);
    }

    private static CpuidEntry leaf1(CpuidEntry e, int apicId, int n) {
        int ebx = (e.ebx() & 0x0000FFFF) | (apicId << 24) | (n << 16); // initial APIC id, max logical ids
        int ecx = e.ecx() | (1 << 31);                                  // running under a hypervisor
        int edx = n > 1 ? e.edx() | (1 << 28) : e.edx() & ~(1 << 28);   // HTT: EBX[23:16] is valid
        return e.withRegs(e.eax(), ebx, ecx, edx);
    }

    private static CpuidEntry leaf4(CpuidEntry e, int n) {
        if ((e.eax() & 0x1F) == 0) return e; // no cache at this sub-leaf
        int eax = (e.eax() & 0x03FFFFFF) | ((n - 1) << 26); // cores per package - 1
        int sharing = ((e.eax() >>> 5) & 7) >= 3 ? n - 1 : 0; // L3 shared by all cores, L1/L2 private
        eax = (eax & ~(0xFFF << 14)) | (sharing << 14);
        return e.withRegs(eax, e.ebx(), e.ecx(), e.edx());
    }

    private static CpuidEntry extendedTopology(CpuidEntry e, int apicId, int n, int coreShift) {
        return switch (e.index()) {
            case 0 -> e.withRegs(0, 1, (LEVEL_SMT << 8), apicId);                // one thread per core
            case 1 -> e.withRegs(coreShift, n, (LEVEL_CORE << 8) | 1, apicId);   // n cores per socket
            default -> e.withRegs(0, 0, e.index() & 0xFF, apicId);               // no further level
        };
    }
}
