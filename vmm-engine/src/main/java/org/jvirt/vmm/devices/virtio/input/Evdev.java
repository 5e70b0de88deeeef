package org.jvirt.vmm.devices.virtio.input;

/**
 * The Linux evdev numbers virtio-input speaks (include/uapi/linux/input-event-codes.h): event
 * types, and the codes QEMU's keyboard, mouse and tablet use.
 */
final class Evdev {
    private Evdev() { }

    static final int EV_SYN = 0x00, EV_KEY = 0x01, EV_REL = 0x02, EV_ABS = 0x03, EV_LED = 0x11, EV_REP = 0x14;
    static final int SYN_REPORT = 0;
    static final int REL_X = 0x00, REL_Y = 0x01, REL_WHEEL = 0x08;
    static final int ABS_X = 0x00, ABS_Y = 0x01;
    static final int LED_NUML = 0x00, LED_CAPSL = 0x01, LED_SCROLLL = 0x02;
    static final int BTN_LEFT = 0x110, BTN_RIGHT = 0x111, BTN_MIDDLE = 0x112, BTN_SIDE = 0x113, BTN_EXTRA = 0x114;
    static final int BTN_GEAR_DOWN = 0x150, BTN_GEAR_UP = 0x151;
    /** BUS_VIRTUAL, the bus type of virtio_input_devids. */
    static final int BUS_VIRTUAL = 0x06;
}
