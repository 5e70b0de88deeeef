package org.jvirt.vmm.devices.balloon;

import java.io.Closeable;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.devices.virtio.DescriptorChain;
import org.jvirt.vmm.devices.virtio.SplitVirtqueue;
import org.jvirt.vmm.devices.virtio.VirtioDevice;
import org.jvirt.vmm.devices.virtio.VirtioException;
import org.jvirt.vmm.memory.GuestMemory;

/**
 * virtio-balloon (virtio spec section 5.5) as QEMU 7.2's virtio-balloon-pci:
 * <ul>
 * <li>configuration: num_pages (the pages the host wants the guest to give up, set by
 * {@link #setTarget}), actual (the pages the guest says it gave; only the guest writes it),
 * free_page_hint_cmd_id (always 0: free page hinting is not offered) and poison_val (kept when
 * PAGE_POISON was negotiated); 16 bytes, as QEMU's with page-poison on (its default), 8 without;
 * <li>features: STATS_VQ and PAGE_POISON as QEMU offers by default, DEFLATE_ON_OOM when asked;
 * <li>queues 0 (inflate) and 1 (deflate): chains of 32-bit page frame numbers (4 KiB units);
 * a frame outside guest RAM is skipped, as QEMU skips it. The device only tracks which frames
 * are in the balloon ({@link #balloonedPages}): host memory is not released (an madvise of
 * the guest's RAM would zero pages under the emulator's decoded-code and dirty tracking, and
 * the memory backend has no discard that is safe for all of its users);
 * <li>queue 2 (stats): the guest's buffer of (u16 tag, u64 value) entries is kept; every
 * {@link #setPollInterval polling interval} seconds it is returned empty, which asks the guest
 * for new statistics, as QEMU's stats timer does.
 * </ul>
 * Every chain is checked to lie in guest RAM before it is read (a chain outside it is a
 * malformed request: the transport sets DEVICE_NEEDS_RESET, as QEMU's virtio_error); at most
 * {@link #MAX_PFN_BYTES} of frame numbers and {@link #MAX_STATS_BYTES} of statistics are read from
 * one chain.
 */
public final class VirtioBalloon implements VirtioDevice, Closeable {

    public static final int DEVICE_TYPE = 5;
    /** QEMU's queue size for each of the three queues. */
    public static final int QUEUE_SIZE = 128;
    public static final int INFLATE = 0, DEFLATE = 1, STATS = 2;
    public static final long F_STATS_VQ = 1L << 1, F_DEFLATE_ON_OOM = 1L << 2, F_PAGE_POISON = 1L << 4;
    public static final int PAGE_SHIFT = 12;
    /** Linux sends at most 256 frames a chain; more than this many bytes of frames are ignored. */
    static final int MAX_PFN_BYTES = 64 * 1024;
    /** Ten tags of ten bytes fit many times over; more than this is ignored. */
    static final int MAX_STATS_BYTES = 4096;
    private static final int STAT_SIZE = 10;
    private static final int CONFIG_SIZE_POISON = 16, CONFIG_SIZE_PLAIN = 8;

    private final long ramBytes;
    private final long offered;
    private final DescriptorChain chain = new DescriptorChain(QUEUE_SIZE);
    private final byte[] buffer = new byte[4096];

    // device state (saved)
    private int numPages;
    private int actual;
    private int poisonVal;
    private boolean statsNegotiated, poisonNegotiated;
    /** The stats buffer the device holds (its head descriptor), or -1. */
    private int heldStats = -1;
    /** The polling timer fired while a buffer was held: the next stats-queue run returns it. */
    private boolean returnStats;
    private long pollInterval;
    private long[] stats = GuestStats.none().values();
    private long lastUpdate;
    /** Page frames in the balloon (inflated and not yet deflated). */
    private final BitSet ballooned = new BitSet();

    // host side
    private Runnable configChanged = () -> { };
    private Runnable kick = () -> { };
    private java.util.function.LongConsumer actualListener = bytes -> { };
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> pending;

