package org.jvirt.vmm.devices.input;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class InputRouterTest {

    /** Records what reached one device. */
    static final class Recorder implements InputSink {
        final String name;
        final List<String> seen;

        Recorder(String name, List<String> seen) {
            this.name = name;
            this.seen = seen;
        }

        @Override public void key(int qnum, boolean down) { seen.add(name + " key " + qnum + (down ? " down" : " up")); }
        @Override public void pointer(int x, int y, int mask, int w, int h) { seen.add(name + " pointer " + x + "," + y + " " + mask); }
    }

    @Test
    void eventsGoToTheFirstHandlerOfTheirKindAndAnActivatedOneTakesOver() {
        List<String> seen = new ArrayList<>();
        InputRouter router = new InputRouter();
        router.register(InputRouter.Kind.KEYBOARD, new Recorder("ps2", seen));
        router.register(InputRouter.Kind.RELATIVE_POINTER, new Recorder("ps2", seen));
        InputRouter.Handler tablet = router.register(InputRouter.Kind.ABSOLUTE_POINTER, new Recorder("tablet", seen));

        router.key(0x1e, true);
        router.pointer(10, 20, 1, 640, 480);
        assertFalse(router.isAbsolute(), "a registered tablet the guest does not use leaves the PS/2 mouse in front");

        tablet.activate();
        router.pointer(30, 40, 0, 640, 480);
        router.key(0x1e, false);
        assertTrue(router.isAbsolute());
        assertEquals(List.of("ps2 key 30 down", "ps2 pointer 10,20 1", "tablet pointer 30,40 0", "ps2 key 30 up"), seen);
    }

    @Test
    void aRouterWithoutHandlersDropsEvents() {
        InputRouter router = new InputRouter();
        router.key(1, true);
        router.pointer(0, 0, 0, 1, 1);
        assertNull(router.keyboard());
        assertNull(router.pointer());
        assertFalse(router.isAbsolute());
    }
}
