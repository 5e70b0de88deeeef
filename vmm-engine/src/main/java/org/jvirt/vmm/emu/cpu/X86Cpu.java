package org.jvirt.vmm.emu.cpu;

import static org.jvirt.vmm.emu.cpu.CpuState.*;

/**
 * The emulator's x86 instruction core: decodes and executes general-purpose instructions in
 * real, protected, virtual-8086 and 64-bit mode on a {@link CpuState}, and leaves everything
 * that depends on the protection model to the {@link SystemUnit}, paging to the
 * {@link AddressTranslator}, x87/SSE to the {@link ExtensionUnit}.
 *
 * <p>One thread runs a CPU ({@link #run}); {@link #requestStop} may be called from any thread.
 * A fault inside an instruction rolls RIP and RSP back to the instruction's start (results are
 * only written after the accesses that can fault) and is delivered as an exception; a fault
 * while delivering becomes #DF, and a fault while delivering #DF shuts the CPU down.
 * Single-step (TF) traps are delivered after each instruction that began with TF set (not after
 * INT n/INT3/INTO/ICEBP, nor after a faulting one; under REP after each chunk of iterations
 * rather than each iteration). Not yet implemented: debug-register breakpoints, alignment checks
 * (#AC).
 */
public final class X86Cpu extends CpuOps {
    /** Why {@link #run} returned. */
    public enum RunExit { BUDGET, HALTED, STOPPED, SHUTDOWN }

    private volatile boolean stopRequested;
    private long retired;
    /** Null when the bus cannot report code writes. */
    private final DecodeCache cache;
    /** Null with the decode cache (same condition). */
    private final BlockCache blocks;
    /**
     * The {@link CodeBlock#chainable} block that just ran to its end, with nothing between it and
     * the next block (no event, no single step): the next block may come from its links. The
     * mode, paging and CPL fields ({@link #beginInstruction}) are still the ones it ran under.
     */
    private CodeBlock chained;
    /** The block runBlock is running (for {@link #stepInBlock}). */
    private CodeBlock running;
    private BlockTranslator blockTranslator;
    private int translateAfter;

    public X86Cpu(CpuState state, PhysicalBus bus, CpuProfile profile) {
        super(state, bus, profile);
        cache = DecodeCache.supportedBy(bus) ? new DecodeCache() : null;
        blocks = cache != null ? new BlockCache() : null;
    }

    public void setSystemUnit(SystemUnit unit) { this.sys = unit; }

    /** Used only while CR0.PG is set. */
    public void setTranslator(AddressTranslator t) { this.translator = t; java.util.Arrays.fill(memoTag, 0); }

    public void setInterruptSource(InterruptSource source) { this.irq = source == null ? InterruptSource.NONE : source; }

    /**
     * Compiles blocks that ran interpreted runsBefore times (from then on they run compiled); null:
     * interpret everything.
     */
    public void setBlockTranslator(BlockTranslator translator, int runsBefore) {
        if (runsBefore < 1) throw new IllegalArgumentException("runsBefore must be at least 1");
        this.blockTranslator = translator;
        this.translateAfter = runsBefore;
    }

    /** Null: x87 and SSE opcodes raise #UD (or #NM when CR0.TS/EM say so). */
    public void setExtensionUnit(ExtensionUnit unit) { this.ext = unit; }

    /** Linear-address access over the translator (when paging) and the bus; accesses may cross pages. */
    public LinearMemory linearMemory() { return linearView; }

    public CpuState state() { return st; }

    public long instructionsRetired() { return retired; }

    /** Makes {@link #run} return STOPPED at the next instruction boundary (callable from any thread). */
    public void requestStop() { stopRequested = true; }

    /** Runs at most maxInstructions instructions. */
    public RunExit run(long maxInstructions) {
        chained = null; // the state may have been changed from outside since the last run
        for (long n = 0; n < maxInstructions; ) {
            if (stopRequested) {
                stopRequested = false;
                return RunExit.STOPPED;
            }
            boolean shadow = st.interruptShadow;
            st.interruptShadow = false;
            if (!shadow) {
                if (!nmiBlocked && irq.takeNmi()) {
                    chained = null;
                    st.halted = false;
                    nmiBlocked = true;
                    if (!deliverEvent(CpuFault.NMI, SystemUnit.NMI)) return RunExit.SHUTDOWN;
                } else if ((st.controlFlags() & IF) != 0 && irq.hasInterrupt()) {
                    chained = null;
                    st.halted = false;
                    if (!deliverEvent(irq.acknowledge(), SystemUnit.HARDWARE_INTERRUPT)) return RunExit.SHUTDOWN;
                }
            }
            if (st.halted) return RunExit.HALTED;
            // after STI/MOV SS one instruction alone: an interrupt waiting for the shadow to end comes right after it
            int done = blocks != null && !shadow && (st.controlFlags() & TF) == 0 ? runBlock(maxInstructions - n) : 0;
            if (done == 0) {
                chained = null;
                if (!step()) return RunExit.SHUTDOWN;
                n++;
            } else if (done < 0) {
                return RunExit.SHUTDOWN;
            } else {
                n += done;
            }
            if (st.halted) return RunExit.HALTED;
        }
        return RunExit.BUDGET;
    }

