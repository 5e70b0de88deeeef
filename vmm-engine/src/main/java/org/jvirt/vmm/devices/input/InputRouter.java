package org.jvirt.vmm.devices.input;

import java.util.ArrayList;
import java.util.List;

/**
 * Routes host key and pointer events to the machine's input devices as QEMU 7.2's ui/input.c
 * does: devices register a handler per kind of event they take, in creation order; an event
 * goes to the first handler of its kind; a device the guest starts using (a USB tablet it
 * polls, a virtio-input device its driver set DRIVER_OK on) {@linkplain Handler#activate()
 * activates} its handler, which moves it to the front. Pointer events go to the first pointer
 * handler, relative or absolute, so an active tablet takes them from the PS/2 mouse as in
 * QEMU (its VNC server then sends absolute positions).
 *
 * <p>Threads: events come from VNC client threads and the send-key thread, registration and
 * activation from the machine's set-up and vCPU threads; the list is guarded by this object,
 * and each sink synchronizes on its own device.
 */
public final class InputRouter implements InputSink {

    /** The kinds of events a handler takes. */
    public enum Kind {
        KEYBOARD,
        /** A relative pointer (PS/2 mouse, USB/virtio mouse): gets positions, moves by their difference. */
        RELATIVE_POINTER,
        /** An absolute pointer (USB/virtio tablet): scales positions to its own range. */
        ABSOLUTE_POINTER;

        boolean isPointer() { return this != KEYBOARD; }
    }

    /** One device's registration for one kind of event. */
    public final class Handler {
        private final Kind kind;
        private final InputSink sink;

        private Handler(Kind kind, InputSink sink) {
            this.kind = kind;
            this.sink = sink;
        }

        public Kind kind() { return kind; }

        /** Puts this handler in front of every other of its kind (QEMU's qemu_input_handler_activate). */
        public void activate() {
            synchronized (InputRouter.this) {
                handlers.remove(this);
                handlers.add(0, this);
            }
        }

        /**
         * Puts this handler behind every other (QEMU's qemu_input_handler_deactivate: a virtio-input
         * device reset by its driver gives the events back to the devices registered before it).
         */
        /** The device's keyboard LEDs changed (QEMU's kbd_put_ledstate). */
        public void putLeds(int state) {
            InputRouter.this.putLeds(state);
        }

        public void deactivate() {
            synchronized (InputRouter.this) {
                handlers.remove(this);
                handlers.add(this);
            }
        }
    }

    private final List<Handler> handlers = new ArrayList<>();
    /** The keyboard LEDs the guest set last (QEMU's bits: 1 Scroll, 2 Num, 4 Caps Lock), and who wants to know. */
    private int leds;
    private final List<java.util.function.IntConsumer> ledListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * QEMU's kbd_put_ledstate: a keyboard's driver set its lock LEDs (bits {@link #SCROLL_LOCK_LED},
     * {@link #NUM_LOCK_LED}, {@link #CAPS_LOCK_LED}); listeners hear of a change (VNC clients that
     * take the LED state pseudo-encoding). Called on the vCPU or device thread: listeners must not block.
     */
    public void putLeds(int state) {
        int s = state & (SCROLL_LOCK_LED | NUM_LOCK_LED | CAPS_LOCK_LED);
        synchronized (this) {
            if (s == leds) return;
            leds = s;
        }
        for (java.util.function.IntConsumer l : ledListeners) l.accept(s);
    }

    public synchronized int leds() { return leds; }

    /** Adds a listener for LED changes. */
    public void onLedsChanged(java.util.function.IntConsumer listener) {
        ledListeners.add(listener);
    }

    public static final int SCROLL_LOCK_LED = 1, NUM_LOCK_LED = 2, CAPS_LOCK_LED = 4;

    /** Adds a device's handler behind the others (QEMU's qemu_input_handler_register). */
    public synchronized Handler register(Kind kind, InputSink sink) {
        Handler h = new Handler(kind, sink);
        handlers.add(h);
        return h;
    }

    /** The handler a key event goes to now, or null. */
    public synchronized Handler keyboard() {
        for (Handler h : handlers) if (h.kind == Kind.KEYBOARD) return h;
        return null;
    }

    /** The handler a pointer event goes to now, or null. */
    public synchronized Handler pointer() {
        for (Handler h : handlers) if (h.kind.isPointer()) return h;
        return null;
    }

    /** Whether pointer events are absolute now (QEMU's qemu_input_is_absolute). */
    public boolean isAbsolute() {
        Handler h = pointer();
        return h != null && h.kind == Kind.ABSOLUTE_POINTER;
    }

    @Override
    public void key(int qnum, boolean down) {
        Handler h = keyboard();
        if (h != null) h.sink.key(qnum, down);
    }

    @Override
    public void pointer(int x, int y, int buttonMask, int width, int height) {
        Handler h = pointer();
        if (h != null) h.sink.pointer(x, y, buttonMask, width, height);
    }
}
