package org.jvirt.vmm.cpu;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CpuidTopologyTest {
    private static final List<CpuidEntry> HOST = List.of(
            new CpuidEntry(0x0, 0, 0, 0x10, 0x68747541, 0x444d4163, 0x69746e65),
            new CpuidEntry(0x1, 0, 0, 0x00a00f11, 0x07080800, 0x7ed8320b, 0x178bfbff),
            new CpuidEntry(0x4, 0, 1, 0x00000121, 0, 0, 0),
            new CpuidEntry(0x4, 3, 1, 0x00000163, 0, 0, 0),
            new CpuidEntry(0xB, 0, 1, 1, 2, 0x100, 9),
            new CpuidEntry(0xB, 1, 1, 4, 16, 0x201, 9),
            new CpuidEntry(0xB, 2, 1, 0, 0, 2, 9),
            new CpuidEntry(0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d),
            new CpuidEntry(0x80000008, 0, 0, 0x3030, 0, 0x0000700f, 0));

    private static CpuidEntry find(List<CpuidEntry> l, int fn, int idx) {
        return l.stream().filter(e -> e.is(fn, idx)).findFirst().orElseThrow();
    }

    @Test
    void leaf1CarriesApicIdCountHttAndHypervisorBit() {
        List<CpuidEntry> c = CpuidTopology.forVcpu(HOST, 2, 4);
        CpuidEntry l1 = find(c, 1, 0);
        assertEquals(2, l1.ebx() >>> 24, "initial APIC id");
        assertEquals(4, (l1.ebx() >>> 16) & 0xff, "logical processors");
        assertEquals(0x0800, l1.ebx() & 0xffff, "brand/CLFLUSH bits kept");
        assertNotEquals(0, l1.ecx() & (1 << 31), "hypervisor present");
        assertNotEquals(0, l1.edx() & (1 << 28), "HTT");
        assertEquals(0, find(CpuidTopology.forVcpu(HOST, 0, 1), 1, 0).edx() & (1 << 28), "no HTT with one vCPU");
    }

    @Test
    void extendedTopologyDescribesOneSocketOfSingleThreadCores() {
        for (int apic = 0; apic < 3; apic++) {
            List<CpuidEntry> c = CpuidTopology.forVcpu(HOST, apic, 3);
            CpuidEntry smt = find(c, 0xB, 0), core = find(c, 0xB, 1), end = find(c, 0xB, 2);
            assertEquals(0, smt.eax()); assertEquals(1, smt.ebx()); assertEquals(0x100, smt.ecx()); assertEquals(apic, smt.edx());
            assertEquals(2, core.eax(), "ceil(log2(3))"); assertEquals(3, core.ebx()); assertEquals(0x201, core.ecx());
            assertEquals(apic, core.edx());
            assertEquals(0, end.ebx()); assertEquals(2, end.ecx()); assertEquals(apic, end.edx());
        }
    }

    @Test
    void cacheAndAmdLeavesCountTheCores() {
        List<CpuidEntry> c = CpuidTopology.forVcpu(HOST, 0, 4);
        assertEquals(3, find(c, 4, 0).eax() >>> 26, "cores per package - 1");
        assertEquals(0, (find(c, 4, 0).eax() >>> 14) & 0xfff, "L1 not shared");
        assertEquals(3, (find(c, 4, 3).eax() >>> 14) & 0xfff, "L3 shared by all");
        assertEquals(3, find(c, 0x80000008, 0).ecx() & 0xff);
        assertEquals(2, (find(c, 0x80000008, 0).ecx() >>> 12) & 0xf);
        assertEquals(find(HOST, 0x40000000, 0), find(c, 0x40000000, 0), "hypervisor leaf kept");
        assertEquals(HOST.size(), c.size());
    }

    @Test
    void shiftAndArgumentChecks() {
        assertEquals(0, CpuidTopology.shiftFor(1));
        assertEquals(1, CpuidTopology.shiftFor(2));
        assertEquals(2, CpuidTopology.shiftFor(4));
        assertEquals(3, CpuidTopology.shiftFor(5));
        assertThrows(IllegalArgumentException.class, () -> CpuidTopology.forVcpu(HOST, 4, 4));
        assertThrows(IllegalArgumentException.class, () -> CpuidTopology.forVcpu(HOST, 0, 0));
    }
}
