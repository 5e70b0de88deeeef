package org.jvirt.vmm.testutil;

import java.lang.management.ManagementFactory;

/** Bytes allocated by the current thread, via HotSpot's ThreadMXBean extension. */
public final class Allocations {
    private Allocations() { }

    private static final com.sun.management.ThreadMXBean BEAN =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static boolean supported() {
        return BEAN.isThreadAllocatedMemorySupported() && BEAN.isThreadAllocatedMemoryEnabled();
    }

    public static long allocatedBytes() {
        return BEAN.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** Bytes thread t has allocated so far. */
    public static long allocatedBytes(Thread t) {
        return BEAN.getThreadAllocatedBytes(t.getId());
    }

    /** Bytes the current thread allocated while running body. */
    public static long during(Runnable body) {
        long before = allocatedBytes();
        body.run();
        return allocatedBytes() - before;
    }
}
