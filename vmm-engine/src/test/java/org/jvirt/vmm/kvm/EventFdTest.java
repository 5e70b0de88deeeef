package org.jvirt.vmm.kvm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.testutil.Allocations;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The eventfd doorbell (no /dev/kvm needed): rings coalesce, await sleeps until rung, no allocation. */
class EventFdTest {

    @Test
    void ringsCoalesceAndAwaitSleepsUntilRung() throws Exception {
        try (EventFd bell = EventFd.create()) {
            bell.ring();
            bell.ring();
            bell.await(); // both rings consumed by one wake-up
            CountDownLatch woke = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                try {
                    bell.await();
                    woke.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            waiter.start();
            assertFalse(woke.await(200, TimeUnit.MILLISECONDS), "await returned without a ring");
            bell.ring();
            assertTrue(woke.await(5, TimeUnit.SECONDS), "a ring from another thread wakes the waiter");
            waiter.join();
        }
    }

    @Test
    void ringAndAwaitAllocateNothing() throws Exception {
        Assumptions.assumeTrue(Allocations.supported(), "thread allocation counting unavailable");
        try (EventFd bell = EventFd.create()) {
            Runnable cycle = () -> {
                for (int i = 0; i < 20_000; i++) {
                    bell.ring();
                    try {
                        bell.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            };
            Allocations.during(cycle);
            long bytes = Allocations.during(cycle);
            assertTrue(bytes < 8 * 1024, "20000 ring/await pairs allocated " + bytes + " bytes");
        }
    }
}
