package org.jvirt.vmm.emu.cpu;

import static org.jvirt.vmm.emu.cpu.CpuState.*;

/**
 * The bottom layer of the instruction core: register access, segmentation and the memory path
 * (segment checks, then paging through the translator when CR0.PG is set, then the bus), and
 * instruction fetch. The layers above: {@link CpuDecode}, {@link CpuAlu}, {@link CpuOps0F},
 * {@link CpuOps}, {@link X86Cpu}.
 */
abstract class CpuCore {
    /** The bus lock: held around LOCK-prefixed read-modify-writes of every vCPU. */
    static final Object BUS_LOCK = new Object();

    final CpuState st;
    final long[] r;
    final PhysicalBus bus;
    final CpuProfile profile;
    SystemUnit sys;
    AddressTranslator translator;
    InterruptSource irq = InterruptSource.NONE;
    ExtensionUnit ext;
    /** The instruction being executed: the scratch one, or an entry of the decode cache. */
    Insn in = new Insn();
    /** An NMI was delivered and no IRET has run since: further NMIs wait. */
    boolean nmiBlocked;
    /** Set by INT n/INT3/INTO/ICEBP: the instruction ended in an event (no single-step trap after it). */
    boolean eventDelivered;
    /** Cached per instruction. */
    boolean mode64, paging, user;
    /** The physical page of the running code block (-1 outside one). */
    long blockPage = -1;
    /** Set by a write to {@link #blockPage} (the block runner then checks for code it may have changed). */
    boolean wroteBlockPage;

    CpuCore(CpuState state, PhysicalBus bus, CpuProfile profile) {
        this.st = state;
        this.r = state.gpr;
        this.bus = bus;
        this.profile = profile;
    }

    static long mask(int size) { return LazyFlags.mask(size); }

    static long sext(long v, int size) {
        return switch (size) { case 1 -> (byte) v; case 2 -> (short) v; case 4 -> (int) v; default -> v; };
    }

    // ---- registers ----

    final long reg(int i, int size) {
        switch (size) {
            case 1: return (in.rex != 0 || i < 4) ? r[i] & 0xff : (r[i - 4] >>> 8) & 0xff;
            case 2: return r[i] & 0xffff;
            case 4: return r[i] & 0xffffffffL;
            default: return r[i];
        }
    }

    final void setReg(int i, int size, long v) {
        switch (size) {
            case 1 -> {
                if (in.rex != 0 || i < 4) r[i] = (r[i] & ~0xffL) | (v & 0xff);
                else r[i - 4] = (r[i - 4] & ~0xff00L) | ((v & 0xff) << 8);
            }
            case 2 -> r[i] = (r[i] & ~0xffffL) | (v & 0xffff);
            case 4 -> r[i] = v & 0xffffffffL;
            default -> r[i] = v;
        }
    }

    final boolean flag(long f) {
        // CF alone (INC/DEC, ADC/SBB, CMC...) from the lazily recorded operation, without materialising all six
        if (f == CF && st.flagsOp != LazyFlags.NONE) return LazyFlags.carry(st);
        return (st.rflags() & f) != 0;
    }

    final void setFlag(long f, boolean on) {
        long v = st.rflags();
        st.setRflags(on ? v | f : v & ~f);
    }

    /** Replaces the status flags with the given ones (eager flag instructions). */
    final void setStatus(long statusBits) {
        st.setRflags((st.rflags() & ~STATUS_FLAGS) | statusBits);
    }

    // ---- segmentation ----

    static boolean canonical(long la) { return (la << 16 >> 16) == la; }

    /** #SS for the stack segment, #GP otherwise; the 80286 in real mode raises #GP (13) for both. */
    final CpuFault segFault(int seg) {
        if (seg == SS && !(profile.is286() && !st.protectedMode())) return CpuFault.withError(CpuFault.SS, 0);
        return CpuFault.gp0();
    }

    /** Linear address of seg:off for an access of size bytes, with the limit/type/canonical checks. */
    final long linear(int seg, long off, int size, boolean write) {
        SegmentRegister s = st.seg[seg];
        if (mode64) {
            long la = seg >= FS ? s.base + off : off;
            if (!canonical(la) || !canonical(la + size - 1)) throw segFault(seg);
            return la;
        }
        if (st.protectedMode() && (st.controlFlags() & VM) == 0) {
            if (s.unusable) throw segFault(seg);
            int t = s.type & 0xa;
            if (write ? t != 2 : t == 8) throw segFault(seg);
        }
        long last = off + size - 1;
        if (s.codeOrData && (s.type & 0xc) == 4) { // expand-down data segment
            long upper = s.db ? 0xffffffffL : 0xffff;
            if (off <= s.limit || last > upper) throw segFault(seg);
        } else if (last > s.limit) {
            throw segFault(seg);
        }
        return (s.base + off) & 0xffffffffL;
    }

    // ---- linear memory (segmentation applied) ----

    final long phys(long la, int access, boolean u) {
        if (!paging) return st.longMode() ? la : la & 0xffffffffL;
        return translator.translate(la, access, u);
    }

