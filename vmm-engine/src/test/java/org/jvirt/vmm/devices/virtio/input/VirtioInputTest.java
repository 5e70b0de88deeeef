package org.jvirt.vmm.devices.virtio.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;

import org.jvirt.vmm.devices.input.InputRouter;
import org.jvirt.vmm.devices.virtio.VirtioPciDevice;
import org.junit.jupiter.api.Test;

/**
 * virtio-input against a driver played by the test: routing follows DRIVER_OK and reset, events
 * arrive in batches or not at all, LED status events, the PCI identity; a hostile driver (random
 * register writes, random descriptors with addresses and lengths anywhere, random config
 * selections, host events all the while) never gets an exception out of the device nor a guest
 * access outside RAM; the state survives a round trip into a new machine's device.
 * The byte-level answers are compared with QEMU's in VirtioInputQemuDifferentialTest.
 */
class VirtioInputTest {

    @Test
    void pciIdentityIsQemus() {
        for (HidKind k : HidKind.values()) {
            InputTestDriver d = new InputTestDriver(k);
            assertEquals(0x1af4, d.fn.pci().config().get16(0));
            assertEquals(0x1052, d.fn.pci().config().get16(2));
            assertEquals(1, d.fn.pci().config().read(8, 1));
            assertEquals(k.pciClass(), d.fn.pci().config().read(8, 4) >>> 8);
            assertEquals(0x1af4, d.fn.pci().config().get16(0x2c));
            assertEquals(0x1100, d.fn.pci().config().get16(0x2e));
        }
    }

    @Test
    void keysGoToTheVirtioKeyboardFromDriverOkToReset() {
        InputTestDriver d = new InputTestDriver(HidKind.KEYBOARD);
        d.start(false);
        for (int i = 0; i < 8; i++) d.postEvent(i);
        d.router.key(0x1e, true);
        assertEquals(List.of("key 1e down"), d.ps2, "before DRIVER_OK the PS/2 keyboard has the keys");
        d.setStatus(0xF);
        assertTrue(d.fn.device().active());
        d.router.key(0x1e, true);
        d.router.key(0x7f, true); // QEMU maps it to no key: only the sync
        assertEquals(List.of("1 1e 1", "0 0 0", "0 0 0"), d.events());
        assertEquals(1, d.ps2.size());
        d.setStatus(0);
        assertFalse(d.fn.device().active());
        d.router.key(0x30, false);
        assertEquals(List.of("key 1e down", "key 30 up"), d.ps2, "after the reset the PS/2 keyboard has them again");
    }

    @Test
    void aBatchWithoutEnoughBuffersIsLostWhole() {
        InputTestDriver d = new InputTestDriver(HidKind.MOUSE);
        d.start(true);
        assertSame(InputRouter.Kind.RELATIVE_POINTER, d.router.pointer().kind());
        d.router.pointer(100, 100, 0, 640, 480); // the first position: no event at all
        for (int i = 0; i < 3; i++) d.postEvent(i);
        d.router.pointer(110, 90, 1, 640, 480); // button, x, y, sync: 4 events for 3 buffers
        assertEquals(0, d.evUsed());
        d.router.pointer(111, 92, 1, 640, 480);
        assertEquals(List.of("2 0 1", "2 1 2", "0 0 0"), d.events());
        d.postEvent(3);
        d.router.pointer(111, 92, 8, 640, 480); // wheel up: REL_WHEEL, x 0, y 0, sync (4) with only 1 buffer left
        assertEquals(List.of(), d.events());
    }

    @Test
    void tabletScalesToQemusRange() {
        assertEquals(0, HidEvents.scale(0, 640));
        assertEquals(0x7fff * 639 / 640, HidEvents.scale(639, 640));
        assertEquals(0x7fff / 2, HidEvents.scale(5, 0), "an empty screen: the middle, as qemu_input_scale_axis");
        InputTestDriver d = new InputTestDriver(HidKind.TABLET);
        d.start(true);
        for (int i = 0; i < 8; i++) d.postEvent(i);
        d.router.pointer(320, 240, 0, 640, 480);
        assertEquals(List.of("3 0 16383", "3 1 16383", "0 0 0"), d.events());
        assertTrue(d.router.isAbsolute());
    }

