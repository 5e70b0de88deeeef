package org.jvirt.vmm.migration;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.concurrent.TimeoutException;
import org.jvirt.vmm.machine.JitQuiet;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.machine.StopAndCopyWarmup;
import org.jvirt.vmm.memory.DataPages;
import org.jvirt.vmm.memory.DirtyLog;
import org.jvirt.vmm.memory.MmapGuestMemory;

/**
 * The sending side of a live migration (see the package notes). {@link #run} returns with the
 * machine paused once the target runs the guest (the caller then ends this VM); on any failure
 * it resumes the machine as it was and throws: nothing of the source is lost.
 */
public final class MigrationSource {
    /** How long the target may take to load the state and answer. */
    static final int ANSWER_TIMEOUT_MS = 60_000;
    /**
     * The longest a migration ready to stop waits for its {@link StopAndCopyWarmup} (begun with
     * it, ~0.2-0.4 s here), then for it to stop, then for the JIT to go quiet ({@link JitQuiet}).
     */
    static final long WARMUP_WAIT_MS = 500;

    private final Machine machine;
    private final MigrationParams params;
    private final MigrationProgress progress;
    private volatile boolean cancelled;
    private long sentBytes;
    private long throttleStart;
    /** Rounds in a row in which the guest dirtied more than the trigger share of what was sent (QEMU's dirty_rate_high_cnt). */
    private int dirtyRateHighRounds;
    private boolean unlimited;
    private final Object runState = new Object();
    private boolean guestRunning;   // guarded by runState: what the guest's owner wants (a pause asked for meanwhile clears it)
    private boolean stoppedForCopy; // guarded by runState: the migration itself has paused the guest

    /** --compressed: the last sent copy of pages resent in the dirty rounds (null: off). */
    private final SentPageCache sentCopies;
    private final byte[] deltaBuf = new byte[PageDelta.LIMIT];
    /** The socket's channel when it has one (pages then go straight from RAM), and the guard over its writes. */
    private java.nio.channels.SocketChannel direct;
    private StallGuard guard;

    public MigrationSource(Machine machine, MigrationParams params, MigrationProgress progress) {
        this.machine = machine;
        this.params = params;
        this.progress = progress;
        this.sentCopies = params.compressionCacheBytes() > 0 ? new SentPageCache(params.compressionCacheBytes()) : null;
    }

    /** Stops the migration at the next record (domjobabort); the source goes on running. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * A pause asked for while the migration runs (virsh suspend, --timeout's suspend): the guest
     * stops now, the migration goes on and the destination gets it paused; a failed migration
     * leaves it paused here. Returns false when it came too late for the destination: the guest
     * had already stopped for the last copy, running (it then runs there).
     */
    public boolean pauseGuest() throws InterruptedException, TimeoutException {
        synchronized (runState) {
            if (guestRunning && !stoppedForCopy) machine.pause();
            guestRunning = false;
            return !stoppedForCopy;
        }
    }

    /** A resume asked for while the migration runs: the guest runs again (or at its end, if it is stopped for the copy). */
    public void resumeGuest() {
        synchronized (runState) {
            if (!guestRunning && !stoppedForCopy) machine.resume();
            guestRunning = true;
        }
    }

