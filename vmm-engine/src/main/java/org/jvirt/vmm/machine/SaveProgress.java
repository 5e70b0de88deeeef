package org.jvirt.vmm.machine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a save of a machine's state has come, readable from any thread while the save runs:
 * the guest RAM gone through (written, or found zero and left as a hole) out of its size.
 * Device and vCPU state are small beside RAM and not counted.
 */
public final class SaveProgress {
    private final long total;
    private final AtomicLong processed = new AtomicLong();

    public SaveProgress(long totalBytes) {
        this.total = totalBytes;
    }

    public long total() { return total; }

    public long processed() { return processed.get(); }

    void advance(long bytes) {
        processed.addAndGet(bytes);
    }
}