    @Test
    void ledStatusEvents() {
        InputTestDriver d = new InputTestDriver(HidKind.KEYBOARD);
        d.start(true);
        assertEquals(8, d.statusEvent(Evdev.EV_LED, Evdev.LED_CAPSL, 1, 8));
        assertEquals(VirtioInput.CAPS_LOCK_LED, d.fn.device().ledState());
        assertEquals(8, d.statusEvent(Evdev.EV_LED, Evdev.LED_NUML, 1, 64), "the used length is what was read");
        assertEquals(4, d.statusEvent(Evdev.EV_LED, Evdev.LED_SCROLLL, 1, 4), "a short buffer: the rest of the event is 0 (off)");
        assertEquals(VirtioInput.CAPS_LOCK_LED | VirtioInput.NUM_LOCK_LED, d.fn.device().ledState());
        assertEquals(8, d.statusEvent(Evdev.EV_LED, Evdev.LED_CAPSL, 0, 8));
        assertEquals(8, d.statusEvent(Evdev.EV_REL, 0, 1, 8), "another type is returned and ignored");
        assertEquals(VirtioInput.NUM_LOCK_LED, d.fn.device().ledState());
    }

    @Test
    void aBufferOutsideRamBreaksTheDeviceNotTheHost() {
        InputTestDriver d = new InputTestDriver(HidKind.KEYBOARD);
        d.start(true);
        d.desc(InputTestDriver.EVQ, 0, (1 << 20) - 4, 8, 2, 0); // straddles the end of RAM
        d.publish(InputTestDriver.EVQ, d.evSize, 0, 0);
        d.router.key(0x1e, true);
        assertEquals(0, d.evUsed());
        assertEquals(VirtioPciDevice.STATUS_NEEDS_RESET, d.status() & VirtioPciDevice.STATUS_NEEDS_RESET);
        d.desc(InputTestDriver.EVQ, 1, 0x1000, 0xFFFF_FFFFL, 2, 0); // huge: a new driver gets the same
        d.start(true);
        d.desc(InputTestDriver.EVQ, 0, 0x1000, 0xFFFF_FFFFL, 2, 0);
        d.publish(InputTestDriver.EVQ, d.evSize, 0, 0);
        d.router.key(0x1e, true);
        assertEquals(VirtioPciDevice.STATUS_NEEDS_RESET, d.status() & VirtioPciDevice.STATUS_NEEDS_RESET);
        d.start(true); // a tiny buffer: what fits of the event
        d.desc(InputTestDriver.EVQ, 0, InputTestDriver.EVBUF, 3, 2, 0);
        d.desc(InputTestDriver.EVQ, 1, InputTestDriver.EVBUF + 8, 3, 2, 0);
        d.publish(InputTestDriver.EVQ, d.evSize, 0, 0);
        d.publish(InputTestDriver.EVQ, d.evSize, 1, 1);
        d.mem.writeInt(InputTestDriver.EVBUF, 0xeeeeeeee);
        d.router.key(0x1e, true);
        assertEquals(2, d.evUsed());
        assertEquals(3, d.usedLen(InputTestDriver.EVQ, d.evSize, 0));
        assertEquals(0xee1e0001, d.mem.readInt(InputTestDriver.EVBUF));
        assertEquals(0, d.mem.rejectedAccesses());
    }