    /** Loads and stores inside one RAM page, past the translator and the bus (paging on). */
    private final HostPageCache hostCache = new HostPageCache();

    /**
     * The {@link #hostCache} slot for an access of size bytes at la that stays in one page, after
     * translating (and faulting) as the slow path would on a miss; -1 when the access must go
     * through the bus (physical address then in {@link #missPhys}).
     */
    private int hostSlot(long la, int access, boolean u) {
        hostCache.validate(translator.epoch(), st.apicBase);
        int i = HostPageCache.slot(la);
        long key = HostPageCache.key(la, u);
        int need = access == AddressTranslator.ACCESS_WRITE ? HostPageCache.WRITE : HostPageCache.READ;
        if (hostCache.hit(i, key, need)) return i;
        long pa = translator.translate(la, access, u);
        missPhys = pa;
        if (!translator.stable(la, access, u)) return -1;
        // Writable implies readable (same U/S and SMAP rules).
        hostCache.fill(la, u, pa, need == HostPageCache.WRITE ? HostPageCache.WRITE | HostPageCache.READ : need, bus);
        return hostCache.hit(i, key, need) ? i : -1;
    }

    private long missPhys;

    /** Reads size bytes at la; access READ, or WRITE to check writability before a read-modify-write. */
    final long readLin(long la, int size, int access, boolean u) {
        if (paging) {
            if ((la & 0xfff) + size <= 0x1000) {
                int i = hostSlot(la, access, u);
                if (i < 0) return readPhys(missPhys, size);
                java.nio.ByteBuffer b = hostCache.buffer(i);
                int x = hostCache.index(i, la);
                return switch (size) {
                    case 1 -> b.get(x) & 0xff;
                    case 2 -> b.getShort(x) & 0xffff;
                    case 4 -> b.getInt(x) & 0xffffffffL;
                    default -> b.getLong(x);
                };
            }
            long p0 = translator.translate(la, access, u);
            long p1 = translator.translate((la + size - 1), access, u);
            int first = (int) (0x1000 - (la & 0xfff));
            long v = 0;
            for (int i = 0; i < size; i++) {
                v |= (long) bus.read8(i < first ? p0 + i : p1 - (size - 1) + i) << (8 * i);
            }
            return v;
        }
        return readPhys(phys(la, access, u), size);
    }

    private long readPhys(long pa, int size) {
        return switch (size) {
            case 1 -> bus.read8(pa);
            case 2 -> bus.read16(pa);
            case 4 -> bus.read32(pa) & 0xffffffffL;
            default -> bus.read64(pa);
        };
    }

    /** A store reaches physical pa (first or last byte of an access). */
    private void noteStore(long pa) {
        if (((pa ^ blockPage) & ~0xfffL) == 0) wroteBlockPage = true;
    }

    final void writeLin(long la, int size, long v, boolean u) {
        if (paging) {
            if ((la & 0xfff) + size <= 0x1000) {
                int i = hostSlot(la, AddressTranslator.ACCESS_WRITE, u);
                if (i < 0) {
                    writePhys(missPhys, size, v);
                    return;
                }
                java.nio.ByteBuffer b = hostCache.buffer(i);
                int x = hostCache.index(i, la);
                switch (size) {
                    case 1 -> b.put(x, (byte) v);
                    case 2 -> b.putShort(x, (short) v);
                    case 4 -> b.putInt(x, (int) v);
                    default -> b.putLong(x, v);
                }
                long pa = hostCache.phys(i, la);
                noteStore(pa);
                bus.noteCpuWrite(pa);
                return;
            }
            long p0 = translator.translate(la, AddressTranslator.ACCESS_WRITE, u);
            long p1 = translator.translate((la + size - 1), AddressTranslator.ACCESS_WRITE, u);
            noteStore(p0);
            noteStore(p1);
            int first = (int) (0x1000 - (la & 0xfff));
            for (int i = 0; i < size; i++) {
                bus.write8(i < first ? p0 + i : p1 - (size - 1) + i, (int) (v >>> (8 * i)) & 0xff);
            }
            return;
        }
        writePhys(phys(la, AddressTranslator.ACCESS_WRITE, u), size, v);
    }

    private void writePhys(long pa, int size, long v) {
        noteStore(pa);
        noteStore(pa + size - 1);
        switch (size) {
            case 1 -> bus.write8(pa, (int) v & 0xff);
            case 2 -> bus.write16(pa, (int) v & 0xffff);
            case 4 -> bus.write32(pa, (int) v);
            default -> bus.write64(pa, v);
        }
    }

    private void refreshPaging() { paging = (st.cr0 & CR0_PG) != 0 && translator != null; }

