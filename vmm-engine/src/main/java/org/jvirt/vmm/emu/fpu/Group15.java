package org.jvirt.vmm.emu.fpu;

import org.jvirt.vmm.emu.cpu.CpuFault;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.ExtensionUnit;

/**
 * 0F AE without a prefix: FXSAVE, FXRSTOR, LDMXCSR, STMXCSR (memory forms /0-/3), XSAVE,
 * XRSTOR, XSAVEOPT (#UD: the CPU model has no XSAVE), CLFLUSH (/7 memory, a no-op), and the
 * register forms LFENCE, MFENCE, SFENCE (no-ops in an interpreter that executes in order).
 * Prefixed forms (RDFSBASE..., CLFLUSHOPT) are not this unit's.
 */
final class Group15 {
    private final SseContext c;
    private final FxImage fx;

    Group15(SseContext c, FxImage fx) {
        this.c = c;
        this.fx = fx;
    }

    boolean execute() {
        int sub = c.modrmReg();
        if (c.isReg()) return c.prefix == ExtensionUnit.PREFIX_NONE && sub >= 5; // the fences
        if (c.prefix == ExtensionUnit.PREFIX_66 && sub == 7) return true; // CLFLUSHOPT: a no-op too
        if (c.prefix != ExtensionUnit.PREFIX_NONE) return false;
        CpuState cpu = c.cpu;
        switch (sub) {
            case 0, 1 -> {
                if ((cpu.cr0 & (CpuState.CR0_EM | CpuState.CR0_TS)) != 0) throw CpuFault.of(CpuFault.NM);
                int n = cpu.mode64() ? 16 : 8;
                if (sub == 0) fx.saveTo(c.mem, c.addr, c.user, c.rexW, n);
                else fx.loadFrom(c.mem, c.addr, c.user, c.rexW, n);
            }
            case 2, 3 -> {
                if ((cpu.cr0 & CpuState.CR0_EM) != 0 || (cpu.cr4 & CpuState.CR4_OSFXSR) == 0) throw SseContext.ud();
                if ((cpu.cr0 & CpuState.CR0_TS) != 0) throw CpuFault.of(CpuFault.NM);
                if (sub == 2) {
                    int v = c.mem.read32(c.addr, c.user);
                    if ((v & ~FpuRegisters.MXCSR_MASK) != 0) throw CpuFault.gp0();
                    c.r.mxcsr = v;
                } else {
                    c.mem.write32(c.addr, c.r.mxcsr, c.user);
                }
            }
            case 7 -> { } // CLFLUSH
            default -> throw SseContext.ud(); // XSAVE, XRSTOR, XSAVEOPT: no XSAVE in this CPU model
        }
        return true;
    }
}
