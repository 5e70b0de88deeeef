package org.jvirt.vmm.emu.fpu;

import static org.jvirt.vmm.emu.cpu.ExtensionUnit.MAP_0F;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_66;
import static org.jvirt.vmm.emu.cpu.ExtensionUnit.PREFIX_F2;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * How fast the unit runs glibc's strlen inner loop (MOVDQA, PCMPEQB, PMOVMSKB) and a scalar
 * double loop (MOVSD load, MULSD, ADDSD) through the interface; prints ns per instruction.
 * Checks the results only (no timing assertion: machines differ).
 */
class FpuThroughputTest {
    @Test
    void strlenLoopAndScalarDoubleLoop() {
        Rig rig = new Rig();
        for (int i = 0; i < 4096; i++) rig.mem.write8(0x1000 + i, i == 4000 ? 0 : 'a' + i % 26, false);
        int rounds = 8000; // the first half warms the JIT up and is not timed
        long found = -1, insns = 0, t0 = 0;
        for (int r = 0; r < rounds; r++) {
            if (r == rounds / 2) {
                t0 = System.nanoTime();
                insns = 0;
            }
            rig.xmm(0, 0, 0);
            for (long a = 0x1000; ; a += 16) {
                rig.rm(MAP_0F, 0x6f, PREFIX_66, 1, a, 0, false); // MOVDQA xmm1, [a]
                rig.sse0f(0x74, PREFIX_66, 1, 0); // PCMPEQB xmm1, xmm0
                rig.sse0f(0xd7, PREFIX_66, 2, 1); // PMOVMSKB edx, xmm1
                insns += 3;
                if (rig.cpu.gpr[2] != 0) {
                    found = a + Long.numberOfTrailingZeros(rig.cpu.gpr[2]) - 0x1000;
                    break;
                }
            }
        }
        long t1 = System.nanoTime();
        assertEquals(4000, found);
        rig.mem.write64(0x100, Double.doubleToRawLongBits(1.0000001), false);
        rig.xmm(3, Double.doubleToRawLongBits(0.0), 0);
        int n = 3_000_000;
        long t15 = 0;
        for (int i = 0; i < n; i++) {
            if (i == n / 2) t15 = System.nanoTime();
            rig.rm(MAP_0F, 0x10, PREFIX_F2, 4, 0x100, 0, false); // MOVSD xmm4, [0x100]
            rig.sse0f(0x59, PREFIX_F2, 4, 4); // MULSD xmm4, xmm4
            rig.sse0f(0x58, PREFIX_F2, 3, 4); // ADDSD xmm3, xmm4
        }
        long t2 = System.nanoTime();
        double sum = 0;
        for (int i = 0; i < n; i++) sum += 1.0000001 * 1.0000001;
        assertEquals(sum, Double.longBitsToDouble(rig.lo(3)));
        System.out.printf("FpuThroughputTest: strlen loop %.1f ns/insn, scalar double loop %.1f ns/insn%n",
                (t1 - t0) / (double) insns, (t2 - t15) / (1.5 * n));
    }
}