    /** Linear memory for the system unit and the extension unit (paging state as of the call). */
    final LinearMemory linearView = new LinearMemory() {
        @Override public int read8(long la, boolean u) { refreshPaging(); return (int) readLin(la, 1, AddressTranslator.ACCESS_READ, u); }
        @Override public int read16(long la, boolean u) { refreshPaging(); return (int) readLin(la, 2, AddressTranslator.ACCESS_READ, u); }
        @Override public int read32(long la, boolean u) { refreshPaging(); return (int) readLin(la, 4, AddressTranslator.ACCESS_READ, u); }
        @Override public long read64(long la, boolean u) { refreshPaging(); return readLin(la, 8, AddressTranslator.ACCESS_READ, u); }
        @Override public void write8(long la, int v, boolean u) { refreshPaging(); writeLin(la, 1, v, u); }
        @Override public void write16(long la, int v, boolean u) { refreshPaging(); writeLin(la, 2, v, u); }
        @Override public void write32(long la, int v, boolean u) { refreshPaging(); writeLin(la, 4, v & 0xffffffffL, u); }
        @Override public void write64(long la, long v, boolean u) { refreshPaging(); writeLin(la, 8, v, u); }
    };

    // ---- segment-relative data access ----

    final long read(int seg, long off, int size) {
        return readLin(linear(seg, off, size, false), size, AddressTranslator.ACCESS_READ, user);
    }

    final void write(int seg, long off, int size, long v) {
        long la = linear(seg, off, size, true);
        if (atomicRmw && la == rmwLinear && size == rmwSize) atomicStore(la, size, v);
        else writeLin(la, size, v, user);
    }

    /** Read for a read-modify-write: checks that the later write cannot fault. */
    final long readForWrite(int seg, long off, int size) {
        long la = linear(seg, off, size, true);
        if (!atomicRmw || (la & 0xfff) + size > 0x1000) return readLin(la, size, AddressTranslator.ACCESS_WRITE, user);
        // a locked operand within one page: read where the compare-and-set will look (a fresh
        // walk, not the host page cache, whose translation may be stale)
        long pa = phys(la, AddressTranslator.ACCESS_WRITE, user);
        long v = readPhys(pa, size);
        rmwLinear = la;
        rmwPhys = pa;
        rmwSize = size;
        rmwRead = v;
        return v;
    }

    // ---- locked read-modify-writes ----

    /**
     * Set while a locked instruction runs (LOCK prefix, XCHG with memory): its store to the
     * operand it read for writing is a compare-and-set against that read
     * ({@link PhysicalBus#compareAndSet}). The bus lock orders locked instructions among
     * themselves, but another vCPU's plain store (SeaBIOS's and Linux's spinlock releases are a
     * MOV) takes no lock: landing between the read and the write, it was overwritten by the
     * stale write-back, and a released lock stayed taken for good.
     */
    boolean atomicRmw;
    /** The operand a locked instruction read for writing (linear and physical address, size, value); rmwLinear -1: none. */
    long rmwLinear = -1;
    private long rmwPhys, rmwRead;
    private int rmwSize;

    /** Thrown by a locked store whose operand changed since it was read: the instruction runs again. */
    static final RuntimeException OPERAND_CHANGED = new RuntimeException("locked operand changed", null, false, false) { };

    /** The store to the operand readForWrite recorded (split across pages it was not recorded: the bus lock alone). */
    private void atomicStore(long la, int size, long v) {
        rmwLinear = -1;
        long pa = rmwPhys, m = mask(size);
        if (!bus.compareAndSet(pa, size, rmwRead & m, v & m)) throw OPERAND_CHANGED;
        noteStore(pa);
        noteStore(pa + size - 1);
    }

    final long addrMask() { return mask(in.addrSize); }

    // ---- instruction fetch ----

    long fetchIp;
    /** Bytes fetched for the current instruction. */
    int fetchCount;
    private long fetchPage = -1, fetchPagePhys;
    /** While a block is decoded ahead: the only linear page fetches may touch, else -1. */
    long fetchGuardPage = -1;

    /** Thrown by a fetch outside {@link #fetchGuardPage}: ends the block being decoded, never reaches the guest. */
    static final RuntimeException OUTSIDE_BLOCK_PAGE = new RuntimeException("outside the block's page", null, false, false) { };

    final void beginFetch() {
        fetchIp = st.rip;
        fetchCount = 0;
        fetchPage = -1;
    }

    final int fetch8() {
        long ip = fetchIp;
        fetchCount++;
        long la;
        SegmentRegister cs = st.seg[CS];
        if (mode64) {
            la = ip;
            if (!canonical(la)) throw CpuFault.gp0();
        } else {
            if (ip > cs.limit) throw CpuFault.gp0();
            la = (cs.base + ip) & 0xffffffffL;
        }
        if (fetchGuardPage != -1 && (la & ~0xfffL) != fetchGuardPage) throw OUTSIDE_BLOCK_PAGE;
        fetchIp = mode64 ? ip + 1 : cs.db ? (ip + 1) & 0xffffffffL : ip + 1;
        if (!paging) return bus.read8(la);
        long page = la & ~0xfffL;
        if (page != fetchPage) {
            fetchPagePhys = translator.translate(page, AddressTranslator.ACCESS_FETCH, user) & ~0xfffL;
            fetchPage = page;
        }
        return bus.read8(fetchPagePhys | (la & 0xfff));
    }

    final long fetch(int size) {
        long v = 0;
        for (int i = 0; i < size; i++) v |= (long) fetch8() << (8 * i);
        return v;
    }
}