    /** A balloon for a guest of ramBytes, offering DEFLATE_ON_OOM when deflateOnOom. */
    public VirtioBalloon(long ramBytes, boolean deflateOnOom) {
        if (ramBytes <= 0) throw new IllegalArgumentException("ram size " + ramBytes);
        this.ramBytes = ramBytes;
        this.offered = F_INDIRECT_DESC | F_STATS_VQ | F_PAGE_POISON | (deflateOnOom ? F_DEFLATE_ON_OOM : 0);
    }

    /**
     * Connects the device to its transport: configChanged raises the configuration interrupt
     * (after num_pages changed), kick has the queues processed (to return the stats buffer).
     */
    public synchronized void attach(Runnable configChanged, Runnable kick) {
        this.configChanged = configChanged;
        this.kick = kick;
    }

    /** Told the guest's memory in bytes whenever the guest writes a different actual (QEMU's BALLOON_CHANGE); called under the device's lock: hand it off. */
    public synchronized void setActualListener(java.util.function.LongConsumer listener) {
        actualListener = listener;
    }

    // ---- the host's side (control socket) ----

    /**
     * QMP's balloon: asks the guest to come down to target bytes (capped at the RAM size, as
     * QEMU's virtio_balloon_to_target; 0 is ignored as there). The guest answers by inflating
     * or deflating and writing actual.
     */
    public void setTarget(long target) {
        if (target < 0) throw new IllegalArgumentException("negative balloon target");
        Runnable notify;
        synchronized (this) {
            if (target > ramBytes) target = ramBytes;
            if (target == 0) return;
            numPages = (int) ((ramBytes - target) >>> PAGE_SHIFT);
            notify = configChanged;
        }
        notify.run();
    }

    /** QMP's query-balloon "actual": the RAM size less the pages the guest says it gave. */
    public synchronized long actualBytes() {
        return ramBytes - ((actual & 0xFFFF_FFFFL) << PAGE_SHIFT);
    }

    /** The pages the host asks for (num_pages). */
    public synchronized int numPages() { return numPages; }

    /** The pages the guest says are in the balloon (actual). */
    public synchronized int actualPages() { return actual; }

    /** The frames the guest put in the balloon through the inflate queue and has not taken back. */
    public synchronized int balloonedPages() { return ballooned.cardinality(); }

    public long ramBytes() { return ramBytes; }

    /** The guest's last statistics (QEMU's "guest-stats"). */
    public synchronized GuestStats guestStats() { return new GuestStats(lastUpdate, stats); }

    /** Seconds between requests for statistics, 0: none (QEMU's "guest-stats-polling-interval"). */
    public synchronized long pollInterval() { return pollInterval; }

    /** Sets the polling interval as QEMU's property setter does, with its words for bad values. */
    public synchronized void setPollInterval(long seconds) {
        if (seconds < 0) throw new IllegalArgumentException("timer value must be greater than zero");
        if (seconds > 0xFFFF_FFFFL) throw new IllegalArgumentException("timer value is too big");
        if (seconds == pollInterval) return;
        boolean wasEnabled = pollInterval > 0;
        pollInterval = seconds;
        if (seconds == 0) {
            cancelTimer();
            return;
        }
        schedule(wasEnabled ? seconds : 0); // a new timer fires at once, a changed one after the new interval
    }

