package org.jvirt.vmm.emu;

import org.jvirt.vmm.cpu.BootCpuState;
import org.jvirt.vmm.emu.cpu.CpuState;
import org.jvirt.vmm.emu.cpu.SegmentRegister;

import java.util.Arrays;

/**
 * Puts the emulator's CPU into the state a boot protocol hands the boot processor, the same
 * registers the KVM backend's reset sets (KvmVcpu.reset and applyBootSregs): general registers
 * zero but RIP, RSP, RBX and RSI; RFLAGS 2; flat 4 GiB segments (code 0x08, data 0x10 in DS,
 * ES, FS, GS, SS), a busy 32-bit TSS at 0x18 with limit 0x67, the loader's GDT, an empty IDT;
 * PROTECTED_32: CR0 = PE|ET, paging off; LONG_64: CR0 = PG|AM|WP|NE|ET|MP|PE, CR4 =
 * PAE|OSFXSR|OSXMMEXCPT, EFER = LME|LMA, CR3 from the loader, and a 64-bit code segment.
 * The MSRs get their power-on values (CpuState.reset), as KVM's BootMsrs sets them. Without a boot
 * state (an AP) the registers are the power-on ones, with TR's type as KVM's power-on TR (0xB).
 * The x87/SSE unit is reset by the caller (ExtensionUnit.reset).
 */
public final class EmuBootEntry {
    private EmuBootEntry() { }

    static final long LONG_CR0 = 0x80050033L, LONG_CR4 = 0x620, LONG_EFER = 0x500, PROTECTED_CR0 = 0x11;

    /** Power-on state, then the boot state when boot is non-null (an AP, boot == null, stays at power-on). */
    public static void apply(CpuState s, BootCpuState boot) {
        s.reset();
        s.miscEnable = 1; // fast strings, as KVM's BootMsrs
        s.mtrrDefType = 0x806; // MTRRs enabled, write-back by default, as KVM's BootMsrs
        s.tr.type = 0xb;  // KVM's power-on TR is a busy 32-bit TSS (VMX requires type 3 or 11; KVM uses 11)
        if (boot == null || boot.mode() == BootCpuState.Mode.RESET) return; // RESET: power-on state, but running (the BSP)
        boolean long64 = boot.mode() == BootCpuState.Mode.LONG_64;
        Arrays.fill(s.gpr, 0); // KVM's reset clears every register (no CPUID signature in RDX)
        s.rip = boot.rip();
        s.gpr[CpuState.RSP] = boot.rsp();
        s.gpr[CpuState.RBX] = boot.rbx();
        s.gpr[CpuState.RSI] = boot.rsi();
        s.setRflags(2);

        flat(s.seg[CpuState.CS], BootCpuState.CODE_SELECTOR, 0xb, !long64, long64);
        for (int i : new int[]{CpuState.DS, CpuState.ES, CpuState.FS, CpuState.GS, CpuState.SS}) {
            flat(s.seg[i], BootCpuState.DATA_SELECTOR, 0x3, true, false);
        }
        SegmentRegister tr = s.tr;
        tr.selector = BootCpuState.TSS_SELECTOR;
        tr.base = 0;
        tr.limit = 0x67;
        tr.type = 0xb;
        tr.codeOrData = false;
        tr.dpl = 0;
        tr.present = true;
        tr.db = tr.longMode = tr.granularity = tr.available = tr.unusable = false;
        s.gdtBase = boot.gdtBase();
        s.gdtLimit = boot.gdtLimit();
        s.idtBase = 0;
        s.idtLimit = 0;
        s.cr2 = 0;
        if (long64) {
            s.cr0 = LONG_CR0;
            s.cr3 = boot.cr3();
            s.cr4 = LONG_CR4;
            s.efer = LONG_EFER;
        } else {
            s.cr0 = PROTECTED_CR0;
            s.cr3 = 0;
            s.cr4 = 0;
            s.efer = 0;
        }
        s.cpl = 0;
        s.halted = false;
        s.interruptShadow = false;
    }

    private static void flat(SegmentRegister r, int selector, int type, boolean db, boolean longMode) {
        r.selector = selector;
        r.base = 0;
        r.limit = 0xffffffffL;
        r.type = type;
        r.codeOrData = true;
        r.dpl = 0;
        r.present = true;
        r.db = db;
        r.longMode = longMode;
        r.granularity = true;
        r.available = false;
        r.unusable = false;
    }
}
