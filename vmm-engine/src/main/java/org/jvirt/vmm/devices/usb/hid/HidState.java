package org.jvirt.vmm.devices.usb.hid;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import org.jvirt.vmm.devices.input.InputRouter;

/**
 * QEMU 7.2's HIDState (hw/input/hid.c): a queue of 16 entries of pointer state or key scancodes,
 * filled by host events and drained by the guest's polls.
 * <ul>
 * <li>Pointer: an event's buttons and motion (a mouse's relative, a tablet's absolute 0..0x7fff)
 * go into the entry after the queued ones; a sync makes it visible, or, when the last visible
 * one has the same buttons, merges its motion into that one (QEMU's event compression). A poll
 * reports the oldest entry (the last one again when empty), a mouse's motion clamped to +-127
 * with the rest left for the next poll, the wheel inverted.</li>
 * <li>Keyboard: each key becomes its scancodes (0xe0 first for an extended key, bit 7 on a
 * release); a poll takes one scancode and reports the modifiers and up to 6 keys held, or
 * all "error rollover" when more are held.</li>
 * </ul>
 * Not modelled: the idle timer (a SET_IDLE rate other than 0 sends no periodic reports).
 */
final class HidState {
    static final int QUEUE_LENGTH = 16, QUEUE_MASK = 15;
    /** QEMU's hid_usage_keys: scancode (0x80 and up after 0xe0) to HID usage. */
    private static final int[] USAGE = {
        0x00, 0x29, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2d, 0x2e, 0x2a, 0x2b,
        0x14, 0x1a, 0x08, 0x15, 0x17, 0x1c, 0x18, 0x0c, 0x12, 0x13, 0x2f, 0x30, 0x28, 0xe0, 0x04, 0x16,
        0x07, 0x09, 0x0a, 0x0b, 0x0d, 0x0e, 0x0f, 0x33, 0x34, 0x35, 0xe1, 0x31, 0x1d, 0x1b, 0x06, 0x19,
        0x05, 0x11, 0x10, 0x36, 0x37, 0x38, 0xe5, 0x55, 0xe2, 0x2c, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e,
        0x3f, 0x40, 0x41, 0x42, 0x43, 0x53, 0x47, 0x5f, 0x60, 0x61, 0x56, 0x5c, 0x5d, 0x5e, 0x57, 0x59,
        0x5a, 0x5b, 0x62, 0x63, 0x46, 0x00, 0x64, 0x44, 0x45, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e,
        0xe8, 0xe9, 0x71, 0x72, 0x73, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x85, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe3, 0xe7, 0x65,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x58, 0xe4, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x54, 0x00, 0x46,
        0xe6, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x48, 0x48, 0x4a,
        0x52, 0x4b, 0x00, 0x50, 0x00, 0x4f, 0x00, 0x4d, 0x51, 0x4e, 0x49, 0x4c, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0xe3, 0xe7, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    };

    final HidKind kind;
    int head, n;
    int protocol = 1, idle;
    // pointer queue
    final int[] xdx = new int[QUEUE_LENGTH], ydy = new int[QUEUE_LENGTH], dz = new int[QUEUE_LENGTH], buttons = new int[QUEUE_LENGTH];
    // keyboard
    final int[] keycodes = new int[QUEUE_LENGTH];
    int modifiers, keys, leds;
    final int[] key = new int[16];

    HidState(HidKind kind) {
        this.kind = kind;
    }

    boolean hasEvents() { return n > 0; }

    // ---- pointer ----

    private int cur() { return (head + n) & QUEUE_MASK; }

    /** QEMU's hid_pointer_event for a button (bit 1 left, 2 right, 4 middle; wheel: +-1 in dz on a press). */
    void button(int bit, boolean down, int wheel) {
        int e = cur();
        if (down) {
            buttons[e] |= bit;
            dz[e] += wheel;
        } else {
            buttons[e] &= ~bit;
        }
    }

    void absolute(int x, int y) {
        int e = cur();
        xdx[e] = x;
        ydy[e] = y;
    }

