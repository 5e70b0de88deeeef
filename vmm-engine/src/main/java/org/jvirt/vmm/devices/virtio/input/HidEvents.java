package org.jvirt.vmm.devices.virtio.input;

import org.jvirt.vmm.devices.input.InputSink;

/**
 * Host key and pointer events made into a virtio-input device's evdev events as QEMU 7.2 makes
 * them (hw/input/virtio-input-hid.c's virtio_input_handle_event and handle_sync, behind ui/vnc.c's
 * pointer_event and ui/input.c):
 * <ul>
 * <li>keyboard: a key's qnum through QEMU's qnum -> QKeyCode -> Linux maps ({@link LinuxKeyTable})
 * gives EV_KEY code 1/0; a number QEMU maps to no key gives none; then EV_SYN either way (the
 * device had the event, so it gets the sync);</li>
 * <li>pointer: first each button whose RFB bit changed (left, middle, right, wheel up, wheel down,
 * in QEMU's button order): a wheel press is EV_REL REL_WHEEL +1/-1, a wheel release EV_KEY
 * BTN_GEAR_UP/DOWN 0, a button EV_KEY BTN_* 1/0; then the mouse's motion since the last
 * position (REL_X, REL_Y, zeros too; none for its first event) or the tablet's position scaled
 * from the screen's 0..width and 0..height to 0..0x7fff (ABS_X, ABS_Y); then EV_SYN when the
 * device had any event (a mouse's first event without a button change has none).</li>
 * </ul>
 * QEMU keeps the last position and buttons per VNC client; here each device keeps its own, so
 * they match as long as one client drives one pointer device at a time.
 */
final class HidEvents implements InputSink {
    private static final int RFB_LEFT = 0x01, RFB_MIDDLE = 0x02, RFB_RIGHT = 0x04, RFB_WHEEL_UP = 0x08, RFB_WHEEL_DOWN = 0x10;
    private static final int[] RFB_BUTTONS = {RFB_LEFT, RFB_MIDDLE, RFB_RIGHT, RFB_WHEEL_UP, RFB_WHEEL_DOWN};
    private static final int[] BUTTON_CODES = {Evdev.BTN_LEFT, Evdev.BTN_MIDDLE, Evdev.BTN_RIGHT, Evdev.BTN_GEAR_UP, Evdev.BTN_GEAR_DOWN};

    private final VirtioInput device;
    private int lastX = -1, lastY = -1, lastMask;

    HidEvents(VirtioInput device) {
        this.device = device;
    }

    @Override
    public void key(int qnum, boolean down) {
        if (device.kind() != HidKind.KEYBOARD) return;
        int linux = qnum >= 0 && qnum < LinuxKeyTable.QNUM_TO_LINUX.length ? LinuxKeyTable.QNUM_TO_LINUX[qnum] : 0;
        synchronized (this) {
            if (linux != 0) device.send(Evdev.EV_KEY, linux, down ? 1 : 0);
            device.send(Evdev.EV_SYN, Evdev.SYN_REPORT, 0);
        }
    }

    @Override
    public synchronized void pointer(int x, int y, int buttonMask, int width, int height) {
        if (device.kind() == HidKind.KEYBOARD) return;
        int events = 0;
        int changed = buttonMask ^ lastMask;
        for (int b = 0; b < RFB_BUTTONS.length; b++) {
            if ((changed & RFB_BUTTONS[b]) == 0) continue;
            boolean down = (buttonMask & RFB_BUTTONS[b]) != 0;
            boolean wheel = RFB_BUTTONS[b] == RFB_WHEEL_UP || RFB_BUTTONS[b] == RFB_WHEEL_DOWN;
            if (wheel && down) device.send(Evdev.EV_REL, Evdev.REL_WHEEL, RFB_BUTTONS[b] == RFB_WHEEL_UP ? 1 : -1);
            else device.send(Evdev.EV_KEY, BUTTON_CODES[b], down ? 1 : 0);
            events++;
        }
        lastMask = buttonMask;
        if (device.kind() == HidKind.TABLET) {
            device.send(Evdev.EV_ABS, Evdev.ABS_X, scale(x, width));
            device.send(Evdev.EV_ABS, Evdev.ABS_Y, scale(y, height));
            events += 2;
        } else {
            if (lastX != -1) {
                device.send(Evdev.EV_REL, Evdev.REL_X, x - lastX);
                device.send(Evdev.EV_REL, Evdev.REL_Y, y - lastY);
                events += 2;
            }
            lastX = x;
            lastY = y;
        }
        if (events > 0) device.send(Evdev.EV_SYN, Evdev.SYN_REPORT, 0);
    }

    /** QEMU's qemu_input_scale_axis from 0..size to INPUT_EVENT_ABS_MIN..MAX (the middle for an empty range). */
    static int scale(int value, int size) {
        long rangeOut = InputConfigSpace.ABS_MAX - InputConfigSpace.ABS_MIN;
        if (size < 1) return (int) (InputConfigSpace.ABS_MIN + rangeOut / 2);
        return (int) ((long) value * rangeOut / size + InputConfigSpace.ABS_MIN);
    }
}
