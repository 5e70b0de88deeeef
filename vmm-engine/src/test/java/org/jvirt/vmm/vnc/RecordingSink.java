package org.jvirt.vmm.vnc;

import org.jvirt.vmm.devices.input.InputSink;

import java.util.ArrayList;
import java.util.List;

/** An InputSink that keeps what it was given, as "key 0x1e down" and "pointer 10,20 mask 1 of 640x480". */
final class RecordingSink implements InputSink {
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void key(int qnum, boolean down) {
        events.add(String.format("key 0x%x %s", qnum, down ? "down" : "up"));
        notifyAll();
    }

    @Override
    public synchronized void pointer(int x, int y, int buttonMask, int width, int height) {
        events.add("pointer " + x + "," + y + " mask " + buttonMask + " of " + width + "x" + height);
        notifyAll();
    }

    /** The events once there are at least n (waiting up to 5 s). */
    synchronized List<String> await(int n) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (events.size() < n && System.currentTimeMillis() < end) wait(50);
        return List.copyOf(events);
    }

    synchronized void clear() { events.clear(); }
}