    @Test
    void hostileDriver() {
        Random r = new Random(20261205);
        for (HidKind k : HidKind.values()) {
            InputTestDriver d = new InputTestDriver(k);
            int delivered = 0, broken = 0;
            for (int round = 0; round < 200; round++) {
                if (round > 0) {
                    delivered += d.evUsed();
                    if ((d.status() & VirtioPciDevice.STATUS_NEEDS_RESET) != 0) broken++;
                }
                d.start(r.nextBoolean() || round % 3 == 0);
                for (int i = 0; i < 300; i++) {
                    switch (r.nextInt(8)) {
                        case 0 -> d.desc(r.nextBoolean() ? InputTestDriver.EVQ : InputTestDriver.STQ, r.nextInt(16), anyAddress(r),
                                r.nextInt(4) == 0 ? r.nextInt() & 0xFFFF_FFFFL : r.nextInt(32), r.nextInt(8), r.nextInt(20));
                        case 1 -> {
                            boolean ev = r.nextBoolean();
                            long base = ev ? InputTestDriver.EVQ : InputTestDriver.STQ;
                            d.mem.writeShort(base + 0x1000 + 4 + 2L * r.nextInt(16), (short) r.nextInt(20));
                            d.mem.writeShort(base + 0x1000 + 2, (short) (r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(20)));
                            d.bar.write(InputTestDriver.NOTIFY + (ev ? 0 : 4), 2, ev ? 0 : 1);
                        }
                        case 2 -> { // config space: any offset, size, value
                            int size = 1 << r.nextInt(4);
                            if (r.nextBoolean()) d.bar.write(InputTestDriver.DEVCFG + r.nextInt(0x1000 - size), size, r.nextLong());
                            else d.bar.read(InputTestDriver.DEVCFG + r.nextInt(0x1000 - size), size);
                        }
                        case 3 -> {
                            d.select(r.nextInt(256), r.nextInt(256));
                            int size = d.cfg8(2);
                            assertTrue(size <= 128);
                            for (int o = 0; o < 8 + size; o++) d.cfg8(o);
                        }
                        case 4 -> d.router.key(r.nextInt(0x120) - 8, r.nextBoolean());
                        case 5 -> d.router.pointer(r.nextInt(70000) - 1000, r.nextInt(70000) - 1000, r.nextInt(256), r.nextInt(2000) - 10, r.nextInt(2000) - 10);
                        case 6 -> d.bar.write(InputTestDriver.COMMON + r.nextInt(0x38), 1 << r.nextInt(3), r.nextLong());
                        default -> d.setStatus(r.nextInt(256));
                    }
                }
            }
            assertEquals(0, d.mem.rejectedAccesses(), k + ": a guest access outside RAM");
            assertTrue(delivered > 0 && broken > 0, k + ": the rounds delivered events (" + delivered + ") and broke the device (" + broken + ")");
        }
    }

    private static long anyAddress(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> (1 << 20) - r.nextInt(16);
            default -> InputTestDriver.EVBUF + r.nextInt(0x100);
        };
    }

    @Test
    void stateRoundTrip() throws IOException {
        InputTestDriver d = new InputTestDriver(HidKind.TABLET);
        d.start(true);
        for (int i = 0; i < 4; i++) d.postEvent(i);
        d.statusEvent(Evdev.EV_LED, Evdev.LED_NUML, 1, 8);
        d.select(InputConfigSpace.CFG_ABS_INFO, Evdev.ABS_Y);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        d.fn.pci().saveState(new DataOutputStream(b));

        InputTestDriver e = new InputTestDriver(HidKind.TABLET);
        InputTestDriver keyboard = new InputTestDriver(HidKind.KEYBOARD);
        assertNotEquals(InputRouter.Kind.ABSOLUTE_POINTER, e.router.pointer().kind());
        byte[] ram = new byte[1 << 20];
        d.mem.read(0, ram, 0, ram.length);
        e.mem.write(0, ram, 0, ram.length);
        e.fn.pci().loadState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertTrue(e.fn.device().active(), "DRIVER_OK was saved: the device is active again");
        assertSame(InputRouter.Kind.ABSOLUTE_POINTER, e.router.pointer().kind(), "and in front");
        assertEquals(VirtioInput.NUM_LOCK_LED, e.fn.device().ledState());
        assertEquals(20, e.cfg8(2));
        assertEquals(0xff, e.cfg8(8 + 4)); // ABS_INFO max 0x7fff
        e.router.pointer(0, 0, 0, 640, 480);
        e.evSize = d.evSize;
        assertEquals(List.of("3 0 0", "3 1 0", "0 0 0"), e.events(), "the restored queue takes the next buffers");

        byte[] wrongKind = b.toByteArray();
        assertThrowsIo(() -> keyboard.fn.pci().loadState(new DataInputStream(new ByteArrayInputStream(wrongKind))));
        InputTestDriver idle = new InputTestDriver(HidKind.TABLET);
        ByteArrayOutputStream c = new ByteArrayOutputStream();
        idle.fn.pci().saveState(new DataOutputStream(c));
        e.fn.pci().loadState(new DataInputStream(new ByteArrayInputStream(c.toByteArray())));
        assertFalse(e.fn.device().active(), "a state without DRIVER_OK: inactive, behind the others");
        assertNotEquals(InputRouter.Kind.ABSOLUTE_POINTER, e.router.pointer().kind());
    }

    interface IoAction {
        void run() throws IOException;
    }

    private static void assertThrowsIo(IoAction a) {
        try {
            a.run();
        } catch (IOException expected) {
            return;
        }
        throw new AssertionError("expected an IOException");
    }
}
