package org.jvirt.vmm.devices.input;

/**
 * Where a display's keyboard and pointer events go (the VNC server, the control socket's
 * send-key): the guest's input devices. Like QEMU's input layer, the sources do not know
 * which device (PS/2 keyboard and mouse, a tablet) receives the events; the board routes them.
 * Called from any thread; implementations hand the event to the device under its own lock.
 */
public interface InputSink {

    /**
     * A key pressed (down) or released: qnum is QEMU's key number, the XT scancode set 1 code,
     * with 0x80 set for the 0xE0-prefixed keys (e.g. 0x1e 'A', 0x9c keypad Enter).
     */
    void key(int qnum, boolean down);

    /**
     * The pointer at (x, y) of a width x height screen with the buttons in buttonMask held
     * (RFB's bits: 0 left, 1 middle, 2 right, 3 wheel up, 4 wheel down). A relative device
     * (PS/2 mouse) moves by the difference from the last position; an absolute one (tablet)
     * scales the position to its own range.
     */
    void pointer(int x, int y, int buttonMask, int width, int height);

    /** A sink that drops everything (a VM without input devices). */
    InputSink NONE = new InputSink() {
        @Override public void key(int qnum, boolean down) { }
        @Override public void pointer(int x, int y, int buttonMask, int width, int height) { }
    };
}
