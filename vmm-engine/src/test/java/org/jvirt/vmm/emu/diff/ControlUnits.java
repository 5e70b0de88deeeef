package org.jvirt.vmm.emu.diff;

import java.util.SplittableRandom;

import static org.jvirt.vmm.emu.diff.Encoder.NONE;
import static org.jvirt.vmm.emu.diff.Encoder.modrm;
import static org.jvirt.vmm.emu.diff.Encoder.op;
import static org.jvirt.vmm.emu.diff.Encoder.plain;
import static org.jvirt.vmm.emu.diff.SequenceGenerator.join;

/**
 * Units around control transfer, implicit operands and code modification: CALL/RET/indirect JMP
 * forward, LOOPcc, ENTER/LEAVE, XLAT, CMPXCHG8B/16B, PUSHF/POPF of a modified image,
 * RIP-relative loads, BT* on a bit string in memory, fences, and a store into the immediate
 * of the next instruction (self-modifying code). Not generated: MOV from a segment register,
 * which under KVM on PVM shows the host's user selectors (CS 0x33), not the guest's.
 * Every transfer goes forward to a place inside the same unit.
 */
final class ControlUnits {
    private final SequenceGenerator g;
    private final SplittableRandom rnd;

    ControlUnits(SequenceGenerator g) {
        this.g = g;
        this.rnd = g.random();
    }

    Unit any() {
        return switch (rnd.nextInt(16)) {
            case 11 -> bitString();
            case 12 -> bitString();
            case 13 -> fence();
            case 14 -> selfModifying();
            case 15 -> cmpxchgDouble();
            case 0 -> callOver();
            case 1 -> callAndReturn();
            case 2 -> jumpThroughRegister();
            case 3 -> returnOver();
            case 4 -> loop();
            case 5 -> enterLeave();
            case 6 -> xlat();
            case 7 -> cmpxchgDouble();
            case 8 -> flagsThroughStack();
            default -> ripRelativeLoad();
        };
    }

    private Unit inner() {
        Unit u = g.simple();
        return u == null || u.bytes().length > 100 ? null : u;
    }

    /** call +n over a unit that never runs: only the pushed return address remains. */
    private Unit callOver() {
        Unit in = inner();
        if (in == null) return null;
        return Unit.of(join(plain(NONE, 0, op(0xE8), in.bytes().length, 4), in.bytes()), "call +" + in.bytes().length + " { skipped: " + in.text() + " }");
    }

    /** call L1; jmp L2; L1: unit; ret [imm16]; L2: -- the unit runs once, as a subroutine (one that leaves RSP alone). */
    private Unit callAndReturn() {
        Unit in = inner();
        if (in == null || in.text().startsWith("push") || in.text().startsWith("pop")) return null;
        boolean imm = rnd.nextInt(4) == 0;
        int pop = imm ? 8 * rnd.nextInt(4) : 0;
        byte[] ret = imm ? plain(NONE, 0, op(0xC2), pop, 2) : plain(NONE, 0, op(0xC3), 0, 0);
        int body = in.bytes().length + ret.length;
        byte[] b = join(plain(NONE, 0, op(0xE8), 2, 4), plain(NONE, 0, op(0xEB), body, 1), in.bytes(), ret);
        return new Unit(b, "call +2; jmp +" + body + "; " + in.text() + "; ret" + (imm ? " " + pop : ""), in.reads(), in.defines(), in.undefines());
    }

    /** lea r,[rip+k]; jmp r (or through memory) over a unit that never runs. */
    private Unit jumpThroughRegister() {
        Unit in = inner();
        if (in == null) return null;
        int r = g.dest(64);
        boolean viaMemory = rnd.nextBoolean();
        Operand slot = Operand.scratch(rnd.nextInt(-0x700, 0x700) & -8);
        byte[] store = viaMemory ? modrm(true, NONE, op(0x89), r, true, slot, false, 0, 0) : new byte[0];
        byte[] jmp = viaMemory ? modrm(false, NONE, op(0xFF), 4, false, slot, false, 0, 0)
                : modrm(false, NONE, op(0xFF), 4, false, Operand.reg(r), false, 0, 0);
        int k = store.length + jmp.length + in.bytes().length;
        byte[] lea = modrm(true, NONE, op(0x8D), r, true, Operand.ripRelative(k), false, 0, 0);
        String rn = Regs.name(r, 64);
        String text = "lea " + rn + ",[rip+" + k + "]; " + (viaMemory ? "mov " + slot.text(64) + "," + rn + "; jmp " + slot.text(64) : "jmp " + rn);
        return Unit.of(join(lea, store, jmp, in.bytes()), text + " { skipped: " + in.text() + " }");
    }

    /** lea r,[rip+k]; push r; ret over a unit that never runs. */
    private Unit returnOver() {
        Unit in = inner();
        if (in == null) return null;
        int r = g.dest(64);
        byte[] push = plain(NONE, r >= 8 ? 1 : 0, op(0x50 + (r & 7)), 0, 0);
        int k = push.length + 1 + in.bytes().length;
        byte[] lea = modrm(true, NONE, op(0x8D), r, true, Operand.ripRelative(k), false, 0, 0);
        return Unit.of(join(lea, push, op1(0xC3), in.bytes()), "lea " + Regs.name(r, 64) + ",[rip+" + k + "]; push; ret { skipped: " + in.text() + " }");
    }

