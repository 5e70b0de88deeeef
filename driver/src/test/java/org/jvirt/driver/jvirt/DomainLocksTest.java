package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.LibvirtException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-domain locks: different domains never wait for each other, the same domain is serialized across threads and processes. */
class DomainLocksTest {

    @TempDir
    Path root;

    private String uri() { return "jvirt:///embed?root=" + root; }

    private static String xml(String name, String uuid) {
        return "<domain type='kvm'><name>" + name + "</name>" + (uuid == null ? "" : "<uuid>" + uuid + "</uuid>")
                + "<memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os></domain>";
    }

    /** Runs op on another thread; returns its time in ms, or -1 if it is still waiting after maxMs. */
    private static long timed(long maxMs, Op op) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            long t0 = System.nanoTime();
            Future<?> f = ex.submit(() -> { op.run(); return null; });
            try {
                f.get(maxMs, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                f.cancel(true);
                return -1;
            }
            return (System.nanoTime() - t0) / 1_000_000;
        } finally {
            ex.shutdownNow();
        }
    }

    private interface Op {
        void run() throws Exception;
    }

    @Test
    void aLockHeldOnAInAnotherProcessBlocksANotB() throws Exception {
        Connect c = new Connect(uri());
        Domain a = c.domainDefineXML(xml("a", null));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                root.toString(), "a").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertEquals("locked", new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine());
            long b = timed(5000, () -> {
                Domain d = c.domainDefineXML(xml("b", null));
                d.setAutostart(true);
                d.setAutostart(false);
                d.undefine();
            });
            assertTrue(b >= 0, "define/autostart/undefine of b waited for a's lock");
            assertEquals(-1, timed(1500, () -> a.setAutostart(true)), "an operation on a did not wait for a's holder");
            assertFalse(a.getAutostart(), "read-only queries do not lock, and the change did not happen");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        // the holder died: the kernel dropped its fcntl lock
        assertTrue(timed(5000, () -> a.setAutostart(true)) >= 0);
        assertTrue(a.getAutostart());
    }

    @Test
    void theSameDomainIsSerializedBetweenThreadsAndOthersAreNot() throws Exception {
        Connect c = new Connect(uri());
        Domain a = c.domainDefineXML(xml("a", null));
        DomainLocks locks = new DomainLocks(JvirtPaths.embed(root));
        CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (DomainLocks.Held h = locks.domain("a")) {
                held.countDown();
                release.await();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        t.start();
        held.await();
        try {
            assertNull(locks.tryDomain("a"), "another thread holds a");
            assertTrue(timed(5000, () -> c.domainDefineXML(xml("b", null)).undefine()) >= 0, "b waited for a");
            assertEquals(-1, timed(1000, a::undefine), "undefine of a did not wait for the thread holding a");
        } finally {
            release.countDown();
            t.join();
        }
        assertTrue(timed(5000, a::undefine) >= 0);
        assertEquals(0, c.listAllDomains(0).length);
    }

    @Test
    void concurrentDefinesOfOneNewNameOrOneUuidLeaveOneDomain() throws Exception {
        Connect c = new Connect(uri());
        int n = 8;
        // one name, eight uuids: one define wins, the others are refused as libvirt refuses them
        List<String> errors = race(n, i -> c.domainDefineXML(xml("same", String.format("00000000-0000-0000-0000-%012d", i + 1))));
        assertEquals(n - 1, errors.size(), errors.toString());
        assertTrue(errors.stream().allMatch(e -> e.startsWith("operation failed: domain 'same' already exists with uuid ")), errors.toString());
        // eight names, one uuid
        List<String> errors2 = race(n, i -> c.domainDefineXML(xml("n" + i, "11111111-1111-1111-1111-111111111111")));
        assertEquals(n - 1, errors2.size(), errors2.toString());
        assertTrue(errors2.stream().allMatch(e -> e.matches("operation failed: domain 'n\\d' is already defined with uuid 11111111-1111-1111-1111-111111111111")),
                errors2.toString());
        assertEquals(2, c.listDefinedDomains().length);
    }

    private interface Indexed {
        void run(int i) throws LibvirtException;
    }

    /** Runs op(0..n-1) on n threads released at once; returns the messages of the ones that failed. */
    private static List<String> race(int n, Indexed op) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            fs.add(ex.submit(() -> {
                go.await();
                try {
                    op.run(k);
                    return null;
                } catch (LibvirtException e) {
                    return e.getMessage();
                }
            }));
        }
        go.countDown();
        List<String> errors = new ArrayList<>();
        for (Future<String> f : fs) {
            String e = f.get(60, TimeUnit.SECONDS);
            if (e != null) errors.add(e);
        }
        ex.shutdown();
        return errors;
    }
}
