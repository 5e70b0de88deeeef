package org.jvirt.vmm.emu.fpu;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.ExtensionUnit;
import org.jvirt.vmm.emu.cpu.LinearMemory;

/**
 * The emulator's x87 FPU and SSE/MMX unit: availability checks (CR0.EM, CR0.TS, CR4.OSFXSR),
 * then dispatch to {@link X87} for D8-DF, to {@link Group15} for 0F AE, and to the SSE families
 * ({@link SseMoves}, {@link SseInteger}, {@link SseFloat}, {@link SseString}) for the rest.
 * See vmm-engine/README.md "Emulator FPU" for the precision model and what is not emulated.
 */
public final class X87Sse implements ExtensionUnit {
    private final CpuState cpu;
    private final FpuRegisters r = new FpuRegisters();
    private final SseContext c;
    private final X87 x87;
    private final FxImage fx;
    private final Group15 group15;
    private final SseMoves moves;
    private final SseInteger ints;
    private final SseFloat floats;
    private final SseString strings;

    public X87Sse(CpuState state) {
        this.cpu = state;
        this.c = new SseContext(state, r);
        this.x87 = new X87(state, r);
        this.fx = new FxImage(r);
        this.group15 = new Group15(c, fx);
        this.floats = new SseFloat(c);
        this.moves = new SseMoves(c);
        this.ints = new SseInteger(c);
        this.strings = new SseString(c);
    }

    @Override
    public void x87(int escape, int modrm, long memLinear, LinearMemory mem, boolean user, boolean operandSize16) {
        if ((cpu.cr0 & (CpuState.CR0_EM | CpuState.CR0_TS)) != 0) throw CpuFault.of(CpuFault.NM);
        x87.execute(escape & 0xff, modrm & 0xff, memLinear, mem, user, operandSize16);
    }

    @Override
    public boolean sse(int map, int opcode, int prefix, int modrm, int reg, int rm, long memLinear, LinearMemory mem,
                       boolean user, boolean rexW, int imm8) {
        c.map = map;
        c.opcode = opcode & 0xff;
        c.prefix = prefix;
        c.modrm = modrm & 0xff;
        c.reg = reg;
        c.rm = rm;
        c.addr = memLinear;
        c.mem = mem;
        c.user = user;
        c.rexW = rexW;
        c.imm8 = imm8 & 0xff;
        if (map == MAP_0F) {
            switch (c.opcode) {
                case 0xae: return group15.execute();
                case 0x18: case 0x0d: return true; // PREFETCHh / PREFETCHW: hints
                case 0xc3: // MOVNTI m32/m64, r: a plain store
                    if (prefix != PREFIX_NONE || c.isReg()) return false;
                    if (rexW) mem.write64(memLinear, cpu.gpr[reg], user);
                    else mem.write32(memLinear, (int) cpu.gpr[reg], user);
                    return true;
                default:
            }
        } else if (map == MAP_0F38 && (c.opcode == 0xf0 || c.opcode == 0xf1)) {
            return prefix == PREFIX_F2 && strings.crc32();
        }
        if (isMmxForm()) {
            if ((cpu.cr0 & CpuState.CR0_EM) != 0) throw SseContext.ud();
            if ((cpu.cr0 & CpuState.CR0_TS) != 0) throw CpuFault.of(CpuFault.NM);
            if (map == MAP_0F && c.opcode == 0x77) { // EMMS
                r.tagValid = 0;
                return true;
            }
            r.enterMmx();
        } else {
            if ((cpu.cr0 & CpuState.CR0_EM) != 0 || (cpu.cr4 & CpuState.CR4_OSFXSR) == 0) throw SseContext.ud();
            if ((cpu.cr0 & CpuState.CR0_TS) != 0) throw CpuFault.of(CpuFault.NM);
        }
        return moves.execute() || ints.execute() || floats.execute() || strings.execute();
    }

    /** Whether the instruction is an MMX one (touches the mm registers, takes the x87 state over). */
    private boolean isMmxForm() {
        int op = c.opcode;
        if (c.map == MAP_0F) {
            if (op == 0xd6) return c.prefix == PREFIX_F3 || c.prefix == PREFIX_F2; // MOVQ2DQ, MOVDQ2Q
            if (c.prefix != PREFIX_NONE) return false;
            return (op >= 0x60 && op <= 0x7f && op != 0x6c && op != 0x6d && op != 0x78 && op != 0x79
                    && op != 0x7c && op != 0x7d) || op == 0x2a || op == 0x2c || op == 0x2d
                    || op == 0xc4 || op == 0xc5 || (op >= 0xd1 && op <= 0xff && op != 0xd6 && op != 0xff);
        }
        if (c.prefix != PREFIX_NONE) return false;
        if (c.map == MAP_0F38) return op <= 0x0b || (op >= 0x1c && op <= 0x1e);
        return op == 0x0f;
    }

    /** The register file, for tests in this package. */
    FpuRegisters registers() { return r; }

    @Override
    public void reset() {
        r.reset();
    }

    @Override
    public void saveFxImage(byte[] out512) {
        fx.save(out512, true, 16);
    }

    @Override
    public void loadFxImage(byte[] in512) {
        fx.load(in512, true, 16);
    }
}
