package org.jvirt.vmm.emu;

import org.jvirt.vmm.bus.IoBus;
import org.jvirt.vmm.emu.cpu.PhysicalBus;
import org.jvirt.vmm.memory.MmapGuestMemory;
import org.jvirt.vmm.memory.MmapRegion;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The emulated CPUs' physical address space over the machine's guest RAM and its shared MMIO
 * and port buses. A RAM access is an index into the mmap'ed region's ByteBuffer view (no
 * allocation, no copy); an address outside RAM goes to the MMIO bus, where nothing claimed
 * reads as all ones and ignores writes. An access that is partly RAM and partly not, or that
 * straddles two RAM views, is split into bytes, each routed on its own.
 *
 * <p>Writes the CPUs make to RAM also drive two page bitmaps: the pages whose code a CPU
 * decoded ({@link #watchCode}: a write there bumps that page's {@link #codeVersion(long)} and
 * the global {@link #codeVersion()}, and unwatches the page, which the decoder watches again
 * when it decodes it anew), and the dirty log
 * ({@link #dirtyLog()}), one bit per 4 KiB frame. Writes that do not come through here (device
 * DMA, loaders) must be reported with {@link #noteExternalWrite} for the decoder to see them.
 * One bus is shared by all vCPUs: the bitmaps and the versions are atomic.
 */
public final class EmuPhysicalBus implements PhysicalBus {
    private static final int PAGE_SHIFT = 12;
    /** Atomic access to the words of a page bitmap. */
    static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle VERSIONS = MethodHandles.arrayElementVarHandle(int[].class);
    /** Atomic 8-byte access to RAM's direct buffers (locked read-modify-writes). */
    private static final VarHandle RAM_LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long[] starts, ends;
    private final ByteBuffer[][] views;
    private final int viewShift;
    private final long viewMask;
    private final IoBus mmio, pio;
    /** A device window over RAM (the VGA's 0xa0000-0xbffff): accesses there go to the MMIO bus; empty when start == end. */
    private final long holeStart, holeEnd;
    /** One bit per guest frame below the end of the highest RAM region. */
    private final long[] watched;
    private final EmuDirtyLog dirty;
    private final long frames;
    private final AtomicLong codeVersion = new AtomicLong();
    /** Per guest frame: bumped by each write to the frame while it is watched (4 bytes per 4 KiB of RAM). */
    private final int[] pageVersion;

    public EmuPhysicalBus(MmapGuestMemory memory, IoBus mmio, IoBus pio) {
        this(memory, mmio, pio, new EmuDirtyLog(memory));
    }

    /** With the dirty log the accelerator already hands out (it must cover this memory). */
    public EmuPhysicalBus(MmapGuestMemory memory, IoBus mmio, IoBus pio, EmuDirtyLog dirty) {
        this(memory, mmio, pio, dirty, 0, 0);
    }

    /** With [holeStart, holeEnd) routed to the MMIO bus although RAM lies beneath (a device's window, page-aligned). */
    public EmuPhysicalBus(MmapGuestMemory memory, IoBus mmio, IoBus pio, EmuDirtyLog dirty, long holeStart, long holeEnd) {
        if (holeEnd < holeStart || ((holeStart | holeEnd) & ((1 << PAGE_SHIFT) - 1)) != 0) throw new IllegalArgumentException("MMIO window over RAM must be page-aligned");
        this.holeStart = holeStart;
        this.holeEnd = holeEnd;
        List<MmapGuestMemory.Region> regions = memory.regions();
        int n = regions.size();
        starts = new long[n];
        ends = new long[n];
        views = new ByteBuffer[n][];
        long top = 0;
        for (int i = 0; i < n; i++) {
            MmapGuestMemory.Region r = regions.get(i);
            starts[i] = r.start();
            ends[i] = r.end();
            views[i] = r.mapping().chunkViews();
            top = Math.max(top, r.end());
        }
        long chunk = MmapRegion.chunkBytes();
        viewShift = Long.numberOfTrailingZeros(chunk);
        viewMask = chunk - 1;
        this.mmio = mmio;
        this.pio = pio;
        frames = top >>> PAGE_SHIFT;
        watched = new long[(int) ((frames + 63) >>> 6)];
        pageVersion = new int[(int) frames];
        this.dirty = dirty;
    }

    /** The log of RAM pages the CPUs wrote (what {@code Accelerator.dirtyLog()} returns for the emulator). */
    public EmuDirtyLog dirtyLog() { return dirty; }

    // ---- RAM lookup ------------------------------------------------------------------------

    /** The region holding all of [pa, pa+size), or -1. */
    private int region(long pa, int size) {
        if (pa < holeEnd && pa + size > holeStart) return -1;
        for (int i = 0; i < starts.length; i++) {
            if (pa >= starts[i] && pa < ends[i]) return ends[i] - pa >= size ? i : -1;
        }
        return -1;
    }

    /** The region holding pa (any part of an access), or -1. */
    private int regionOf(long pa) {
        if (pa < holeEnd && pa >= holeStart) return -1;
        for (int i = 0; i < starts.length; i++) if (pa >= starts[i] && pa < ends[i]) return i;
        return -1;
    }

    private boolean anyRam(long pa, int size) {
        if (pa >= holeStart && pa + size <= holeEnd) return false;
        for (int i = 0; i < starts.length; i++) if (pa < ends[i] && pa + size > starts[i]) return true;
        return false;
    }

    private ByteBuffer view(int region, long off) { return views[region][(int) (off >>> viewShift)]; }

    private boolean inOneView(long off, int size) { return (off & viewMask) + size <= viewMask + 1; }

    // ---- reads -----------------------------------------------------------------------------

    @Override
    public int read8(long pa) {
        int r = regionOf(pa);
        if (r >= 0) {
            long off = pa - starts[r];
            return view(r, off).get((int) (off & viewMask)) & 0xff;
        }
        return (int) mmio.read(pa, 1) & 0xff;
    }

    @Override
    public int read16(long pa) {
        int r = region(pa, 2);
        if (r >= 0) {
            long off = pa - starts[r];
            if (inOneView(off, 2)) return view(r, off).getShort((int) (off & viewMask)) & 0xffff;
        } else if (!anyRam(pa, 2)) {
            return (int) mmio.read(pa, 2) & 0xffff;
        }
        return (int) readSplit(pa, 2);
    }

    @Override
    public int read32(long pa) {
        int r = region(pa, 4);
        if (r >= 0) {
            long off = pa - starts[r];
            if (inOneView(off, 4)) return view(r, off).getInt((int) (off & viewMask));
        } else if (!anyRam(pa, 4)) {
            return (int) mmio.read(pa, 4);
        }
        return (int) readSplit(pa, 4);
    }

    @Override
    public long read64(long pa) {
        int r = region(pa, 8);
        if (r >= 0) {
            long off = pa - starts[r];
            if (inOneView(off, 8)) return view(r, off).getLong((int) (off & viewMask));
        } else if (!anyRam(pa, 8)) {
            return mmio.read(pa, 8);
        }
        return readSplit(pa, 8);
    }

    /** Little-endian assembly from single-byte accesses, each routed on its own. */
    private long readSplit(long pa, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | read8(pa + i);
        return v;
    }

    // ---- writes ----------------------------------------------------------------------------

    @Override
    public void write8(long pa, int value) {
        int r = regionOf(pa);
        if (r >= 0) {
            long off = pa - starts[r];
            view(r, off).put((int) (off & viewMask), (byte) value);
            wrote(pa);
            return;
        }
        mmio.write(pa, 1, value & 0xffL);
    }

    @Override
    public void write16(long pa, int value) {
        int r = region(pa, 2);
        if (r >= 0) {
            long off = pa - starts[r];
            if (inOneView(off, 2)) {
                view(r, off).putShort((int) (off & viewMask), (short) value);
                wrote(pa);
                if (((pa + 1) >>> PAGE_SHIFT) != (pa >>> PAGE_SHIFT)) wrote(pa + 1);
                return;
            }
        } else if (!anyRam(pa, 2)) {
            mmio.write(pa, 2, value & 0xffffL);
            return;
        }
        writeSplit(pa, 2, value);
    }

    @Override
    public void write32(long pa, int value) {
        int r = region(pa, 4);
        if (r >= 0) {
            long off = pa - starts[r];
            if (inOneView(off, 4)) {
                view(r, off).putInt((int) (off & viewMask), value);
                wrote(pa);
                if (((pa + 3) >>> PAGE_SHIFT) != (pa >>> PAGE_SHIFT)) wrote(pa + 3);
                return;
            }
        } else if (!anyRam(pa, 4)) {
            mmio.write(pa, 4, value & 0xffffffffL);
            return;
        }
        writeSplit(pa, 4, value);
    }

    @Override
    public void write64(long pa, long value) {
        int r = region(pa, 8);
        if (r >= 0) {
            long off = pa - starts[r];
            if (inOneView(off, 8)) {
                view(r, off).putLong((int) (off & viewMask), value);
                wrote(pa);
                if (((pa + 7) >>> PAGE_SHIFT) != (pa >>> PAGE_SHIFT)) wrote(pa + 7);
                return;
            }
        } else if (!anyRam(pa, 8)) {
            mmio.write(pa, 8, value);
            return;
        }
        writeSplit(pa, 8, value);
    }

    /**
     * A locked read-modify-write's store (see {@link PhysicalBus#compareAndSet}): in RAM a
     * compare-and-set of the aligned 8-byte word holding the operand, so a plain store another
     * vCPU made to the operand since the instruction read it fails this one (the CPU retries)
     * instead of being overwritten. Stores to the word's other bytes are not conflicts: the
     * loop retries the word. An operand that crosses an 8-byte boundary (a split lock) or is
     * not RAM is stored as before, non-atomically.
     */
    @Override
    public boolean compareAndSet(long pa, int size, long expected, long value) {
        int r = region(pa, size);
        if (r >= 0 && (pa & 7) + size <= 8) {
            long off = pa - starts[r];
            if (inOneView(off, size)) {
                ByteBuffer b = view(r, off);
                int word = (int) (off & viewMask) & ~7, shift = (int) (pa & 7) * 8;
                long m = size == 8 ? -1L : ((1L << (8 * size)) - 1) << shift;
                long want = (expected << shift) & m, put = (value << shift) & m;
                try {
                    while (true) {
                        long now = (long) RAM_LONGS.getVolatile(b, word);
                        if ((now & m) != want) return false;
                        if (RAM_LONGS.compareAndSet(b, word, now, (now & ~m) | put)) break;
                    }
                    wrote(pa);
                    return true;
                } catch (IllegalStateException | UnsupportedOperationException e) {
                    // a buffer without aligned atomic access (not a page-aligned direct one): stored below
                }
            }
        }
        PhysicalBus.super.compareAndSet(pa, size, expected, value);
        return true;
    }

    private void writeSplit(long pa, int size, long value) {
        for (int i = 0; i < size; i++) write8(pa + i, (int) (value >>> (8 * i)));
    }

    /** A CPU wrote RAM at pa: the code watch and the dirty log hear of its page. */
    private void wrote(long pa) {
        long frame = pa >>> PAGE_SHIFT;
        int word = (int) (frame >>> 6);
        long bit = 1L << frame;
        if (((long) WORDS.getVolatile(watched, word) & bit) != 0) codeWritten(frame);
        if (dirty.enabled) dirty.mark(frame);
    }

    /** A watched frame was written: unwatch it and move its version (and the global one). */
    private void codeWritten(long frame) {
        long before = (long) WORDS.getAndBitwiseAnd(watched, (int) (frame >>> 6), ~(1L << frame));
        if ((before & (1L << frame)) == 0) return; // another writer got there first
        VERSIONS.getAndAdd(pageVersion, (int) frame, 1);
        codeVersion.incrementAndGet();
    }

    // ---- host views for the CPU's data cache ----------------------------------------------

    @Override
    public ByteBuffer ramView(long pagePa) {
        int r = pagePa < 0 ? -1 : region(pagePa, 1 << PAGE_SHIFT);
        if (r < 0) return null;
        long off = pagePa - starts[r];
        return inOneView(off, 1 << PAGE_SHIFT) ? view(r, off) : null;
    }

    @Override
    public int ramViewOffset(long pagePa) {
        return (int) ((pagePa - starts[regionOf(pagePa)]) & viewMask);
    }

    @Override
    public void noteCpuWrite(long pa) { wrote(pa); }

    // ---- ports -----------------------------------------------------------------------------

    @Override
    public int in(int port, int size) {
        long v = pio.read(port & 0xffff, size);
        return size == 4 ? (int) v : (int) v & ((1 << (size * 8)) - 1);
    }

    @Override
    public void out(int port, int size, int value) {
        long mask = size == 4 ? 0xffffffffL : (1L << (size * 8)) - 1;
        pio.write(port & 0xffff, size, value & mask);
    }

    // ---- self-modifying code ---------------------------------------------------------------

    @Override public long codeVersion() { return codeVersion.get(); }

    @Override
    public long codeVersion(long pa) {
        long frame = pa >>> PAGE_SHIFT;
        return pa >= 0 && frame < frames ? (int) VERSIONS.getOpaque(pageVersion, (int) frame) : 0;
    }

    @Override
    public void watchCode(long pa) {
        long frame = pa >>> PAGE_SHIFT;
        if (pa < 0 || frame >= frames || regionOf(pa) < 0) return; // only RAM can be written behind the decoder's back
        long before = (long) WORDS.getAndBitwiseOr(watched, (int) (frame >>> 6), 1L << frame);
    }

    /** Whether the page holding pa is watched (for tests and diagnostics). */
    public boolean isWatched(long pa) {
        long frame = pa >>> PAGE_SHIFT;
        return pa >= 0 && frame < frames && ((long) WORDS.getVolatile(watched, (int) (frame >>> 6)) & (1L << frame)) != 0;
    }

    /**
     * RAM [gpa, gpa+len) was written by something other than a CPU (device DMA, a loader, a
     * state restore): a watched page in it bumps the code version, and the dirty log marks the
     * pages, as it does for CPU writes.
     */
    public void noteExternalWrite(long gpa, long len) {
        if (len <= 0) return;
        long first = Math.max(0, gpa) >>> PAGE_SHIFT, last = Math.min(frames - 1, (gpa + len - 1) >>> PAGE_SHIFT);
        for (long f = first; f <= last; f++) {
            if (((long) WORDS.getVolatile(watched, (int) (f >>> 6)) & (1L << f)) != 0) codeWritten(f);
            if (dirty.enabled && regionOf(f << PAGE_SHIFT) >= 0) dirty.mark(f);
        }
    }

    /** Forgets every watched page and bumps every version (after a reset or a state import). */
    public void invalidateAllCode() {
        for (int i = 0; i < watched.length; i++) WORDS.setVolatile(watched, i, 0L);
        for (int f = 0; f < pageVersion.length; f++) VERSIONS.getAndAdd(pageVersion, f, 1);
        codeVersion.incrementAndGet();
    }
}