    void relative(int dx, int dy) {
        int e = cur();
        xdx[e] += dx;
        ydy[e] += dy;
    }

    /** QEMU's hid_pointer_sync; true when the guest has a new entry to poll. */
    boolean sync() {
        if (n == QUEUE_LENGTH - 1) return false; // full: only the newest button state is kept
        int prev = (head + n - 1) & QUEUE_MASK, curr = cur(), next = (head + n + 1) & QUEUE_MASK;
        if (n > 0 && buttons[curr] == buttons[prev]) {
            if (kind == HidKind.MOUSE) {
                xdx[prev] += xdx[curr];
                xdx[curr] = 0;
                ydy[prev] += ydy[curr];
                ydy[curr] = 0;
            } else {
                xdx[prev] = xdx[curr];
                ydy[prev] = ydy[curr];
            }
            dz[prev] += dz[curr];
            dz[curr] = 0;
            return false;
        }
        if (kind == HidKind.MOUSE) {
            xdx[next] = 0;
            ydy[next] = 0;
        } else {
            xdx[next] = xdx[curr];
            ydy[next] = ydy[curr];
        }
        dz[next] = 0;
        buttons[next] = buttons[curr];
        n++;
        return true;
    }

    /** QEMU's hid_pointer_poll: the report into buf (at most len bytes); its length. */
    int pointerPoll(byte[] buf, int len) {
        int e = (n > 0 ? head : head - 1) & QUEUE_MASK;
        int dx, dy;
        if (kind == HidKind.MOUSE) {
            dx = clamp(xdx[e]);
            dy = clamp(ydy[e]);
            xdx[e] -= dx;
            ydy[e] -= dy;
        } else {
            dx = xdx[e];
            dy = ydy[e];
        }
        int z = clamp(dz[e]);
        dz[e] -= z;
        if (n > 0 && dz[e] == 0 && (kind == HidKind.TABLET || xdx[e] == 0 && ydy[e] == 0)) {
            head = (head + 1) & QUEUE_MASK;
            n--;
        }
        z = -z;
        int[] out = kind == HidKind.MOUSE ? new int[] {buttons[e], dx, dy, z}
                : new int[] {buttons[e], dx & 0xff, (dx >> 8) & 0xff, dy & 0xff, (dy >> 8) & 0xff, z};
        int l = Math.min(len, out.length);
        for (int i = 0; i < l; i++) buf[i] = (byte) out[i];
        return Math.max(l, 0);
    }

    private static int clamp(int v) {
        return Math.max(-127, Math.min(127, v));
    }

    // ---- keyboard ----

    /** QEMU's hid_keyboard_event for a qnum: its scancodes queued, or nothing when they do not fit. */
    boolean keyEvent(int qnum, boolean down) {
        int[] codes = (qnum & 0x80) != 0 ? new int[] {0xe0, (qnum & 0x7f) | (down ? 0 : 0x80)} : new int[] {(qnum & 0x7f) | (down ? 0 : 0x80)};
        if (n + codes.length > QUEUE_LENGTH) return false;
        for (int c : codes) {
            keycodes[(head + n) & QUEUE_MASK] = c;
            n++;
        }
        return true;
    }

    private void processKeycode() {
        if (n == 0) return;
        int slot = head & QUEUE_MASK;
        head = (head + 1) & QUEUE_MASK;
        n--;
        int keycode = keycodes[slot];
        int k = keycode & 0x7f;
        int index = k | ((modifiers & (1 << 8)) >> 1);
        int hid = USAGE[index];
        modifiers &= ~(1 << 8);
        boolean release = (keycode & 0x80) != 0;
        if (hid == 0) return;
        if (hid == 0xe0 && (modifiers & (1 << 9)) != 0) { // second code of the 0xe1 0x1d sequence
            modifiers ^= (1 << 8) | (1 << 9);
            return;
        }
        if (hid >= 0xe0 && hid <= 0xe7) {
            if (release) modifiers &= ~(1 << (hid & 0x0f));
            else modifiers |= 1 << (hid & 0x0f);
            return;
        }
        if (hid == 0xe8 || hid == 0xe9) {
            modifiers |= 1 << (hid & 0x0f);
            return;
        }
        if (hid >= 0xea && hid <= 0xef) return; // QEMU aborts; no table entry has these
        if (release) {
            for (int i = keys - 1; i >= 0; i--) {
                if (key[i] == hid) {
                    key[i] = key[--keys];
                    key[keys] = 0;
                    return;
                }
            }
        } else {
            for (int i = keys - 1; i >= 0; i--) if (key[i] == hid) return;
            if (keys < key.length) key[keys++] = hid;
        }
    }

