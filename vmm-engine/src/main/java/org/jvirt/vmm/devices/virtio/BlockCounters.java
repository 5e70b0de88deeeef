package org.jvirt.vmm.devices.virtio;

import org.jvirt.vmm.protocol.BlockStats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * I/O counters of one virtio-blk device, as QEMU's query-blockstats reports them: requests and
 * bytes read and written, flushes, and failed requests. Updated by the vCPU thread that runs
 * a request, read by the control socket's thread.
 */
public final class BlockCounters {

    private final AtomicLong rdOperations = new AtomicLong();
    private final AtomicLong rdBytes = new AtomicLong();
    private final AtomicLong wrOperations = new AtomicLong();
    private final AtomicLong wrBytes = new AtomicLong();
    private final AtomicLong flushOperations = new AtomicLong();
    private final AtomicLong failedRd = new AtomicLong();
    private final AtomicLong failedWr = new AtomicLong();
    private final AtomicLong failedFlush = new AtomicLong();

    /** Counts one finished request of virtio-blk type (T_IN, T_OUT, T_FLUSH; others are not I/O). */
    void record(int type, boolean ok, long bytes) {
        switch (type) {
            case VirtioBlock.T_IN -> {
                if (ok) { rdOperations.incrementAndGet(); rdBytes.addAndGet(bytes); } else failedRd.incrementAndGet();
            }
            case VirtioBlock.T_OUT -> {
                if (ok) { wrOperations.incrementAndGet(); wrBytes.addAndGet(bytes); } else failedWr.incrementAndGet();
            }
            case VirtioBlock.T_FLUSH -> {
                if (ok) flushOperations.incrementAndGet(); else failedFlush.incrementAndGet();
            }
            default -> { }
        }
    }

    /** The same counters by QEMU's field names (what the tests compare). */
    public Map<String, Object> toMap() {
        BlockStats.Counters c = toStats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rd_bytes", c.rdBytes());
        m.put("wr_bytes", c.wrBytes());
        m.put("rd_operations", c.rdOperations());
        m.put("wr_operations", c.wrOperations());
        m.put("flush_operations", c.flushOperations());
        m.put("failed_rd_operations", c.failedRdOperations());
        m.put("failed_wr_operations", c.failedWrOperations());
        m.put("failed_flush_operations", c.failedFlushOperations());
        return m;
    }

    /** The "stats" of a query-blockstats entry (QEMU's BlockDeviceStats fields). */
    public BlockStats.Counters toStats() {
        return new BlockStats.Counters(rdBytes.get(), wrBytes.get(), rdOperations.get(), wrOperations.get(),
                flushOperations.get(), failedRd.get(), failedWr.get(), failedFlush.get());
    }
}
