package org.jvirt.vmm.devices.ps2;

/**
 * Turns absolute pointer events (a VNC client's position and RFB button mask) into the PS/2
 * mouse's relative events as QEMU's VNC server does for a relative mouse: first the buttons
 * whose bit changed (bit 0 left, 1 middle, 2 right; bits 3 and 4 are one wheel notch up or
 * down when they go down), then the motion since the previous position (none for the first
 * event, which only sets the position), then one sync, so one event gives one packet (more for
 * motion beyond a packet's 127). As QEMU's input layer syncs only a handler that got events
 * (ui/input.c qemu_input_event_sync_impl), a first event that changes no button gives no packet.
 * Not thread safe: the i8042 calls it under its lock.
 */
public final class PointerEvents {
    private static final int RFB_LEFT = 0x01, RFB_MIDDLE = 0x02, RFB_RIGHT = 0x04, RFB_WHEEL_UP = 0x08, RFB_WHEEL_DOWN = 0x10;
    private static final int RFB_BUTTONS = 0x1f; // the five QEMU's VNC server maps (bmap in vnc.c pointer_event)

    private final Ps2Mouse mouse;
    private int lastX = -1, lastY = -1, lastMask;

    public PointerEvents(Ps2Mouse mouse) {
        this.mouse = mouse;
    }

    /** Forgets the last position and buttons (a new machine, a restored one). */
    public void reset() {
        lastX = lastY = -1;
        lastMask = 0;
    }

    public void event(int x, int y, int mask) {
        int changed = (mask ^ lastMask) & RFB_BUTTONS;
        boolean routed = changed != 0 || lastX != -1; // QEMU queues a move, even a zero one, once it has a position
        if ((changed & RFB_LEFT) != 0) mouse.button(Ps2Mouse.BUTTON_LEFT, (mask & RFB_LEFT) != 0);
        if ((changed & RFB_MIDDLE) != 0) mouse.button(Ps2Mouse.BUTTON_MIDDLE, (mask & RFB_MIDDLE) != 0);
        if ((changed & RFB_RIGHT) != 0) mouse.button(Ps2Mouse.BUTTON_RIGHT, (mask & RFB_RIGHT) != 0);
        if ((changed & mask & RFB_WHEEL_UP) != 0) mouse.wheel(true);
        if ((changed & mask & RFB_WHEEL_DOWN) != 0) mouse.wheel(false);
        lastMask = mask;
        if (lastX != -1) mouse.move(x - lastX, y - lastY);
        lastX = x;
        lastY = y;
        if (routed) mouse.sync();
    }
}
