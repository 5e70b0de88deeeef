package org.jvirt.vmm.emu.cpu.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.junit.jupiter.api.Test;

/** CPUID and MSRs as the unit presents them (apic id 2 of 4 vCPUs in the fixture). */
class CpuModelTest extends SystemFixture {
    final int[] r = new int[4];

    String regs(int... order) {
        ByteBuffer b = ByteBuffer.allocate(order.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : order) b.putInt(r[i]);
        return new String(b.array(), StandardCharsets.US_ASCII);
    }

    @Test
    void vendorSignatureAndFeatures() {
        unit.cpuid(0, 0, r);
        assertEquals("AuthenticAMD", regs(1, 3, 2));
        assertTrue(r[0] >= 0xb);
        unit.cpuid(1, 0, r);
        assertEquals(0x663, r[0]);
        assertEquals(2, r[1] >>> 24, "APIC id");
        assertEquals(4, (r[1] >>> 16) & 0xff);
        int edx = r[3], ecx = r[2];
        for (int bit : new int[]{0, 3, 4, 5, 6, 8, 9, 11, 13, 15, 16, 19, 23, 24, 25, 26}) {
            assertTrue((edx >>> bit & 1) != 0, "EDX bit " + bit);
        }
        for (int bit : new int[]{0, 9, 13, 19, 20, 23, 31}) assertTrue((ecx >>> bit & 1) != 0, "ECX bit " + bit);
        assertEquals(0, ecx & (1 << 21 | 1 << 26 | 1 << 27 | 1 << 28), "no x2APIC, XSAVE, OSXSAVE, AVX");
        unit.cpuid(7, 0, r);
        assertEquals(0, r[1] | r[2] | r[3]);
        unit.cpuid(0x80000001, 0, r);
        assertEquals(1 << 29 | 1 << 20 | 1 << 11, r[3] & (1 << 29 | 1 << 20 | 1 << 11), "lm nx syscall");
        assertEquals(1, r[2] & 1, "lahf_lm");
        unit.cpuid(0x80000007, 0, r);
        assertEquals(1 << 8, r[3], "invariant TSC");
        unit.cpuid(0x80000008, 0, r);
        assertEquals(0x3028, r[0] & 0xffff);
        unit.cpuid(0xb, 1, r);
        assertEquals(4, r[1]);
        assertEquals(2, r[3]);
    }

    @Test
    void brandString() {
        StringBuilder s = new StringBuilder();
        for (int leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
            unit.cpuid(leaf, 0, r);
            s.append(regs(0, 1, 2, 3));
        }
        assertEquals("jvirt emulated CPU", s.toString().replace("\0", ""));
    }

    @Test
    void msrs() {
        tsc = 5000;
        assertEquals(5000, unit.readMsr(0x10));
        unit.writeMsr(0x10, 100);
        tsc = 5100;
        assertEquals(200, unit.readMsr(0x10));
        assertEquals(0xfee00900L, unit.readMsr(0x1b));
        assertFault(CpuFault.GP, 0, () -> unit.readMsr(0xce)); // MSR_PLATFORM_INFO: Linux reads it with rdmsr_safe
        assertFault(CpuFault.GP, 0, () -> unit.writeMsr(0x277, 0x02));  // PAT type 2 is reserved
        assertFault(CpuFault.GP, 0, () -> unit.writeMsr(0xc0000080, 1L << 14));
        assertFault(CpuFault.GP, 0, () -> unit.writeMsr(0xfe, 0)); // MTRRcap is read-only
        unit.writeMsr(0x200 + 3, 0xff_fffff800L);
        assertEquals(0xff_fffff800L, unit.readMsr(0x203));
        unit.writeMsr(0x26f, 0x0606060606060606L);
        assertEquals(0x0606060606060606L, unit.readMsr(0x26f));
        assertEquals(0x508, unit.readMsr(0xfe));
        assertEquals(0, unit.readMsr(0x179));
        unit.writeMsr(0xc0000103, 7);
        unit.systemInstruction(org.jvirt.vmm.emu.cpu.SystemUnit.SystemOp.RDTSCP, 0, 4);
        assertEquals(7, st.gpr[CpuState.RCX]);
        assertEquals(200, st.gpr[CpuState.RAX]);
        int flushes = tlb.fullFlushes;
        unit.writeMsr(0xc0000080, CpuState.EFER_NXE);
        assertEquals(flushes + 1, tlb.fullFlushes, "NXE changes what the TLB caches");
    }
}
