package org.jvirt.vmm.devices.virtio.input;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers of a virtio-input device's configuration (virtio spec 5.8.4, QEMU 7.2's
 * virtio_input_config lists): per (select, subsel), a 136-byte virtio_input_config (select,
 * subsel, size, 5 reserved bytes, 128 bytes of payload), and the length of the config space the
 * transport shows, the longest payload plus 8, as QEMU sizes it. No ID_SERIAL (QEMU adds one only
 * for its serial= property, which libvirt does not set) and no PROP_BITS (none of the three has any).
 */
final class InputConfigSpace {
    static final int CFG_UNSET = 0x00, CFG_ID_NAME = 0x01, CFG_ID_SERIAL = 0x02, CFG_ID_DEVIDS = 0x03;
    static final int CFG_PROP_BITS = 0x10, CFG_EV_BITS = 0x11, CFG_ABS_INFO = 0x12;
    /** sizeof(virtio_input_config). */
    static final int ENTRY_SIZE = 136;
    static final int PAYLOAD = 8;
    /** INPUT_EVENT_ABS_MIN/MAX: the tablet's axis range. */
    static final int ABS_MIN = 0, ABS_MAX = 0x7fff;
    /** The buttons QEMU 7.2's mouse and tablet map (keymap_button): their EV_KEY bits. */
    static final int[] BUTTONS = {Evdev.BTN_LEFT, Evdev.BTN_RIGHT, Evdev.BTN_MIDDLE, Evdev.BTN_GEAR_UP, Evdev.BTN_GEAR_DOWN,
        Evdev.BTN_SIDE, Evdev.BTN_EXTRA};

    private final List<byte[]> entries = new ArrayList<>();
    private final int size;

    InputConfigSpace(HidKind kind) {
        byte[] name = kind.idName().getBytes(StandardCharsets.US_ASCII);
        byte[] nameZ = new byte[name.length + 1]; // QEMU's size is sizeof the literal: the NUL counts
        System.arraycopy(name, 0, nameZ, 0, name.length);
        add(CFG_ID_NAME, 0, nameZ);
        add(CFG_ID_DEVIDS, 0, le16(Evdev.BUS_VIRTUAL, 0x0627, kind.product(), kind.version()));
        switch (kind) {
            case KEYBOARD -> {
                add(CFG_EV_BITS, Evdev.EV_REP, new byte[1]);
                add(CFG_EV_BITS, Evdev.EV_LED, new byte[] {(1 << Evdev.LED_NUML) | (1 << Evdev.LED_CAPSL) | (1 << Evdev.LED_SCROLLL)});
                add(CFG_EV_BITS, Evdev.EV_KEY, LinuxKeyTable.KEY_BITMAP.clone());
            }
            case MOUSE -> {
                add(CFG_EV_BITS, Evdev.EV_REL, new byte[] {(1 << Evdev.REL_X) | (1 << Evdev.REL_Y), 1 << (Evdev.REL_WHEEL - 8)});
                add(CFG_EV_BITS, Evdev.EV_KEY, bitmap(BUTTONS));
            }
            case TABLET -> {
                add(CFG_EV_BITS, Evdev.EV_ABS, new byte[] {(1 << Evdev.ABS_X) | (1 << Evdev.ABS_Y)});
                add(CFG_EV_BITS, Evdev.EV_REL, new byte[] {0, 1 << (Evdev.REL_WHEEL - 8)});
                add(CFG_ABS_INFO, Evdev.ABS_X, absInfo());
                add(CFG_ABS_INFO, Evdev.ABS_Y, absInfo());
                add(CFG_EV_BITS, Evdev.EV_KEY, bitmap(BUTTONS));
            }
        }
        int longest = 0;
        for (byte[] e : entries) longest = Math.max(longest, e[2] & 0xff);
        size = longest + PAYLOAD;
    }

    /** The length of the device's config space (QEMU's cfg_size). */
    int size() { return size; }

    /** The virtio_input_config for (select, subsel), or null when the device has none. */
    byte[] find(int select, int subsel) {
        for (byte[] e : entries) if ((e[0] & 0xff) == select && (e[1] & 0xff) == subsel) return e;
        return null;
    }

    private void add(int select, int subsel, byte[] payload) {
        byte[] e = new byte[ENTRY_SIZE];
        e[0] = (byte) select;
        e[1] = (byte) subsel;
        e[2] = (byte) payload.length;
        System.arraycopy(payload, 0, e, PAYLOAD, payload.length);
        entries.add(e);
    }

    /** A bitmap with the given bits, as long as its highest set byte (virtio_input_extend_config). */
    static byte[] bitmap(int[] bits) {
        int max = 0;
        for (int b : bits) max = Math.max(max, b / 8 + 1);
        byte[] m = new byte[max];
        for (int b : bits) m[b / 8] |= (byte) (1 << (b % 8));
        return m;
    }

    /** virtio_input_absinfo: min, max, fuzz, flat, res (le32 each). */
    private static byte[] absInfo() {
        byte[] a = new byte[20];
        putLe32(a, 0, ABS_MIN);
        putLe32(a, 4, ABS_MAX);
        return a;
    }

    private static byte[] le16(int... values) {
        byte[] b = new byte[2 * values.length];
        for (int i = 0; i < values.length; i++) {
            b[2 * i] = (byte) values[i];
            b[2 * i + 1] = (byte) (values[i] >> 8);
        }
        return b;
    }

    static void putLe32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >> (8 * i));
    }
}
