package org.jvirt.vmm.cpu;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The platform thread of one vCPU: runs {@link Vcpu#run} in a loop and lets other threads pause
 * it, run work on it while paused (KVM requires a vCPU's ioctls on its own thread), resume and
 * stop it. After an event the machine must decide on (reset, power-off, error) the vCPU pauses
 * itself, so a dead guest never spins, and the listener is told.
 */
public final class VcpuRunner {

    /** Told on the vCPU thread about exits other than INTERRUPTED, and about a crash of the loop. */
    public interface Listener {
        void onExit(VcpuRunner runner, VcpuExit exit);
        void onFailure(VcpuRunner runner, Throwable failure);
    }

    private static final long KICK_RETRY_MS = 100;

    private final Vcpu vcpu;
    private final Listener listener;
    private final Thread thread;
    private final Object lock = new Object();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private volatile boolean pauseRequested;
    private volatile boolean stopRequested;
    /** Set by {@link #throttle}: the vCPU sleeps this long before it runs the guest again. */
    private volatile long throttleSleepNanos;
    private boolean paused;   // guarded by lock
    private boolean exited;   // guarded by lock

    public VcpuRunner(Vcpu vcpu, Listener listener, String threadName) {
        this.vcpu = vcpu;
        this.listener = listener;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    public Vcpu vcpu() { return vcpu; }

    /** Starts the thread; startPaused keeps it parked until {@link #resume}. */
    public void start(boolean startPaused) {
        pauseRequested = startPaused;
        thread.start();
    }

    private void loop() {
        try {
            vcpu.bindToCurrentThread();
            while (true) {
                if (pauseRequested || stopRequested) {
                    if (!park()) break;
                    continue;
                }
                if (throttleSleepNanos > 0) {
                    sleepThrottled();
                    continue;
                }
                VcpuExit exit = vcpu.run();
                if (exit == VcpuExit.INTERRUPTED) continue;
                pauseRequested = true;
                listener.onExit(this, exit);
            }
        } catch (Throwable t) {
            listener.onFailure(this, t);
        } finally {
            synchronized (lock) {
                exited = true;
                paused = false;
                Runnable r;
                while ((r = tasks.poll()) != null) ((FutureTask<?>) r).cancel(false);
                lock.notifyAll();
            }
        }
    }

    /** A throttled vCPU's sleep, cut short by a pause or stop request. */
    private void sleepThrottled() throws InterruptedException {
        long deadline = System.nanoTime() + throttleSleepNanos;
        throttleSleepNanos = 0;
        synchronized (lock) {
            long left;
            while (!pauseRequested && !stopRequested && (left = deadline - System.nanoTime()) > 0) {
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /**
     * Takes the vCPU out of the guest and keeps it out for sleepNanos (auto-converge's CPU
     * throttling, as QEMU's cpu_throttle: a periodic timer sleeps every vCPU for a share of
     * each time slice).
     */
    public void throttle(long sleepNanos) {
        throttleSleepNanos = Math.max(0, sleepNanos);
        if (sleepNanos > 0) vcpu.kick(); // 0: a sleep not yet begun is called off
    }

    /** Parks while paused, running posted tasks. Returns false when the thread must end. */
    private boolean park() throws InterruptedException {
        synchronized (lock) {
            paused = true;
            lock.notifyAll();
            while (!tasks.isEmpty() || (pauseRequested && !stopRequested)) {
                Runnable t = tasks.poll();
                if (t != null) {
                    t.run();
                    lock.notifyAll();
                } else {
                    lock.wait();
                }
            }
            paused = false;
            return !stopRequested;
        }
    }

    /** Asks the vCPU to pause and waits until it is parked (or has ended). */
    public void pause(long timeout, TimeUnit unit) throws TimeoutException, InterruptedException {
        pauseRequested = true;
        vcpu.kick();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lock) {
            lock.notifyAll(); // a throttled sleep ends at once
            while (!paused && !exited) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException("vCPU " + vcpu.index() + " did not pause");
                lock.wait(Math.min(KICK_RETRY_MS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
                if (!paused && !exited) vcpu.kick(); // a kick can land just before KVM_RUN; repeat it
            }
        }
    }

    /** Lets a paused vCPU run again. */
    public void resume() {
        synchronized (lock) {
            pauseRequested = false;
            lock.notifyAll();
        }
    }

    public boolean isPaused() {
        synchronized (lock) {
            return paused;
        }
    }

    /** Runs work on the vCPU thread while it is paused, and waits for it. */
    public void runPaused(Runnable work) throws InterruptedException {
        FutureTask<Void> task = new FutureTask<>(work, null);
        synchronized (lock) {
            if (exited) throw new IllegalStateException("vCPU " + vcpu.index() + " thread has ended");
            if (!paused) throw new IllegalStateException("vCPU " + vcpu.index() + " is not paused");
            tasks.add(task);
            lock.notifyAll();
        }
        try {
            task.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        } catch (java.util.concurrent.CancellationException e) {
            throw new IllegalStateException("vCPU " + vcpu.index() + " thread ended before running the task");
        }
    }

    /** Ends the thread and waits for it. */
    public void stop(long timeout, TimeUnit unit) throws InterruptedException {
        stopRequested = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (thread.isAlive() && System.nanoTime() < deadline) {
            vcpu.kick();
            thread.join(KICK_RETRY_MS);
        }
    }

    public boolean isAlive() { return thread.isAlive(); }
}