    private void beginInstruction() {
        mode64 = st.mode64();
        paging = (st.cr0 & CR0_PG) != 0 && translator != null;
        user = st.cpl == 3;
    }

    /** One instruction; false on shutdown. */
    private boolean step() {
        long rip = st.rip, rsp = r[RSP];
        beginInstruction();
        boolean singleStep = (st.controlFlags() & TF) != 0;
        eventDelivered = false;
        try {
            if (cache == null) decode(); else decodeCached();
            st.rip = in.nextRip;
            Insn d = in;
            if (d.lock) {
                if (!profile.is286() && !lockable()) throw ud();
                executeLocked();
            } else if (d.mem && (d.op == 0x86 || d.op == 0x87)) {
                executeLocked(); // XCHG with memory is always locked
            } else {
                execute();
            }
            retired++;
        } catch (CpuFault f) {
            st.rip = rip;
            r[RSP] = rsp;
            return deliverFault(f, rip, rsp);
        }
        if (singleStep && !eventDelivered && !st.halted) return singleStepTrap();
        return true;
    }

    private final long[] gprBeforeLocked = new long[16];

    /**
     * A locked instruction under the bus lock, its operand's store a compare-and-set
     * ({@link CpuCore#atomicRmw}); when another vCPU's plain store changed the operand since
     * the read, the registers and flags go back to before it and it runs again on the new value.
     */
    private void executeLocked() {
        synchronized (BUS_LOCK) {
            long flags = st.rflags();
            System.arraycopy(r, 0, gprBeforeLocked, 0, 16);
            atomicRmw = true;
            try {
                while (true) {
                    try {
                        rmwLinear = -1;
                        execute();
                        return;
                    } catch (RuntimeException e) {
                        if (e != OPERAND_CHANGED) throw e;
                        System.arraycopy(gprBeforeLocked, 0, r, 0, 16);
                        st.setRflags(flags);
                    }
                }
            } finally {
                atomicRmw = false;
            }
        }
    }

    /**
     * Runs the code block at RIP (decoding it first on a miss) when it fits in budget: the
     * number of instructions consumed (a faulting one counts, as in {@link #step}), 0 when the
     * caller must take one {@link #step} instead, -1 on shutdown. Interrupts and stop requests
     * are looked at only between blocks; a write that changes decoded code ends the block.
     */
    private int runBlock(long budget) {
        CodeBlock prev = chained;
        chained = null;
        long rip = st.rip;
        long epoch = linkEpoch();
        CodeBlock b = prev != null ? prev.successor(rip, epoch) : null;
        // In prev's page and built under prev's version: a store by prev to that page would have
        // ended it early; another vCPU's or a device's store is seen at the next lookup (run()
        // starts without a chain), as a real CPU needs a serializing step to see such a change.
        if (b == null || ((b.keyPa ^ prev.keyPa) >= 0x1000 || b.keyVersion != prev.keyVersion)
                && b.keyVersion != bus.codeVersion(b.keyPa)) {
            b = lookupBlock(rip);
            if (b == null) return 0;
            if (prev != null && epoch != CodeBlock.NO_LINK) prev.link(rip, epoch, b);
        }
        long pa = b.keyPa;
        int count = b.count;
        if (count > budget || (!mode64 && b.endRip - 1 > st.seg[CS].limit)) return 0;
        eventDelivered = false;
        blockPage = pa & ~0xfffL;
        wroteBlockPage = false;
        running = b;
        CompiledBlock compiled = b.compiled;
        if (compiled == null && blockTranslator != null && ++b.runs >= translateAfter) compiled = translate(b);
        if (compiled != null) {
            int res = compiled.run(this, r, st);
            if (res != CompiledBlock.CONTINUE) return res;
        } else {
            Insn[] insns = b.insns;
            for (int k = 0; k < count; k++) {
                Insn d = insns[k];
                if (d.fast > FastForms.NONE) { // register-only forms and jumps to a checked target: cannot fault or write memory
                    st.rip = d.nextRip;
                    runFast(d);
                    continue;
                }
                int res = stepInBlock(k);
                if (res != CompiledBlock.CONTINUE) return res;
            }
        }
        retired += count;
        if (b.chainable) chained = b;
        return count;
    }

