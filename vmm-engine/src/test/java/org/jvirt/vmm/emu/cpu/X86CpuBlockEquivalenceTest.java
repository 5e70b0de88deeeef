package org.jvirt.vmm.emu.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Block execution with its fast forms against the per-instruction path on the same random
 * 64-bit code: ALU reg,reg and reg,imm (ADC/SBB chain the carry), TEST, MOV, SETcc and Jcc,
 * IMUL, MOVZX/MOVSX (also from AH..BH), CMOVcc, 32-bit ALU forms and MOV between a register and
 * memory (RSP-relative: RSP is never a destination), LEA with SIB (also 32-bit addresses) and
 * SHL/SHR/SAR by a constant.
 * A budget of 1 makes the CPU step each instruction (a block of more than one never fits).
 */
class X86CpuBlockEquivalenceTest {
    @Test
    void randomRegisterCodeEndsInTheSameStateBothWays() {
        for (int seed = 1; seed <= 20; seed++) {
            int[] code = randomCode(new Random(seed), 300);
            CpuHarness blocks = seeded(code, seed), steps = seeded(code, seed);
            assertEquals(X86Cpu.RunExit.HALTED, blocks.run());
            while (!steps.st.halted) steps.cpu.run(1);
            assertEquals(-1, blocks.vector, "seed " + seed);
            assertEquals(-1, steps.vector, "seed " + seed);
            assertArrayEquals(steps.st.gpr, blocks.st.gpr, "seed " + seed);
            assertEquals(steps.st.rflags(), blocks.st.rflags(), "seed " + seed);
            assertEquals(steps.st.rip, blocks.st.rip, "seed " + seed);
            assertArrayEquals(java.util.Arrays.copyOfRange(steps.ram, 0x7f00, 0x8100),
                    java.util.Arrays.copyOfRange(blocks.ram, 0x7f00, 0x8100), "seed " + seed);
        }
    }

    static CpuHarness seeded(int[] code, int seed) {
        CpuHarness h = CpuHarness.long64().code(code);
        Random r = new Random(seed * 7919L);
        for (int i = 0; i < 16; i++) if (i != CpuState.RSP) h.set(i, r.nextInt(4) == 0 ? r.nextInt(3) - 1 : r.nextLong());
        return h;
    }

    /** Never RSP as a destination; Jcc jump over one NOP or not, so both sides of every branch run. */
    static int[] randomCode(Random r, int n) {
        List<Integer> b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int dst = reg(r), src = reg(r);
            int rex = 0x40 | (r.nextBoolean() ? 8 : 0) | (dst >= 8 ? 1 : 0) | (src >= 8 ? 4 : 0);
            int modrm = 0xc0 | ((src & 7) << 3) | (dst & 7);
            // for the forms whose ModRM reg is the destination
            int rexD = 0x40 | (r.nextBoolean() ? 8 : 0) | (dst >= 8 ? 4 : 0) | (src >= 8 ? 1 : 0);
            switch (r.nextInt(16)) {
                case 0, 1 -> { b.add(rex); b.add((r.nextInt(8) << 3) | (r.nextBoolean() ? 1 : 3)); b.add(modrm); }
                case 2 -> { b.add(rex); b.add(0x83); b.add(0xc0 | (r.nextInt(8) << 3) | (dst & 7)); b.add(r.nextInt(256)); }
                case 3 -> {
                    b.add(rex); b.add(0x81); b.add(0xc0 | (r.nextInt(8) << 3) | (dst & 7));
                    int imm = r.nextInt();
                    for (int k = 0; k < 4; k++) b.add((imm >>> (8 * k)) & 0xff);
                }
                case 4 -> { b.add(rex); b.add(r.nextBoolean() ? 0x85 : r.nextBoolean() ? 0x89 : 0x8b); b.add(modrm); }
                case 5 -> { b.add(0x40 | (dst >= 8 ? 1 : 0)); b.add(0x0f); b.add(0x90 | r.nextInt(16)); b.add(0xc0 | (dst & 7)); }
                case 6 -> { b.add(0x70 | r.nextInt(16)); b.add(1); b.add(0x90); }
                case 7 -> { b.add(rexD); b.add(0x0f); b.add(0xaf); b.add(0xc0 | ((dst & 7) << 3) | (src & 7)); } // IMUL dst, src
                case 8 -> { // IMUL dst, src, imm8 / imm32
                    boolean short8 = r.nextBoolean();
                    b.add(rexD); b.add(short8 ? 0x6b : 0x69); b.add(0xc0 | ((dst & 7) << 3) | (src & 7));
                    int imm = r.nextInt();
                    for (int k = 0; k < (short8 ? 1 : 4); k++) b.add((imm >>> (8 * k)) & 0xff);
                }
                case 9 -> { b.add(rexD); b.add(0x0f); b.add(0xb6 | (r.nextInt(2) << 3) | r.nextInt(2)); b.add(0xc0 | ((dst & 7) << 3) | (src & 7)); } // MOVZX/MOVSX
                case 10 -> { // no REX: byte registers 4..7 are AH..BH (MOVZX/MOVSX from them, SETcc to them)
                    int low = dst & 7, any = r.nextInt(8);
                    if (low == CpuState.RSP) low = CpuState.RAX;
                    if (r.nextBoolean()) { b.add(0x0f); b.add(0xb6 | (r.nextInt(2) << 3)); b.add(0xc0 | (low << 3) | any); }
                    else { b.add(0x0f); b.add(0x90 | r.nextInt(16)); b.add(0xc0 | any); }
                }
                case 11 -> { b.add(rexD); b.add(0x0f); b.add(0x40 | r.nextInt(16)); b.add(0xc0 | ((dst & 7) << 3) | (src & 7)); } // CMOVcc
                case 12 -> { b.add(rex & ~8); b.add((r.nextInt(8) << 3) | 1); b.add(modrm); } // 32-bit ALU
                case 13 -> { // LEA dst, [base + index*scale + disp8] (32- or 64-bit, 32-bit addresses too)
                    int base = reg(r), index = reg(r);
                    if (r.nextBoolean()) b.add(0x67);
                    b.add(0x40 | (r.nextBoolean() ? 8 : 0) | (dst >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) | (base >= 8 ? 1 : 0));
                    b.add(0x8d); b.add(0x44 | ((dst & 7) << 3)); b.add((r.nextInt(4) << 6) | ((index & 7) << 3) | (base & 7));
                    b.add(r.nextInt(256));
                }
                case 14 -> { // SHL/SHR/SAR dst by imm8 or 1 (counts 0 and over the width too)
                    int op = new int[]{4, 5, 7}[r.nextInt(3)];
                    boolean one = r.nextInt(4) == 0;
                    b.add(rex); b.add(one ? 0xd1 : 0xc1); b.add(0xc0 | (op << 3) | (dst & 7));
                    if (!one) b.add(r.nextInt(70));
                }
                default -> { // MOV reg, [rsp+disp8] or MOV [rsp+disp8], reg (32/64-bit): the stack page, away from the code
                    b.add(0x40 | (r.nextBoolean() ? 8 : 0) | (dst >= 8 ? 4 : 0));
                    b.add(r.nextBoolean() ? 0x8b : 0x89);
                    b.add(0x44 | ((dst & 7) << 3));
                    b.add(0x24);
                    b.add(r.nextInt(256));
                }
            }
        }
        return b.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int reg(Random r) {
        int i = r.nextInt(15);
        return i >= CpuState.RSP ? i + 1 : i;
    }
}
