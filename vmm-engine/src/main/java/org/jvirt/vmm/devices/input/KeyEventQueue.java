package org.jvirt.vmm.devices.input;

import java.util.ArrayDeque;
import java.util.List;

/**
 * QMP's send-key as QEMU 7.2 plays it: each key pressed in order, then released in reverse
 * order, every event followed by the hold time (QEMU's qemu_input_event_send_key_delay), on a
 * thread of its own, so the command returns at once. Like QEMU's keyboard event queue, the
 * events of a later send-key wait behind those of an earlier one (a key is never released by a
 * newer command's presses overtaking it), and at most {@value #LIMIT} events and delays wait.
 */
public final class KeyEventQueue {
    /** QEMU's kbd queue limit. */
    static final int LIMIT = 1024;
    /** The delay QEMU uses when send-key's hold-time is 0 (its kbd_default_delay_ms). */
    static final int DEFAULT_DELAY_MS = 10;

    /** A key event (qnum, down) or, with qnum -1, a delay of ms. */
    private record Item(int qnum, boolean down, int ms) { }

    private final InputSink sink;
    private final String threadName;
    private final ArrayDeque<Item> items = new ArrayDeque<>();
    private Thread worker;

    public KeyEventQueue(InputSink sink, String threadName) {
        this.sink = sink;
        this.threadName = threadName;
    }

    /**
     * Queues the presses and releases; holdMs 0 or less means QEMU's 10 ms. Key numbers QEMU
     * maps to no key go through to the device, which ignores them, as QEMU's does.
     */
    public synchronized void sendKeys(List<Integer> qnums, int holdMs) {
        int delay = holdMs > 0 ? holdMs : DEFAULT_DELAY_MS;
        for (int q : qnums) {
            offer(new Item(q, true, 0));
            offer(new Item(-1, false, delay));
        }
        for (int i = qnums.size() - 1; i >= 0; i--) {
            offer(new Item(qnums.get(i), false, 0));
            offer(new Item(-1, false, delay));
        }
        if (worker == null) {
            worker = new Thread(this::run, threadName);
            worker.setDaemon(true);
            worker.start();
        }
        notifyAll();
    }

    private void offer(Item item) {
        if (items.size() < LIMIT) items.add(item);
    }

    /** Whether events still wait (for tests and shutdown). */
    public synchronized boolean idle() {
        return items.isEmpty();
    }

    private void run() {
        try {
            while (true) {
                Item item;
                synchronized (this) {
                    while (items.isEmpty()) wait();
                    item = items.peek();
                }
                if (item.qnum() >= 0) sink.key(item.qnum(), item.down());
                else Thread.sleep(item.ms());
                synchronized (this) {
                    items.poll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
