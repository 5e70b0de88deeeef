package org.jvirt.vmm.devices.ps2;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * A PS/2 device's output queue as QEMU's ps2.c keeps it: a 256-byte ring of which at most 16
 * bytes are scancodes or packets (more are dropped, as a real device's small buffer would), with
 * command replies put in front of any queued scancodes, so that a driver talking to the device
 * reads its answer first. A new command drops the unread replies to the previous one.
 * Not thread safe: the i8042 holds its lock around every call.
 */
final class Ps2Queue {
    /** Bytes the device buffers for key events and mouse packets (ps2.c's PS2_QUEUE_SIZE). */
    static final int LIMIT = 16;
    private static final int RING = 256;
    /** Replies that may sit in front of the scancodes after a restore (ps2.c's PS2_QUEUE_HEADROOM). */
    private static final int HEADROOM = 8;

    private final byte[] data = new byte[RING];
    private int rptr, wptr, count;
    /** Where the next command reply goes, -1 when no reply is queued. */
    private int cwptr = -1;

    int count() { return count; }

    boolean isEmpty() { return count == 0; }

    /** Space for n more scancode bytes. */
    boolean hasRoom(int n) { return LIMIT - count >= n; }

    void reset() {
        rptr = wptr = count = 0;
        cwptr = -1;
    }

    /** Queues bytes behind the others, all or none (none when they do not fit). */
    void add(int... bytes) {
        if (!hasRoom(bytes.length)) return;
        for (int b : bytes) {
            data[wptr] = (byte) b;
            wptr = (wptr + 1) & (RING - 1);
            count++;
        }
    }

    /** Puts a command's reply bytes in front of the queued scancodes. */
    void reply(int... bytes) {
        rptr = (rptr - bytes.length) & (RING - 1);
        cwptr = rptr;
        for (int b : bytes) {
            data[cwptr] = (byte) b;
            cwptr = (cwptr + 1) & (RING - 1);
            count++;
        }
    }

    /** Drops the unread replies to the previous command (a new command arrived). */
    void dropReplies() {
        if (cwptr == -1) return;
        count -= (cwptr - rptr) & (RING - 1);
        rptr = cwptr;
        cwptr = -1;
    }

    /** The next byte; an empty queue repeats the last byte read, as QEMU's does. */
    int read() {
        if (count == 0) return data[(rptr - 1) & (RING - 1)] & 0xFF;
        int v = data[rptr] & 0xFF;
        rptr = (rptr + 1) & (RING - 1);
        count--;
        if (rptr == cwptr) cwptr = -1;
        return v;
    }

    void save(DataOutput o) throws IOException {
        int replies = cwptr == -1 ? 0 : (cwptr - rptr) & (RING - 1);
        o.writeByte(replies);
        o.writeByte(count);
        o.writeByte(data[(rptr - 1) & (RING - 1)]); // what an empty read returns
        for (int i = 0; i < count; i++) o.writeByte(data[(rptr + i) & (RING - 1)]);
    }

    void load(DataInput in) throws IOException {
        int replies = in.readUnsignedByte(), n = in.readUnsignedByte();
        if (replies > HEADROOM || replies > n || n > replies + LIMIT) {
            throw new IOException("PS/2 queue of " + n + " bytes with " + replies + " replies exceeds " + LIMIT + " + " + HEADROOM);
        }
        reset();
        data[RING - 1] = in.readByte();
        for (int i = 0; i < n; i++) data[i] = in.readByte();
        count = n;
        wptr = n;
        cwptr = replies > 0 ? replies : -1;
    }
}