    /**
     * The running block's k-th instruction inside the block runner's fault handling:
     * {@link CompiledBlock#CONTINUE}, or what {@link #runBlock} returns now (a fault was delivered,
     * retired counts the instructions before it; or a store changed the block's page).
     */
    int stepInBlock(int k) {
        CodeBlock b = running;
        Insn d = b.insns[k];
        long rsp = r[RSP];
        in = d;
        d.eaValid = false;
        st.rip = d.nextRip;
        try {
            if (d.fast < FastForms.NONE) runMemory(d);
            else if (d.fast > FastForms.NONE) runFast(d);
            else execute();
        } catch (CpuFault f) {
            retired += k;
            st.rip = d.startRip;
            r[RSP] = rsp;
            return deliverFault(f, d.startRip, rsp) ? k + 1 : -1;
        }
        if (wroteBlockPage) {
            wroteBlockPage = false;
            if (bus.codeVersion(b.keyPa) != b.keyVersion) { // the write may have changed what follows
                retired += k + 1;
                return k + 1;
            }
        }
        return CompiledBlock.CONTINUE;
    }

    /** b's compiled form, or null (then b is not offered again until it is rebuilt). */
    private CompiledBlock translate(CodeBlock b) {
        CompiledBlock c = blockTranslator.translate(new BlockShape(b));
        if (c == null) b.runs = Integer.MIN_VALUE;
        b.compiled = c;
        return c;
    }

    /**
     * What a block link's page translation depends on: the translator's epoch and the CPL class
     * (fetch permission), or -1 without paging; {@link CodeBlock#NO_LINK} under a translator
     * that promises nothing.
     */
    private long linkEpoch() {
        if (!paging) return -1;
        long e = translator.epoch();
        return e < 0 ? CodeBlock.NO_LINK : e << 1 | (user ? 1 : 0);
    }

    /** The valid block at rip under the current CS and paging, decoded on a miss; null when the CPU must step. */
    private CodeBlock lookupBlock(long rip) {
        beginInstruction();
        SegmentRegister cs = st.seg[CS];
        long la = mode64 ? rip : (cs.base + rip) & 0xffffffffL;
        long pa;
        if (paging) {
            try {
                pa = codePhys(la);
            } catch (CpuFault f) {
                return null; // step() raises it
            }
        } else {
            pa = la;
        }
        int mode = (mode64 ? 1 : 0) | (cs.db ? 2 : 0);
        CodeBlock b = blocks.slot(pa);
        if (b.matches(pa, rip, cs.base, mode, bus.codeVersion(pa))) return b.count > 0 ? b : null;
        return buildBlock(b, la, pa, rip, cs.base, mode) ? b : null;
    }

    /** One {@link FastForms} instruction (the same results and lazy flags as {@link #execute}). */
    private void runFast(Insn d) {
        long[] g = r;
        long m = d.opSize == 8 ? -1L : 0xffffffffL;
        int f = d.fast, dst = d.fastDst;
        if (f >= FastForms.ADD_RR && f <= FastForms.TEST_RR) { // kept small: this method must stay within HotSpot's inlining size
            long a = g[dst] & m, b = (f & 1) != 0 ? d.fastImm : g[d.fastSrc] & m, res;
            int op = LazyFlags.LOGIC;
            switch (f >> 1) {
                case FastForms.ADD_RR >> 1 -> { res = (a + b) & m; op = LazyFlags.ADD; }
                case FastForms.SUB_RR >> 1, FastForms.CMP_RR >> 1 -> { res = (a - b) & m; op = LazyFlags.SUB; }
                case FastForms.OR_RR >> 1 -> res = a | b;
                case FastForms.XOR_RR >> 1 -> res = a ^ b;
                default -> res = a & b; // AND, TEST
            }
            if (d.fastFlags) st.lazy(op, d.opSize, a, b, res);
            if (f < FastForms.CMP_RR) g[dst] = res; // CMP and TEST only set flags
            return;
        }
        switch (f) {
            case FastForms.JUMP -> { if (d.fastAlu == FastForms.ALWAYS || cond(d.fastAlu)) st.rip = d.fastImm; }
            case FastForms.MOV_RR -> g[dst] = g[d.fastSrc] & m;
            case FastForms.MOV_RI -> g[dst] = d.fastImm;
            case FastForms.LEA -> {
                in = d;
                d.eaValid = false;
                g[dst] = offset() & m;
            }
            case FastForms.SHIFT_RI -> g[dst] = fastShift(d, g[dst] & m, m);
            case FastForms.ALU_RR -> g[dst] = alu(d.fastAlu, g[dst] & m, g[d.fastSrc] & m, d.opSize);
            case FastForms.ALU_RI -> g[dst] = alu(d.fastAlu, g[dst] & m, d.fastImm, d.opSize);
            default -> g[dst] = moreFast(d, g, m);
        }
    }