    /** LOOP/LOOPE/LOOPNE (sometimes with a 32-bit address size: ECX) forward over a unit that runs when the count ends. */
    private Unit loop() {
        Unit in = inner();
        if (in == null) return null;
        int k = rnd.nextInt(3);
        boolean ecx = rnd.nextInt(3) == 0;
        int len = in.bytes().length;
        byte[] b = join(ecx ? op1(0x67) : new byte[0], plain(NONE, 0, op(0xE2 - k), len, 1), in.bytes());
        String name = new String[]{"loop", "loope", "loopne"}[k] + (ecx ? " (ecx)" : "");
        return new Unit(b, name + " +" + len + " { " + in.text() + " }", (k == 0 ? 0 : Flags.ZF) | in.reads(), 0, in.undefines());
    }

    /** lea rbp,[rsp+d]; enter size, level; [leave] -- the nesting level copies frame pointers from the stack. */
    private Unit enterLeave() {
        int d = rnd.nextInt(-0x80, 0x80) & -8;
        int size = rnd.nextInt(0x40), level = rnd.nextInt(6);
        boolean leave = rnd.nextBoolean();
        byte[] b = join(modrm(true, NONE, op(0x8D), Regs.RBP, true, Operand.mem(Regs.RSP, -1, 1, d, false), false, 0, 0),
                plain(NONE, 0, op(0xC8), size | level << 16, 3), leave ? op1(0xC9) : new byte[0]);
        return Unit.of(b, "lea rbp,[rsp" + (d < 0 ? "-" : "+") + Math.abs(d) + "]; enter " + size + "," + level + (leave ? "; leave" : ""));
    }

    /** lea rbx,[r15+d]; xlatb. */
    private Unit xlat() {
        int d = rnd.nextInt(-0x700, 0x600);
        byte[] b = join(modrm(true, NONE, op(0x8D), Regs.RBX, true, Operand.scratch(d), false, 0, 0),
                rnd.nextBoolean() ? op1(0xD7) : plain(NONE, 8, op(0xD7), 0, 0));
        return Unit.of(b, "lea rbx,[r15" + (d < 0 ? "-" : "+") + Math.abs(d) + "]; xlatb");
    }

    /**
     * CMPXCHG8B / CMPXCHG16B on [r15+d] (16-byte aligned), sometimes locked: ZF only. Half the
     * time EDX:EAX (RDX:RAX) is first loaded from the operand, so the exchange succeeds.
     */
    private Unit cmpxchgDouble() {
        boolean wide = rnd.nextBoolean(), match = rnd.nextBoolean(), lock = rnd.nextInt(3) == 0;
        int d = rnd.nextInt(-0x700, 0x700) & (wide ? -16 : -1);
        Operand m = Operand.scratch(d);
        byte[] b = modrm(wide, lock ? op(0xF0) : NONE, op(0x0F, 0xC7), 1, false, m, false, 0, 0);
        Unit u = new Unit(b, (lock ? "lock " : "") + (wide ? "cmpxchg16b " : "cmpxchg8b ") + m.text(wide ? 128 : 64), 0, Flags.ZF, 0);
        if (!match) return u;
        int half = wide ? 8 : 4;
        byte[] load = join(modrm(wide, NONE, op(0x8B), Regs.RAX, true, m, false, 0, 0),
                modrm(wide, NONE, op(0x8B), Regs.RDX, true, Operand.scratch(d + half), false, 0, 0));
        return u.after(Unit.of(load, "mov " + Regs.name(Regs.RAX, wide ? 64 : 32) + "," + m.text(0) + "; mov "
                + Regs.name(Regs.RDX, wide ? 64 : 32) + ",[..+" + half + "]"));
    }

    /** mov r, imm (a bit offset within +-0x3000 bits); BT/BTS/BTR/BTC [r15+d], r: the offset addresses a bit string. */
    private Unit bitString() {
        int w = rnd.nextBoolean() ? 32 : rnd.nextBoolean() ? 64 : 16, k = rnd.nextInt(4);
        int r = new int[]{1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}[rnd.nextInt(12)];
        int offset = w == 16 ? rnd.nextInt(-0x3000, 0x3000) / 4 : rnd.nextInt(-0x3000, 0x3000);
        Operand m = Operand.scratch(rnd.nextInt(-0x100, 0x100));
        byte[] set = w == 16 ? Encoder.plain(Encoder.OSIZE, r >= 8 ? 1 : 0, op(0xB8 + (r & 7)), offset, 2)
                : Encoder.plain(NONE, (w == 64 ? 8 : 0) | (r >= 8 ? 1 : 0), op(0xB8 + (r & 7)), offset, w == 64 ? 8 : 4);
        boolean lock = k != 0 && rnd.nextInt(3) == 0;
        byte[] bt = modrm(w == 64, w == 16 ? (lock ? op(0xF0, 0x66) : Encoder.OSIZE) : (lock ? op(0xF0) : NONE), op(0x0F, 0xA3 + 8 * k), r, true, m, false, 0, 0);
        String name = new String[]{"bt", "bts", "btr", "btc"}[k];
        return new Unit(join(set, bt), "mov " + Regs.name(r, w) + "," + offset + "; " + (lock ? "lock " : "") + name + " " + m.text(w) + "," + Regs.name(r, w),
                0, Flags.CF, Flags.OF | Flags.SF | Flags.ZF | Flags.AF | Flags.PF);
    }

