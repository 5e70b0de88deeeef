package org.jvirt.vmm.devices.net;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.jvirt.vmm.devices.virtio.VirtioDevice;
import org.jvirt.vmm.devices.virtio.VirtioIoThread;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Not a test: a measurement, run by name only (`mvn -o -q test -pl vmm-protocol,vmm-engine
 * -Dtest=VirtioNetThreadCpuBench -Dsurefire.failIfNoSpecifiedTests=false`, which prints its
 * figures; -Djvirt.netbench.frames=N, default 20000, frames per case). The CPU
 * time (ThreadMXBean, ns) that virtio-net's own threads (receive thread and I/O thread) spend per
 * 1 KiB frame, on a StreamBackend over a socketpair whose other end this class plays, with the
 * driver played by this thread (no guest, no emulator): received frames one at a time (each
 * waited for, as TCP ACKs come) and in bursts of 32, transmitted frames one kick each and 32 a kick.
 */
class VirtioNetThreadCpuBench {
    static final int FRAME = 1024, QUEUE = 256, RX_BUFS = 0x40000, TX_BUFS = 0x100000, BUF = 2048;
    static final int FRAMES = Integer.getInteger("jvirt.netbench.frames", 20_000);

    final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    final Memory io = new Memory(64 * (FRAME + 4));
    int peer;
    NetTestDriver d;

    private long cpu(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals(name)) return mx.getThreadCpuTime(t.getId());
        throw new AssertionError("no thread " + name);
    }

    private long deviceCpu() {
        return cpu("jvirt-net0-rx") + cpu("bench-net0-io");
    }

    private static void waitFor(java.util.function.BooleanSupplier c) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out");
            LockSupport.parkNanos(20_000);
        }
    }

    /** Receives n frames, burst at a time (one write of burst frames to the socket; then waits for all of them). */
    private void receive(int n, int burst) {
        for (int i = 0; i < burst; i++) {
            int at = i * (FRAME + 4);
            io.setInt(at, Integer.reverseBytes(FRAME)); // big-endian length
        }
        for (int done = 0; done < n; done += burst) {
            for (int i = 0; i < burst; i++) d.publish(0, d.availIdx[0] % QUEUE);
            int want = (d.usedIdx(0) + burst) & 0xFFFF;
            long len = (long) burst * (FRAME + 4);
            assertEquals(len, NetLibC.write(peer, Pointer.nativeValue(io), len));
            waitFor(() -> d.usedIdx(0) == want);
        }
    }

    /** Transmits n frames, burst per kick, waiting for each kick's frames to be returned. */
    private void transmit(int n, int burst) {
        for (int done = 0; done < n; done += burst) {
            for (int i = 0; i < burst; i++) d.publish(1, d.availIdx[1] % QUEUE);
            int want = (d.usedIdx(1) + burst) & 0xFFFF;
            d.kick(1);
            waitFor(() -> d.usedIdx(1) == want);
        }
    }

    private String measure(String what, Runnable r) {
        r.run(); // warm-up
        long before = deviceCpu(), rx = cpu("jvirt-net0-rx"), t0 = System.nanoTime();
        r.run();
        long ns = deviceCpu() - before, rxNs = cpu("jvirt-net0-rx") - rx, wall = System.nanoTime() - t0;
        return String.format("%-34s %7.2f us CPU/frame (rx thread %6.2f, I/O thread %6.2f), %6.2f us wall/frame%n",
                what, ns / 1e3 / FRAMES, rxNs / 1e3 / FRAMES, (ns - rxNs) / 1e3 / FRAMES, wall / 1e3 / FRAMES);
    }

    @Test
    void cpuPerFrame() throws Exception {
        int[] fds = new int[2];
        assertEquals(0, NetLibC.socketpair(NetLibC.AF_UNIX, NetLibC.SOCK_STREAM | NetLibC.SOCK_CLOEXEC, 0, fds));
        assertEquals(0, NetLibC.fcntl(fds[0], NetLibC.F_SETFL, NetLibC.O_NONBLOCK));
        peer = fds[1];
        VirtioNet net = new VirtioNet("net0", VirtioNetTest.MAC, new StreamBackend(fds[0], "bench"));
        d = new NetTestDriver(net);
        d.queueSize = QUEUE;
        VirtioIoThread ioThread = VirtioIoThread.start(d.dev, null, "bench-net0-io");
        Thread sink = new Thread(() -> { // plays passt's reading side: drains what the device sends
            Memory m = new Memory(1 << 16);
            while (NetLibC.read(peer, Pointer.nativeValue(m), 1 << 16) > 0) { }
        }, "bench-sink");
        try {
            assertEquals(0xF, d.initialize(VirtioDevice.F_VERSION_1 | NetFeatures.MRG_RXBUF));
            net.start(d.dev);
            byte[] txFrame = new byte[VirtioNetHeader.SIZE + FRAME];
            for (int i = 0; i < QUEUE; i++) {
                d.desc(NetTestDriver.DESC[0], i, RX_BUFS + (long) BUF * i, BUF, 2, 0);
                d.desc(NetTestDriver.DESC[1], i, TX_BUFS + (long) BUF * i, txFrame.length, 0, 0);
                d.mem.write(TX_BUFS + (long) BUF * i, txFrame, 0, txFrame.length);
            }
            sink.setDaemon(true);
            sink.start();
            StringBuilder out = new StringBuilder("virtio-net device threads, " + FRAMES + " frames of " + FRAME + " bytes each:\n");
            out.append(measure("receive, one frame at a time", () -> receive(FRAMES, 1)));
            out.append(measure("receive, bursts of 32", () -> receive(FRAMES, 32)));
            out.append(measure("transmit, one frame per kick", () -> transmit(FRAMES, 1)));
            out.append(measure("transmit, 32 frames per kick", () -> transmit(FRAMES, 32)));
            System.out.print(out);
        } finally {
            net.stopReceiving();
            ioThread.close();
            net.close();
            NetLibC.shutdown(peer, NetLibC.SHUT_RDWR);
            sink.join(5000);
            NetLibC.close(peer);
        }
    }
}