    /**
     * MOVSXD, CMOVcc, IMUL, MOVZX/MOVSX between registers and SETcc to a register: the
     * destination register's new value (CMOVcc with a false condition still zero-extends a 32-bit
     * one; SETcc keeps the register's other bytes).
     */
    private long moreFast(Insn d, long[] g, long m) {
        int src = d.fastSrc;
        switch (d.fast) {
            case FastForms.MOVSXD: return (long) (int) g[src] & m;
            case FastForms.CMOV: return (cond(d.fastAlu) ? g[src] : g[d.fastDst]) & m;
            case FastForms.SETCC: {
                int shift = (int) d.fastImm;
                return g[d.fastDst] & ~(0xffL << shift) | (cond(d.fastAlu) ? 1L << shift : 0);
            }
            case FastForms.MOVZX: return (g[src] >>> d.fastImm) & mask(d.fastAlu) & m;
            case FastForms.MOVSX: return sext(g[src] >>> d.fastImm, d.fastAlu) & m;
            default: { // IMUL reg, reg (the destination is a factor) or reg, reg, imm; flags only when live
                boolean imm = d.fast == FastForms.IMUL_RI;
                long a = g[imm ? src : d.fastDst] & m, b = imm ? d.fastImm : g[src] & m;
                return d.fastFlags ? imul(a, b, d.opSize) : (a * b) & m;
            }
        }
    }

    /** A {@link FastForms} form that may fault (in is d): the same accesses, faults and results as {@link #execute}. */
    private void runMemory(Insn d) {
        int size = d.opSize;
        if (d.fast == FastForms.LOAD) r[d.fastDst] = read(d.seg(), offset(), size);
        else write(d.seg(), offset(), size, r[d.fastSrc] & mask(size));
    }

    /** SHL/SHR/SAR by a non-zero constant: the plain result when no one reads its flags. */
    private long fastShift(Insn d, long v, long m) {
        int op = d.fastAlu, count = (int) d.fastImm;
        if (d.fastFlags) return shift(op, v, count, d.opSize);
        return op == 5 ? v >>> count : op == 7 ? (sext(v, d.opSize) >> count) & m : (v << count) & m;
    }

    /** Decodes the block at rip into b (without side effects on the guest); false when not even one instruction fits. */
    private boolean buildBlock(CodeBlock b, long la, long pa, long rip, long csBase, int mode) {
        b.invalidate();
        bus.watchCode(pa); // before reading the version: a store from now on moves it
        long version = bus.codeVersion(pa);
        Insn saved = in;
        long savedCr2 = st.cr2;
        int n = 0;
        fetchGuardPage = la & ~0xfffL;
        try {
            long at = rip;
            while (n < CodeBlock.MAX_INSNS) {
                Insn d = b.slot(n);
                in = d;
                st.rip = at;
                try {
                    decode();
                } catch (CpuFault f) {
                    break; // the per-instruction path raises a fault of the first instruction
                } catch (RuntimeException e) {
                    if (e != OUTSIDE_BLOCK_PAGE) throw e;
                    break;
                }
                if (BlockRules.needsStep(d)) break;
                FastForms.classify(d, mode64);
                n++;
                at = d.nextRip;
                if (!BlockRules.continuesBlock(d, mode64)) break;
            }
        } finally {
            fetchGuardPage = -1;
            st.rip = rip;
            st.cr2 = savedCr2;
            in = saved;
        }
        FastForms.markFlagUse(b.insns, n);
        b.fill(n, pa, rip, csBase, mode, version); // an empty block remembers that the CPU steps here (LOCK, XCHG mem...)
        return n > 0;
    }

