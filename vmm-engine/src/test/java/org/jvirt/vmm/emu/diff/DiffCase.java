package org.jvirt.vmm.emu.diff;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One differential test: the generated units and the initial user-mode state (GPRs in encoding
 * order, arithmetic flags, the scratch data page and the stack pages, XMM0..15 as 32 quadwords,
 * MXCSR, MM0..7), all derived from seed.
 */
record DiffCase(long seed, List<Unit> units, long[] gprs, long rflags, byte[] data, byte[] stack, long[] xmm, int mxcsr, long[] mm) {

    /** out 0xE0, al; jmp $ : reports "done" to the host, then spins until it pauses the vCPU. */
    static final byte[] TERMINATOR = {(byte) 0xE6, (byte) DiffLayout.DONE_PORT, (byte) 0xEB, (byte) 0xFE};

    static DiffCase generate(long seed, int units) {
        SequenceGenerator g = new SequenceGenerator(seed);
        List<Unit> u = g.units(units);
        SplittableRandom r = g.random();
        long[] gprs = new long[16];
        for (int i = 0; i < 16; i++) gprs[i] = value(r);
        gprs[Regs.RSP] = DiffLayout.STACK_TOP_INITIAL;
        gprs[Regs.R15] = DiffLayout.SCRATCH_BASE;
        long flags = 0x2 | 0x3000 /* IOPL 3: the terminator's OUT */ | (r.nextLong() & Flags.ALL);
        byte[] data = new byte[DiffLayout.DATA_SIZE];
        byte[] stack = new byte[DiffLayout.STACK_SIZE];
        r.nextBytes(data);
        r.nextBytes(stack);
        long[] xmm = new long[32];
        for (int i = 0; i < 32; i++) xmm[i] = SseUnits.lane(r);
        int mxcsr = SseUnits.randomMxcsr(r);
        long[] mm = new long[8];
        for (int i = 0; i < 8; i++) mm[i] = value(r);
        return new DiffCase(seed, List.copyOf(u), gprs, flags, data, stack, xmm, mxcsr, mm);
    }

    /** Register values that hit the edge cases of flags and sign extension often. */
    private static long value(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> r.nextInt(-300, 300);
            case 3 -> 1L << r.nextInt(64);
            case 4 -> (1L << r.nextInt(64)) - 1;
            case 5 -> r.nextLong() & 0xFFFFFFFFL;
            default -> r.nextLong();
        };
    }

    DiffCase withUnits(List<Unit> u) { return new DiffCase(seed, List.copyOf(u), gprs, rflags, data, stack, xmm, mxcsr, mm); }

    byte[] code() {
        byte[][] parts = new byte[units.size() + 1][];
        for (int i = 0; i < units.size(); i++) parts[i] = units.get(i).bytes();
        parts[units.size()] = TERMINATOR;
        return SequenceGenerator.join(parts);
    }

    /** The flags undefined at the end, or -1 when some unit reads a flag that is undefined where it runs. */
    int undefinedFlagsAtEnd() {
        int undefined = 0;
        for (Unit u : units) {
            if ((u.reads() & undefined) != 0) return -1;
            undefined = (undefined & ~u.defines()) | u.undefines();
        }
        return undefined;
    }

    /** Every flag some unit leaves undefined (an exception frame may capture RFLAGS at any point). */
    int undefinedFlagsAnywhere() {
        int any = 0;
        for (Unit u : units) any |= u.undefines();
        return any;
    }

    long rip(int unitIndex) {
        long at = DiffLayout.CODE;
        for (int i = 0; i < unitIndex; i++) at += units.get(i).bytes().length;
        return at;
    }

    int instructionCount() {
        int n = 0;
        for (Unit u : units) n += u.text().split("; ").length;
        return n;
    }
}