    private void schedule(long seconds) {
        cancelTimer();
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jvirt-balloon-stats");
                t.setDaemon(true);
                return t;
            });
        }
        pending = timer.schedule(this::pollTimerFired, seconds, TimeUnit.SECONDS);
    }

    private void cancelTimer() {
        if (pending != null) pending.cancel(false);
        pending = null;
    }

    /** QEMU's balloon_stats_poll_cb: hand the held buffer back (the guest refills it), or try again later. */
    private void pollTimerFired() {
        Runnable k;
        synchronized (this) {
            if (pollInterval == 0) return;
            if (heldStats < 0 || !statsNegotiated) {
                schedule(pollInterval);
                return;
            }
            returnStats = true;
            k = kick;
        }
        k.run();
    }

    // ---- VirtioDevice ----

    @Override public int deviceType() { return DEVICE_TYPE; }
    @Override public long deviceFeatures() { return offered; }
    @Override public int queueCount() { return 3; }
    @Override public int queueMaxSize() { return QUEUE_SIZE; }
    @Override public int pciClass() { return 0x00FF00; } // QEMU's PCI_CLASS_OTHERS

    private int configSize() {
        return (offered & F_PAGE_POISON) != 0 ? CONFIG_SIZE_POISON : CONFIG_SIZE_PLAIN;
    }

    private byte[] configBytes() {
        byte[] c = new byte[CONFIG_SIZE_POISON];
        putLe(c, 0, numPages);
        putLe(c, 4, actual);
        putLe(c, 12, poisonVal); // 8: free_page_hint_cmd_id, 0 without free page hinting
        return c;
    }

    @Override
    public synchronized long readConfig(int offset, int size) {
        if (offset < 0 || size < 1 || size > 8 || offset + size > configSize()) return size >= 8 ? -1L : (1L << (8 * size)) - 1; // QEMU: all ones
        byte[] c = configBytes();
        long v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | (c[offset + i] & 0xFF);
        return v;
    }

    @Override
    public synchronized void writeConfig(int offset, int size, long value) {
        if (offset < 0 || size < 1 || size > 8 || offset + size > configSize()) return; // QEMU ignores it
        byte[] c = configBytes();
        for (int i = 0; i < size; i++) c[offset + i] = (byte) (value >>> (8 * i));
        int old = actual;
        actual = getLe(c, 4); // num_pages and the hint id are the device's: a write there does not stick
        poisonVal = poisonNegotiated ? getLe(c, 12) : 0;
        if (actual != old) actualListener.accept(actualBytes());
    }

    /** QEMU keeps poison_val from the moment the features are set (FEATURES_OK), not only once the driver runs. */
    @Override
    public synchronized void featuresAccepted(long negotiatedFeatures) {
        poisonNegotiated = (negotiatedFeatures & F_PAGE_POISON) != 0;
    }

    @Override
    public synchronized void activate(long negotiatedFeatures) {
        statsNegotiated = (negotiatedFeatures & F_STATS_VQ) != 0;
        poisonNegotiated = (negotiatedFeatures & F_PAGE_POISON) != 0;
    }

    @Override
    public synchronized void reset() {
        // as QEMU's reset: the held stats buffer and poison_val go; num_pages and actual stay
        heldStats = -1;
        returnStats = false;
        poisonVal = 0;
        statsNegotiated = poisonNegotiated = false;
        ballooned.clear(); // the guest's driver starts over with all of its memory
    }

    @Override
    public boolean processQueue(int index, SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        return switch (index) {
            case INFLATE, DEFLATE -> pages(index == INFLATE, queue, mem);
            case STATS -> stats(queue, mem);
            default -> false;
        };
    }

    /** Inflate or deflate: each chain's frame numbers into (or out of) the balloon, returned with 0 bytes written. */
    private boolean pages(boolean inflate, SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        boolean used = false;
        while (queue.next(mem, chain)) {
            if (!chain.allInRam(mem)) throw new VirtioException("balloon: a page list outside guest RAM");
            long bytes = Math.min(chain.readableBytes(), MAX_PFN_BYTES) & ~3L;
            for (long off = 0; off < bytes; off += buffer.length) {
                int n = (int) Math.min(buffer.length, bytes - off);
                chain.readFrom(mem, off, buffer, 0, n);
                synchronized (this) {
                    for (int i = 0; i < n; i += 4) {
                        long pfn = getLe(buffer, i) & 0xFFFF_FFFFL;
                        if (pfn > Integer.MAX_VALUE || !mem.isValidRange(pfn << PAGE_SHIFT, 1L << PAGE_SHIFT)) continue; // not RAM: skipped, as QEMU does
                        if (inflate) ballooned.set((int) pfn);
                        else ballooned.clear((int) pfn);
                    }
                }
            }
            queue.addUsed(mem, chain.head(), 0);
            used = true;
        }
        return used;
    }

    /**
     * The stats queue: a buffer the timer asked back is returned; a new one is read and kept
     * (one the guest sent while another was held returns the old one, as QEMU does).
     */
    private boolean stats(SplitVirtqueue queue, GuestMemory mem) throws VirtioException {
        boolean used = false;
        synchronized (this) {
            if (returnStats && heldStats >= 0) {
                queue.addUsed(mem, heldStats, 0);
                heldStats = -1;
                used = true;
            }
            returnStats = false;
        }
        while (queue.next(mem, chain)) {
            if (!chain.allInRam(mem)) throw new VirtioException("balloon: a stats buffer outside guest RAM");
            int bytes = (int) Math.min(chain.readableBytes(), MAX_STATS_BYTES);
            bytes -= bytes % STAT_SIZE;
            chain.readFrom(mem, 0, buffer, 0, bytes);
            synchronized (this) {
                if (heldStats >= 0) {
                    queue.addUsed(mem, heldStats, 0);
                    used = true;
                }
                heldStats = chain.head();
                long[] fresh = GuestStats.none().values();
                for (int i = 0; i < bytes; i += STAT_SIZE) {
                    int tag = (buffer[i] & 0xFF) | (buffer[i + 1] & 0xFF) << 8;
                    long val = (getLe(buffer, i + 2) & 0xFFFF_FFFFL) | ((long) getLe(buffer, i + 6) << 32);
                    if (tag < GuestStats.TAGS) fresh[tag] = val;
                }
                stats = fresh;
                lastUpdate = System.currentTimeMillis() / 1000;
                if (pollInterval > 0) schedule(pollInterval);
            }
        }
        return used;
    }

    // ---- snapshot ----

    @Override
    public synchronized void saveState(DataOutput out) throws IOException {
        out.writeInt(numPages);
        out.writeInt(actual);
        out.writeInt(poisonVal);
        out.writeBoolean(statsNegotiated);
        out.writeBoolean(poisonNegotiated);
        out.writeInt(heldStats);
        out.writeLong(pollInterval);
        out.writeLong(lastUpdate);
        for (long s : stats) out.writeLong(s);
        long[] words = ballooned.toLongArray();
        out.writeInt(words.length);
        for (long w : words) out.writeLong(w);
    }

    @Override
    public synchronized void loadState(DataInput in) throws IOException {
        int np = in.readInt(), ac = in.readInt(), pv = in.readInt();
        boolean sn = in.readBoolean(), pn = in.readBoolean();
        int held = in.readInt();
        if (held < -1 || held >= QUEUE_SIZE) throw new IOException("balloon: held stats buffer " + held + " out of range");
        long interval = in.readLong();
        if (interval < 0 || interval > 0xFFFF_FFFFL) throw new IOException("balloon: polling interval " + interval);
        long lu = in.readLong();
        long[] st = new long[GuestStats.TAGS];
        for (int i = 0; i < st.length; i++) st[i] = in.readLong();
        int n = in.readInt();
        long maxWords = ((ramBytes + (4L << 30)) >>> PAGE_SHIFT) / 64 + 1; // RAM's frames, the 32-bit PCI hole below 4 GiB at most between them
        if (n < 0 || n > maxWords) throw new IOException("balloon: page bitmap of " + n + " words");
        long[] words = new long[n];
        for (int i = 0; i < n; i++) words[i] = in.readLong();
        numPages = np;
        actual = ac;
        poisonVal = pv;
        statsNegotiated = sn;
        poisonNegotiated = pn;
        heldStats = held;
        returnStats = false;
        stats = st;
        lastUpdate = lu;
        ballooned.clear();
        ballooned.or(BitSet.valueOf(words));
        pollInterval = interval;
        if (interval > 0) schedule(interval); // QEMU's post_load restarts the timer
        else cancelTimer();
    }

    @Override
    public synchronized void close() {
        cancelTimer();
        if (timer != null) timer.shutdownNow();
        timer = null;
    }

    private static void putLe(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    private static int getLe(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
