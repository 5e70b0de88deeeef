package org.jvirt.vmm.devices.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * send-key's events as QEMU 7.2's qmp_send_key queues them: presses in order, releases in
 * reverse, each followed by the hold time; the call returns before they are played, and a
 * second send-key's events come after the first's.
 */
class KeyEventQueueTest {
    private final List<String> events = new ArrayList<>();
    private final InputSink sink = new InputSink() {
        @Override public void key(int qnum, boolean down) {
            synchronized (events) {
                events.add((down ? "+" : "-") + Integer.toHexString(qnum));
                events.notifyAll();
            }
        }
        @Override public void pointer(int x, int y, int buttonMask, int width, int height) { }
    };

    private List<String> await(int n) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        synchronized (events) {
            while (events.size() < n && System.nanoTime() < end) events.wait(100);
            return List.copyOf(events);
        }
    }

    @Test
    void pressesInOrderReleasesInReverseAndCommandsDoNotInterleave() throws Exception {
        KeyEventQueue q = new KeyEventQueue(sink, "test-send-key");
        long t0 = System.nanoTime();
        q.sendKeys(List.of(0x1d, 0x38, 0xd3), 50);
        q.sendKeys(List.of(0x1e), 1);
        assertTrue(System.nanoTime() - t0 < 40_000_000L, "send-key returns before the hold time");
        List<String> got = await(8);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(List.of("+1d", "+38", "+d3", "-d3", "-38", "-1d", "+1e", "-1e"), got);
        assertTrue(ms >= 250, "six events 50 ms apart before the second command's: " + ms + " ms");
    }
}