    public void run(Socket socket, boolean running) throws IOException, InterruptedException {
        MmapGuestMemory mem = machine.memory();
        DirtyLog log = machine.dirtyLog();
        DmaPages dma = new DmaPages();
        synchronized (runState) {
            guestRunning = running;
        }
        progress.ramTotal.set(mem.size());
        DiskCopy disks = params.storage() == MigrationParams.StorageCopy.NONE ? null
                : DiskCopy.start(machine, params.storage() == MigrationParams.StorageCopy.INCREMENTAL);
        progress.startNanos.set(System.nanoTime());
        StopAndCopyWarmup warmup = StopAndCopyWarmup.start(machine.config());
        StallGuard guard = new StallGuard(socket, MigrationStream.STALL_TIMEOUT_MS);
        this.guard = guard;
        this.direct = socket.getChannel(); // a socket opened as a channel takes pages straight from RAM
        try {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(guard.guard(socket.getOutputStream()), 1 << 20));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            mem.setDmaListener(dma);
            log.enable();
            MigrationStream.writeHeader(out, mem.size());
            throttleStart = System.nanoTime();
            if (disks != null) {
                disks.writeLayout(out);
                progress.diskTotal.set(disks.totalBytes());
                disks.sendAll(out, this::sentDisk);
            }
            sendAll(out, mem);
            BitSet dirty = new BitSet();
            long sentBefore = sentBytes;
            long leftBefore = Long.MAX_VALUE;
            boolean waitedForWarmup = false;
            for (int round = 1; ; round++) {
                checkCancelled();
                dirty.or(log.collect());
                dirty.or(dma.drain());
                long bytes = (long) dirty.cardinality() * MigrationStream.PAGE;
                progress.ramRemaining.set(bytes);
                if (disks != null) {
                    progress.diskRemaining.set(disks.pendingBytes());
                    bytes += disks.pendingBytes();
                }
                long rate = Math.max(1, progress.bytesPerSecond.get());
                long copyMillis = bytes * 1000 / rate;
                boolean fits = copyMillis <= params.maxDowntimeMillis();
                boolean settled = bytes <= MigrationParams.NEGLIGIBLE_REST_BYTES || bytes / 9 * 10 > leftBefore; // cut by less than a tenth
                if (MigrationStream.TRACE) System.err.printf("jvirt-vmm: migration round %d: %d bytes left (%d ms at %d MB/s)%n", round, bytes, copyMillis, rate / 1_000_000);
                leftBefore = bytes;
                // one round of dirty pages always runs live: QEMU's iterate, and the page code is warm when the
                // guest stops; with --compressed two (the first fills the cache, the second sends deltas, so the
                // delta code is compiled before the downtime: cold, it cost ~11 us a page there); then rounds go
                // on until the rest fits in the downtime (or the job is cancelled), and while they still shrink it
                boolean ready = fits && settled && round > (sentCopies != null ? 2 : 1);
                if (ready && (warmup.isDone() || waitedForWarmup)) break;
                if (ready) { // the state code compiled before the guest stops, its machine gone, the JIT quiet (bounded); then another round
                    if (!warmup.awaitDone(WARMUP_WAIT_MS)) {
                        warmup.stop();
                        warmup.awaitDone(WARMUP_WAIT_MS);
                    }
                    JitQuiet.await(WARMUP_WAIT_MS);
                    waitedForWarmup = true;
                    leftBefore = Long.MAX_VALUE; // the guest dirtied pages meanwhile: rounds again until they settle
                }
                if (params.autoConverge()) throttleIfTooFast(bytes, sentBytes - sentBefore);
                sentBefore = sentBytes;
                if (disks != null) disks.sendWritten(out, this::sentDisk);
                sendPages(out, mem, dirty);
                dirty.clear();
                progress.rounds.set(round);
            }
            // stop and copy
            warmup.stop();
            long pausedAt = System.nanoTime();
            long pausedAtMicros = MigrationStream.epochMicros();
            synchronized (runState) {
                if (guestRunning) machine.pause();
                progress.pausedAtEpochMillis.set(System.currentTimeMillis());
                stoppedForCopy = true;
                running = guestRunning; // a pause asked for meanwhile: the destination keeps the guest paused
            }
            machine.setCpuThrottle(0);
            unlimited = true; // the last pages go as fast as the link goes, as QEMU's completion stage
            long t1 = System.nanoTime();
            dirty.or(log.collect());
            dirty.or(dma.drain());
            int lastPages = dirty.cardinality();
            progress.lastCopyPages.set(lastPages);
            long t2 = System.nanoTime();
            if (disks != null) {
                disks.sendWritten(out, this::sentDisk); // the disks' I/O is quiesced with the vCPUs
                progress.diskRemaining.set(0);
            }
            sendPages(out, mem, dirty);
            long t3 = System.nanoTime();
            sendState(out);
            out.writeByte(MigrationStream.END);
            out.writeBoolean(running);
            out.flush();
            long t4 = System.nanoTime();
            socket.setSoTimeout(ANSWER_TIMEOUT_MS);
            int answer = in.read();
            long t5 = System.nanoTime();
            if (MigrationStream.TRACE) {
                System.err.printf("jvirt-vmm: migration downtime: pause %.1f ms, dirty log %.1f ms, %d last pages %.1f ms, state %.1f ms,"
                        + " destination load and run %.1f ms%n", (t1 - pausedAt) / 1e6, (t2 - t1) / 1e6, lastPages, (t3 - t2) / 1e6,
                        (t4 - t3) / 1e6, (t5 - t4) / 1e6);
            }
            if (answer == MigrationStream.RUNNING) {
                long ranThereMicros = in.readLong();
                progress.downtimeMillis.set(downtimeMillis(pausedAtMicros, ranThereMicros, t5 - pausedAt));
                progress.ramRemaining.set(0);
                return;
            }
            if (answer == MigrationStream.FAILED) {
                byte[] why = new byte[in.readUnsignedShort()];
                in.readFully(why);
                throw new MigrationException("the destination failed: " + new String(why, StandardCharsets.UTF_8));
            }
            throw new MigrationException("the destination closed the connection before the guest ran there");
        } catch (SocketTimeoutException e) {
            resumeAfterFailure();
            throw new MigrationException("the destination did not answer within " + ANSWER_TIMEOUT_MS / 1000 + " s", e);
        } catch (IOException e) {
            resumeAfterFailure();
            if (guard.stalled()) {
                throw new MigrationException("the destination took no data for " + MigrationStream.STALL_TIMEOUT_MS / 1000
                        + " s (the network or the destination is gone)", e);
            }
            throw e;
        } catch (InterruptedException | RuntimeException e) {
            resumeAfterFailure();
            throw e;
        } catch (TimeoutException e) {
            resumeAfterFailure();
            throw new MigrationException("the vCPUs did not pause: " + e.getMessage(), e);
        } finally {
            warmup.stop();
            machine.setCpuThrottle(0);
            guard.close();
            mem.setDmaListener(null);
            if (log.enabled()) log.disable();
            if (disks != null) disks.close();
        }
    }

    /**
     * The downtime: from the pause here to the guest's run there, on the two hosts' wall clocks
     * (as libvirt's statistics compare them), which on one host is exact and leaves out the
     * answer's way back. Clocks that disagree cannot make it more than the pause to the answer
     * as seen here, nor negative.
     */
    static long downtimeMillis(long pausedAtMicros, long ranThereMicros, long pausedToAnswerNanos) {
        long micros = Math.max(0, Math.min(ranThereMicros - pausedAtMicros, pausedToAnswerNanos / 1000));
        return (micros + 500) / 1000;
    }

    private void sentDisk(long bytes) throws IOException {
        checkCancelled();
        progress.diskTransferred.addAndGet(bytes);
        sentBytes += bytes;
        pace();
    }

    /** The source runs on as its owner wants it: resumed if the migration stopped it for the copy. */
    private void resumeAfterFailure() {
        synchronized (runState) {
            if (stoppedForCopy && guestRunning) machine.resume();
            stoppedForCopy = false;
        }
    }

    /**
     * Auto-converge (QEMU's migration_trigger_throttle): when the guest dirtied more than half of
     * what the last round sent, twice in a row, the vCPUs are throttled (by default 20%, then 10%
     * more each time, up to 99%).
     */
    private void throttleIfTooFast(long dirtiedBytes, long sentInRound) {
        if (dirtiedBytes * 100 <= sentInRound * MigrationParams.THROTTLE_TRIGGER_PERCENT) return;
        if (++dirtyRateHighRounds < 2) return;
        dirtyRateHighRounds = 0;
        int now = machine.cpuThrottle();
        int next = now == 0 ? params.throttleInitial() : Math.min(MigrationParams.THROTTLE_MAX, now + params.throttleIncrement());
        machine.setCpuThrottle(next);
        progress.throttlePercent.set(next);
        if (MigrationStream.TRACE) System.err.printf("jvirt-vmm: migration: guest dirtied %d bytes against %d sent: CPU throttle %d%%%n", dirtiedBytes, sentInRound, next);
    }

    /**
     * Round 0: every page that holds data (the target's RAM starts zeroed), found through the page
     * map and vectorized zero tests without reading untouched RAM (DataPages); consecutive pages go
     * as one PAGES record.
     */
    private void sendAll(DataOutputStream out, MmapGuestMemory mem) throws IOException {
        byte[] buf = new byte[MigrationStream.MAX_RUN * MigrationStream.PAGE];
        long[] run = {-1, 0}; // first page frame, pages in buf
        long zero = org.jvirt.vmm.memory.DataPages.forEach(mem, (gpa, page) -> {
            long pfn = gpa / MigrationStream.PAGE;
            if (run[1] > 0 && (pfn != run[0] + run[1] || run[1] == MigrationStream.MAX_RUN)) {
                writeRun(out, mem, run[0], buf, (int) run[1]);
                run[1] = 0;
            }
            if (run[1] == 0) run[0] = pfn;
            if (direct == null) page.get(0, buf, (int) run[1] * MigrationStream.PAGE, MigrationStream.PAGE);
            run[1]++;
        });
        if (run[1] > 0) writeRun(out, mem, run[0], buf, (int) run[1]);
        progress.zeroPagesSkipped.addAndGet(zero);
    }

    /** n data pages from firstPfn as one PAGES record: straight from RAM on a channel, else from buf (filled here if need be). */
    private void writeRun(DataOutputStream out, MmapGuestMemory mem, long firstPfn, byte[] buf, int n) throws IOException {
        long gpa = firstPfn * MigrationStream.PAGE;
        java.nio.ByteBuffer view = direct != null ? mem.view(gpa, n * MigrationStream.PAGE) : null;
        if (view != null) {
            writePagesDirect(out, firstPfn, view);
            return;
        }
        if (direct != null) mem.read(gpa, buf, 0, n * MigrationStream.PAGE);
        writePages(out, firstPfn, buf, 0, n);
    }

    /** The given pages: runs of data pages as PAGES, runs of zero pages as ZEROS. */
    private void sendPages(DataOutputStream out, MmapGuestMemory mem, BitSet pages) throws IOException {
        byte[] buf = new byte[MigrationStream.MAX_RUN * MigrationStream.PAGE];
        for (int pfn = pages.nextSetBit(0); pfn >= 0; ) {
            int end = pages.nextClearBit(pfn);
            while (pfn < end) {
                int n = Math.min(end - pfn, MigrationStream.MAX_RUN);
                long gpa = (long) pfn * MigrationStream.PAGE;
                if (!mem.isValidRange(gpa, (long) n * MigrationStream.PAGE)) {
                    n = 1; // a page outside RAM (an MMIO hole): nothing to send
                    pfn += n;
                    continue;
                }
                java.nio.ByteBuffer view = direct != null && sentCopies == null ? mem.view(gpa, n * MigrationStream.PAGE) : null;
                if (view != null) {
                    sendRunDirect(out, pfn, view, n);
                    pfn += n;
                    continue;
                }
                mem.read(gpa, buf, 0, n * MigrationStream.PAGE);
                int i = 0;
                while (i < n) {
                    boolean zero = DataPages.isZero(buf, i * MigrationStream.PAGE, MigrationStream.PAGE);
                    int j = i + 1;
                    while (j < n && DataPages.isZero(buf, j * MigrationStream.PAGE, MigrationStream.PAGE) == zero) j++;
                    if (zero) {
                        checkCancelled();
                        out.writeByte(MigrationStream.ZEROS);
                        out.writeLong(pfn + i);
                        out.writeInt(j - i);
                        if (sentCopies != null) for (int k = i; k < j; k++) sentCopies.forget(pfn + k);
                    } else if (sentCopies != null) {
                        for (int k = i; k < j; k++) writeDeltaOrPage(out, pfn + k, buf, k);
                    } else {
                        writePages(out, pfn + i, buf, i, j - i);
                    }
                    i = j;
                }
                pfn += n;
            }
            pfn = pages.nextSetBit(end);
        }
    }

    /**
     * --compressed: a page whose last sent copy is cached goes as a delta against it (nothing at
     * all if it is unchanged), else whole; either way the cache then holds what the target has.
     */
    private void writeDeltaOrPage(DataOutputStream out, long pfn, byte[] buf, int index) throws IOException {
        int off = index * MigrationStream.PAGE;
        int cached = sentCopies.find(pfn);
        int len = cached < 0 ? -1 : PageDelta.encode(sentCopies.data(), cached, buf, off, deltaBuf);
        if (cached < 0) progress.deltaCacheMisses.incrementAndGet();
        else if (len < 0) progress.deltaOverflows.incrementAndGet();
        if (len < 0) {
            writePages(out, pfn, buf, index, 1);
        } else if (len > 0) {
            checkCancelled();
            out.writeByte(MigrationStream.DELTA);
            out.writeLong(pfn);
            out.writeShort(len);
            out.write(deltaBuf, 0, len);
            progress.deltaPages.incrementAndGet();
            progress.deltaBytes.addAndGet(len);
            progress.pagesSent.incrementAndGet();
            progress.ramTransferred.addAndGet(len + 11);
            sentBytes += len + 11;
            pace();
        }
        sentCopies.put(pfn, buf, off);
    }

    /**
     * A run of n pages read in place (a view of guest RAM): runs of zero pages as ZEROS, runs of
     * data pages as PAGES whose bytes the socket takes straight from RAM (no copy on the heap).
     */
    private void sendRunDirect(DataOutputStream out, long pfn, java.nio.ByteBuffer view, int n) throws IOException {
        int i = 0;
        while (i < n) {
            boolean zero = DataPages.isZero(view, i * MigrationStream.PAGE, MigrationStream.PAGE);
            int j = i + 1;
            while (j < n && DataPages.isZero(view, j * MigrationStream.PAGE, MigrationStream.PAGE) == zero) j++;
            checkCancelled();
            if (zero) {
                out.writeByte(MigrationStream.ZEROS);
                out.writeLong(pfn + i);
                out.writeInt(j - i);
            } else {
                writePagesDirect(out, pfn + i, view.slice(i * MigrationStream.PAGE, (j - i) * MigrationStream.PAGE));
            }
            i = j;
        }
    }

    /** One PAGES record whose pages (a view of RAM) the socket's channel takes without a copy on the heap. */
    private void writePagesDirect(DataOutputStream out, long firstPfn, java.nio.ByteBuffer pages) throws IOException {
        checkCancelled();
        int n = pages.remaining() / MigrationStream.PAGE;
        out.writeByte(MigrationStream.PAGES);
        out.writeLong(firstPfn);
        out.writeInt(n);
        out.flush(); // the record's head, then its pages on the same socket
        guard.writeFully(direct, pages);
        long bytes = (long) n * MigrationStream.PAGE;
        progress.pagesSent.addAndGet(n);
        progress.ramTransferred.addAndGet(bytes);
        sentBytes += bytes;
        pace();
    }

    private void writePages(DataOutputStream out, long firstPfn, byte[] buf, int firstIndex, int n) throws IOException {
        checkCancelled();
        out.writeByte(MigrationStream.PAGES);
        out.writeLong(firstPfn);
        out.writeInt(n);
        out.write(buf, firstIndex * MigrationStream.PAGE, n * MigrationStream.PAGE);
        long bytes = (long) n * MigrationStream.PAGE;
        progress.pagesSent.addAndGet(n);
        progress.ramTransferred.addAndGet(bytes);
        sentBytes += bytes;
        pace();
    }

    /** Keeps to the bandwidth limit and measures the rate the link gives. */
    private void pace() throws IOException {
        long elapsed = System.nanoTime() - throttleStart;
        long limit = params.bandwidthBytesPerSecond();
        if (limit > 0 && !unlimited) {
            long due = sentBytes * 1_000_000_000L / limit;
            if (due > elapsed) {
                try {
                    Thread.sleep((due - elapsed) / 1_000_000, (int) ((due - elapsed) % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MigrationException("migration interrupted");
                }
                elapsed = System.nanoTime() - throttleStart;
            }
        }
        if (elapsed > 0) progress.bytesPerSecond.set(sentBytes * 1_000_000_000L / elapsed);
    }

    private void sendState(DataOutputStream out) throws IOException, InterruptedException {
        byte[] state = MachineStateFile.saveWithoutRam(machine); // in memory: no file calls in the downtime
        out.writeByte(MigrationStream.STATE);
        out.writeInt(state.length);
        out.write(state);
    }

    private void checkCancelled() throws MigrationException {
        if (cancelled) throw new MigrationException("operation aborted: migration out job: canceled by client");
    }
}