    /** Uses the decode cache: a hit skips fetching and decoding. */
    private void decodeCached() {
        SegmentRegister cs = st.seg[CS];
        long rip = st.rip;
        long la = mode64 ? rip : (cs.base + rip) & 0xffffffffL;
        long pa = paging ? codePhys(la) : la;
        int mode = (mode64 ? 1 : 0) | (cs.db ? 2 : 0);
        Insn e = cache.slot(pa);
        if (DecodeCache.hit(e, pa, rip, cs.base, mode, bus.codeVersion(pa)) && (mode64 || e.nextRip - 1 <= cs.limit)) {
            in = e;
            e.eaValid = false;
            return;
        }
        e.cached = false;
        in = e;
        bus.watchCode(pa); // before reading the version: a store from now on moves it
        long version = bus.codeVersion(pa);
        decode();
        if ((pa & 0xfff) + fetchCount <= 0x1000) DecodeCache.fill(e, pa, rip, cs.base, mode, version);
    }

    // Recent code pages' translations (direct-mapped by linear page), kept while the
    // translator's epoch holds; each entry is for one CPL class. Tag: page | 2 (valid) | user.
    private static final int MEMO_SIZE = 64;
    private final long[] memoTag = new long[MEMO_SIZE], memoPhys = new long[MEMO_SIZE];
    private long memoEpoch = -1;

    /** Physical address of the code byte at linear la (paging on), through the code-page memo. */
    private long codePhys(long la) {
        long page = la & ~0xfffL;
        AddressTranslator t = translator;
        long epoch = t.epoch();
        if (epoch != memoEpoch) {
            java.util.Arrays.fill(memoTag, 0);
            memoEpoch = epoch;
        }
        int i = (int) (la >>> 12) & (MEMO_SIZE - 1);
        long tag = page | 2 | (user ? 1 : 0);
        if (memoTag[i] == tag && epoch >= 0) return memoPhys[i] | (la & 0xfff);
        long pa = t.translate(la, AddressTranslator.ACCESS_FETCH, user);
        memoTag[i] = tag;
        memoPhys[i] = pa & ~0xfffL;
        return pa;
    }

    /** The #DB trap after an instruction that began with TF set (DR6.BS records why). */
    private boolean singleStepTrap() {
        long rip = st.rip, rsp = r[RSP];
        st.dr[6] |= 0x4000;
        try {
            sys.deliver(CpuFault.DB, SystemUnit.EXCEPTION, false, 0, rip);
            return true;
        } catch (CpuFault f) {
            st.rip = rip;
            r[RSP] = rsp;
            return doubleFault(rip, rsp);
        }
    }

    private boolean deliverEvent(int vector, int kind) {
        long rip = st.rip, rsp = r[RSP];
        beginInstruction();
        try {
            sys.deliver(vector, kind, false, 0, rip);
            return true;
        } catch (CpuFault f) {
            st.rip = rip;
            r[RSP] = rsp;
            return doubleFault(rip, rsp);
        }
    }

    private boolean deliverFault(CpuFault f, long rip, long rsp) {
        try {
            sys.deliver(f.vector, SystemUnit.EXCEPTION, f.hasErrorCode, f.errorCode, rip);
            return true;
        } catch (CpuFault second) {
            st.rip = rip;
            r[RSP] = rsp;
            if (f.vector == CpuFault.DF) return false;
            return doubleFault(rip, rsp);
        }
    }

    private boolean doubleFault(long rip, long rsp) {
        try {
            sys.deliver(CpuFault.DF, SystemUnit.EXCEPTION, true, 0, rip);
            return true;
        } catch (CpuFault third) {
            st.rip = rip;
            r[RSP] = rsp;
            return false;
        }
    }

    /** X86_64: LOCK is allowed only on memory-destination read-modify-write instructions. */
    private boolean lockable() {
        Insn d = in;
        if (!d.mem) return false;
        int op = d.op, reg = d.reg & 7;
        if (op < 0x40) return (op & 7) < 2 && ((op >> 3) & 7) != 7;
        return switch (op) {
            case 0x80, 0x81, 0x82, 0x83 -> reg != 7;
            case 0x86, 0x87, 0x1ab, 0x1b3, 0x1bb, 0x1b0, 0x1b1, 0x1c0, 0x1c1 -> true;
            case 0xf6, 0xf7 -> reg == 2 || reg == 3;
            case 0xfe, 0xff -> reg < 2;
            case 0x1ba -> reg >= 5;
            case 0x1c7 -> reg == 1;
            default -> false;
        };
    }
}