    /** LFENCE, SFENCE, MFENCE, PREFETCHh, or a non-temporal store (MOVNTI). */
    private Unit fence() {
        int k = rnd.nextInt(5);
        if (k < 3) return Unit.of(modrm(false, NONE, op(0x0F, 0xAE), 5 + k, false, Operand.reg(0), false, 0, 0), new String[]{"lfence", "mfence", "sfence"}[k]);
        Operand m = g.scratch();
        if (k == 3) {
            int hint = rnd.nextInt(4);
            return Unit.of(modrm(false, NONE, op(0x0F, 0x18), hint, false, m, false, 0, 0), "prefetch" + new String[]{"nta", "t0", "t1", "t2"}[hint] + " " + m.text(8));
        }
        boolean wide = rnd.nextBoolean();
        int s = rnd.nextInt(16);
        return Unit.of(modrm(wide, NONE, op(0x0F, 0xC3), s, true, m, false, 0, 0), "movnti " + m.text(wide ? 64 : 32) + "," + Regs.name(s, wide ? 64 : 32));
    }

    /** mov byte [rip+k], v; then the instruction whose immediate byte that store changes (it must run with the new byte). */
    private Unit selfModifying() {
        int r = g.dest(32), v = rnd.nextInt(256), which = rnd.nextInt(4);
        boolean rex = r >= 8;
        byte[] next = Encoder.plain(NONE, rex ? 1 : 0, op(0xB8 + (r & 7)), rnd.nextInt(), 4); // mov r32, imm32
        int k = (rex ? 2 : 1) + which;
        byte[] store = modrm(false, NONE, op(0xC6), 0, false, Operand.ripRelative(k), false, v, 1);
        return Unit.of(join(store, next), "mov byte [rip+" + k + "]," + v + "; mov " + Regs.name(r, 32) + ",imm32 (its byte " + which + " patched)");
    }

    /**
     * pushfq; and qword [rsp], ~(IF|IOPL); xor qword [rsp], mask (arithmetic flags and DF); popfq --
     * sometimes the 16-bit forms. The AND hides a KVM-on-PVM artifact: guest user code runs with
     * the host's real IF=1 and IOPL=0, which PUSHF shows (the emulator pushes the guest's IF=0, IOPL=3).
     */
    private Unit flagsThroughStack() {
        int mask = (int) (rnd.nextLong() & (Flags.ALL | Flags.DF));
        boolean word = rnd.nextInt(4) == 0;
        int[] pre = word ? Encoder.OSIZE : NONE;
        Operand top = Operand.mem(Regs.RSP, -1, 1, 0, false);
        byte[] and = modrm(!word, pre, op(0x81), 4, false, top, false, ~0x3200, word ? 2 : 4);
        byte[] xor = modrm(!word, pre, op(0x81), 6, false, top, false, mask, word ? 2 : 4);
        byte[] b = join(plain(pre, 0, op(0x9C), 0, 0), and, xor, plain(pre, 0, op(0x9D), 0, 0));
        String s = word ? "w" : "q", size = word ? "word" : "qword";
        return new Unit(b, "pushf" + s + "; and " + size + " [rsp],~0x3200; xor " + size + " [rsp]," + SequenceGenerator.hex(mask) + "; popf" + s,
                Flags.ALL, Flags.ALL, 0);
    }

    /** An ALU operation or MOV reading the code bytes near RIP. */
    private Unit ripRelativeLoad() {
        int w = g.width(), d = g.dest(w), disp = rnd.nextInt(-0x40, 0x40);
        Operand m = Operand.ripRelative(disp);
        int o = rnd.nextInt(9);
        if (o == 8) {
            return SequenceGenerator.unit(modrm(w == 64, Encoder.prefixFor(w), op(w == 8 ? 0x8A : 0x8B), d, true, m, w == 8, 0, 0),
                    "mov " + Regs.name(d, w) + "," + m.text(w), 0, 0, 0);
        }
        int reads = (o == 2 || o == 3) ? Flags.CF : 0;
        int def = (o == 1 || o == 4 || o == 6) ? Flags.ALL & ~Flags.AF : Flags.ALL;
        byte[] b = modrm(w == 64, Encoder.prefixFor(w), op(o * 8 + 2 + (w == 8 ? 0 : 1)), d, true, m, w == 8, 0, 0);
        return SequenceGenerator.unit(b, new String[]{"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"}[o] + " "
                + Regs.name(d, w) + "," + m.text(w), reads, def, Flags.ALL & ~def);
    }

    private static byte[] op1(int b) { return new byte[]{(byte) b}; }
}
