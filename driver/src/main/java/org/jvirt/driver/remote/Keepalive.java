package org.jvirt.driver.remote;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jvirt.rpc.Programs;

/**
 * The client's keepalive (virKeepAlive, as virsh sets it up: interval 5 s, count 6): after
 * interval seconds without any frame from the daemon a PING goes out; when count PINGs in a
 * row got nothing back the connection is dropped. Any frame received resets it.
 */
final class Keepalive {
    private final RpcClient client;
    private final long intervalNanos;
    private final int count;
    private final ScheduledExecutorService timer;
    private volatile long lastReceived = System.nanoTime();
    private volatile int unanswered;

    Keepalive(RpcClient client, int intervalSeconds, int count) {
        this.client = client;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(intervalSeconds);
        this.count = count;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jvirt-rpc-keepalive");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    void received() {
        lastReceived = System.nanoTime();
        unanswered = 0;
    }

    private void tick() {
        // a little slack so that a tick right on the interval counts as idle
        if (System.nanoTime() - lastReceived < intervalNanos - TimeUnit.MILLISECONDS.toNanos(100)) return;
        if (unanswered >= count) {
            client.fail(RemoteErrors.internal("connection closed due to keepalive timeout"));
            return;
        }
        unanswered++;
        client.sendKeepalive(Programs.KEEPALIVE_PING);
    }

    void stop() {
        timer.shutdownNow();
    }
}