    /** QEMU's hid_keyboard_poll: modifiers, 0, six keys (all 0x01 on rollover); its length. */
    int keyboardPoll(byte[] buf, int len) {
        if (len < 2) return 0;
        processKeycode();
        buf[0] = (byte) modifiers;
        buf[1] = 0;
        int l = Math.min(8, len);
        for (int i = 2; i < l; i++) buf[i] = (byte) (keys > 6 ? 0x01 : key[i - 2]);
        return l;
    }

    /** QEMU's hid_keyboard_write: the LED output report; returns QEMU's LED state (1 scroll, 2 num, 4 caps) or -1. */
    int keyboardWrite(byte[] buf, int len) {
        if (len <= 0) return -1;
        leds = buf[0] & 0xff;
        int state = 0;
        // the report's bits (HID usage page 8: 0x01 Num, 0x02 Caps, 0x04 Scroll) in InputRouter's
        if ((leds & 0x04) != 0) state |= InputRouter.SCROLL_LOCK_LED;
        if ((leds & 0x01) != 0) state |= InputRouter.NUM_LOCK_LED;
        if ((leds & 0x02) != 0) state |= InputRouter.CAPS_LOCK_LED;
        return state;
    }

    /** QEMU's hid_reset. */
    void reset() {
        java.util.Arrays.fill(xdx, 0);
        java.util.Arrays.fill(ydy, 0);
        java.util.Arrays.fill(dz, 0);
        java.util.Arrays.fill(buttons, 0);
        java.util.Arrays.fill(keycodes, 0);
        java.util.Arrays.fill(key, 0);
        keys = 0;
        modifiers = 0;
        head = n = 0;
        protocol = 1;
        idle = 0;
    }

    void save(DataOutput out) throws IOException {
        out.writeByte(head);
        out.writeByte(n);
        out.writeByte(protocol);
        out.writeByte(idle);
        for (int i = 0; i < QUEUE_LENGTH; i++) {
            out.writeInt(xdx[i]);
            out.writeInt(ydy[i]);
            out.writeInt(dz[i]);
            out.writeByte(buttons[i]);
            out.writeByte(keycodes[i]);
        }
        out.writeShort(modifiers);
        out.writeByte(keys);
        out.writeByte(leds);
        for (int k : key) out.writeByte(k);
    }

    void load(DataInput in) throws IOException {
        int h = in.readUnsignedByte(), c = in.readUnsignedByte();
        if (h >= QUEUE_LENGTH || c > QUEUE_LENGTH) throw new IOException("usb hid: bad queue " + h + "/" + c);
        head = h;
        n = c;
        protocol = in.readUnsignedByte();
        idle = in.readUnsignedByte();
        for (int i = 0; i < QUEUE_LENGTH; i++) {
            xdx[i] = in.readInt();
            ydy[i] = in.readInt();
            dz[i] = in.readInt();
            buttons[i] = in.readUnsignedByte();
            keycodes[i] = in.readUnsignedByte();
        }
        modifiers = in.readUnsignedShort() & 0x3ff;
        int k = in.readUnsignedByte();
        if (k > key.length) throw new IOException("usb hid: bad key count " + k);
        keys = k;
        leds = in.readUnsignedByte();
        for (int i = 0; i < key.length; i++) key[i] = in.readUnsignedByte();
    }
}
