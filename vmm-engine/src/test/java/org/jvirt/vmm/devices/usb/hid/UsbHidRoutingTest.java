package org.jvirt.vmm.devices.usb.hid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.devices.input.InputRouter;
import org.jvirt.vmm.devices.input.InputSink;
import org.jvirt.vmm.devices.usb.UsbDevice;
import org.junit.jupiter.api.Test;

/**
 * The USB HID devices in the input router as QEMU's hid.c puts them: a usb-kbd takes the keys
 * from the PS/2 keyboard at once; a tablet takes the pointer only once the guest sets its idle
 * rate or polls it; the keyboard's LED output report (SET_REPORT) sets the LED state QEMU's
 * hid_keyboard_write gives (its bits 1 num, 2 caps, 4 scroll to QEMU's 2, 4, 1).
 */
class UsbHidRoutingTest {
    private static final class Ps2 implements InputSink {
        final List<Integer> keys = new ArrayList<>();
        @Override public void key(int qnum, boolean down) { keys.add(qnum); }
        @Override public void pointer(int x, int y, int mask, int w, int h) { keys.add(-1); }
    }

    @Test
    void keyboardIsInFrontAtOnceAndItsLedReportReachesTheRouter() {
        InputRouter router = new InputRouter();
        Ps2 ps2 = new Ps2();
        router.register(InputRouter.Kind.KEYBOARD, ps2);
        UsbHid kbd = new UsbHid(HidKind.KEYBOARD, "0000:00:04.0", "1");
        kbd.connect(router);
        int[] woken = {0};
        kbd.setWakeup(() -> woken[0]++);
        router.key(0x1e, true);
        assertEquals(List.of(), ps2.keys);
        assertEquals(1, woken[0]);
        byte[] report = new byte[8];
        assertEquals(8, kbd.dataIn(1, report, 8));
        assertEquals(0x04, report[2], "HID usage of 'a'");
        int[][] cases = {{0x01, InputRouter.NUM_LOCK_LED}, {0x02, InputRouter.CAPS_LOCK_LED}, {0x04, InputRouter.SCROLL_LOCK_LED}, {0x07, 7}, {0, 0}};
        for (int[] c : cases) {
            assertEquals(0, kbd.control(0x21, 0x09, 0x0200, 0, 1, new byte[] {(byte) c[0]}));
            assertEquals(c[1], router.leds(), "output report " + c[0]);
        }
    }

    @Test
    void tabletTakesThePointerOnceTheGuestUsesItAndRefusesOutputReports() {
        InputRouter router = new InputRouter();
        Ps2 ps2 = new Ps2();
        router.register(InputRouter.Kind.RELATIVE_POINTER, ps2);
        UsbHid tablet = new UsbHid(HidKind.TABLET, "0000:00:04.0", "1");
        tablet.connect(router);
        assertFalse(router.isAbsolute());
        assertEquals(0, tablet.control(0x21, 0x0a, 0, 0, 0, new byte[8])); // SET_IDLE
        assertTrue(router.isAbsolute());
        router.pointer(320, 240, 0, 640, 480);
        assertEquals(List.of(), ps2.keys);
        byte[] r = new byte[8];
        assertEquals(6, tablet.dataIn(1, r, 8));
        assertEquals(0x3fff, (r[1] & 0xff) | (r[2] & 0xff) << 8);
        assertEquals(UsbDevice.NAK, tablet.dataIn(1, r, 8), "nothing new: NAK");
        assertEquals(UsbDevice.STALL, tablet.control(0x21, 0x09, 0x0200, 0, 1, new byte[1]));
    }

    @Test
    void mouseMotionOver127TakesSeveralReports() {
        UsbHid mouse = new UsbHid(HidKind.MOUSE, "0000:00:04.0", "1");
        mouse.pointer(0, 0, 0, 640, 480);
        mouse.pointer(300, 0, 0, 640, 480);
        byte[] r = new byte[4];
        int[] dx = new int[4];
        int n = 0;
        while (mouse.dataIn(1, r, 4) != UsbDevice.NAK && n < 4) dx[n++] = r[1];
        assertEquals(3, n);
        assertEquals(127, dx[0]);
        assertEquals(127, dx[1]);
        assertEquals(46, dx[2]);
    }
}
