package org.jvirt.vmm.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;

/** The board's qemu-xhci: its port count from the configuration, and USB devices past its ports refused. */
class UsbControllerBoardTest {

    private static List<MachineConfig.InputDevice> usbInputs(int n) {
        List<MachineConfig.InputDevice> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new MachineConfig.InputDevice(MachineConfig.InputKind.values()[i % 3], MachineConfig.InputBus.USB, null));
        }
        return l;
    }

    private static MachineConfig config(int ports, int devices) {
        return MachineConfig.of(GuestImages.require("usb-tablet")).withAccel(MachineConfig.Accel.EMU)
                .withUsbController(new MachineConfig.UsbController(null, ports)).withInputs(usbInputs(devices));
    }

    @Test
    void portsGiveUsb2AndUsb3PortsAsQemusP2AndP3() throws Exception {
        try (Machine m = Machine.create(config(15, 4))) {
            assertEquals(15, m.board().xhci().usb2Ports());
            assertEquals(30L << 24 | 16 << 8 | 64, m.board().xhci().read(4, 4), "HCSPARAMS1: 30 ports, 16 interrupters, 64 slots");
            assertEquals(15L << 8 | 16, m.board().xhci().read(0x28, 4), "USB 2 protocol: ports 16..30");
        }
        try (Machine m = Machine.create(config(4, 0))) {
            assertEquals(8L << 24 | 16 << 8 | 64, m.board().xhci().read(4, 4));
        }
    }

    @Test
    void aDevicePastThePortsIsRefused() {
        MachineException e = assertThrows(MachineException.class, () -> Machine.create(config(4, 5)).close());
        assertEquals("the USB controller qemu-xhci has 4 USB 2 ports: no free port for usb mouse 5", e.getMessage());
        e = assertThrows(MachineException.class, () -> Machine.create(config(1, 2)).close());
        assertTrue(e.getMessage().contains("has 1 USB 2 ports"), e.getMessage());
    }

    @Test
    void portCountsOutsideQemusRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MachineConfig.UsbController(null, 16));
        assertEquals("'qemu-xhci' controller only supports up to '15' ports", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MachineConfig.UsbController(null, 0));
    }
}
