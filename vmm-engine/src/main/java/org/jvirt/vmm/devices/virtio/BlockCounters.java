package org.jvirt.vmm.devices.virtio;

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

    /** The "stats" object of a query-blockstats entry (QEMU's field names). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rd_bytes", rdBytes.get());
        m.put("wr_bytes", wrBytes.get());
        m.put("rd_operations", rdOperations.get());
        m.put("wr_operations", wrOperations.get());
        m.put("flush_operations", flushOperations.get());
        m.put("failed_rd_operations", failedRd.get());
        m.put("failed_wr_operations", failedWr.get());
        m.put("failed_flush_operations", failedFlush.get());
        return m;
    }
}
