package org.jvirt.vmm.devices.usb.xhci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The usb-tablet guest is saved mid-use: the device addressed and configured, its first report
 * read, the next interrupt transfer posted and NAKed (no event yet). The machine is restored
 * from the state file alone (the machine section brings back the controller and the tablet, the
 * "xhci" section the registers, rings, slots, endpoints and the tablet's HID state): the pointer
 * events given to the restored machine reach the guest as the reports QEMU 7.2 sends for them
 * (the bytes UsbTabletVncQemuTest compares), the tablet still in front of the PS/2 mouse, and the
 * guest finishes its script (stop, reset device, disable slot, halt).
 */
class XhciStateRoundTripEmuTest {
    private static final int W = 640, H = 480;
    /** Pointer events after the save and the reports QEMU 7.2 sent for them (measured by UsbTabletVncQemuTest's guest). */
    private static final int[][] EVENTS = {{100, 100, 1}, {200, 150, 0}, {W - 1, H - 1, 2}, {W - 1, H - 1, 4}, {W / 2, H / 2, 8},
        {W / 2, H / 2, 16}, {1, 1, 0}, {W / 3, H / 4, 7}};
    private static final String[] REPORTS = {"01 ff 13 aa 1a 00", "00 ff 27 ff 27 00", "04 cb 7f ba 7f 00", "02 cb 7f ba 7f 00",
        "00 ff 3f ff 3f 01", "00 ff 3f ff 3f ff", "00 33 00 44 00 00", "07 99 2a ff 1f 00"};

    @TempDir
    Path dir;

    @Test
    void tabletReportsContinueAfterRestore() throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(GuestImages.require("usb-tablet")).withAccel(MachineConfig.Accel.EMU)
                .withSerial(new MachineConfig.Serial.Custom(serial)).withUsbController(new MachineConfig.UsbController(null, 4))
                .withInputs(List.of(new MachineConfig.InputDevice(MachineConfig.InputKind.TABLET, MachineConfig.InputBus.USB, null)));
        Path file = dir.resolve("xhci.state");
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("usb-tablet: reports", Duration.ofSeconds(60)), serial.output());
            m.board().input().pointer(0, 0, 0, W, H);
            assertTrue(serial.awaitOutput("report 0: 00 00 00 00 00 00", Duration.ofSeconds(30)), serial.output());
            Thread.sleep(200); // the guest posts the next transfer and rings the doorbell: NAKed
            m.pause();
            MachineStateFile.save(m, file);
        }
        InMemorySerialBackend after = new InMemorySerialBackend();
        try (Machine m = MachineStateFile.restoreMachine(file, new MachineConfig.Serial.Custom(after), MachineConfig.Accel.EMU)) {
            assertTrue(m.board().input().isAbsolute(), "the tablet is still the pointer");
            m.resume();
            for (int i = 0; i < EVENTS.length; i++) {
                m.board().input().pointer(EVENTS[i][0], EVENTS[i][1], EVENTS[i][2], W, H);
                assertTrue(after.awaitOutput("report " + (i + 1) + ":", Duration.ofSeconds(30)), "restored guest printed: " + after.output());
            }
            assertTrue(after.awaitOutput("ok usb-tablet", Duration.ofSeconds(30)), "restored guest printed: " + after.output());
            List<String> reports = new ArrayList<>();
            for (String l : after.output().replace("\r", "").split("\n")) if (l.startsWith("report ")) reports.add(l.substring(l.indexOf(':') + 2));
            assertEquals(List.of(REPORTS), reports, after.output());
            assertTrue(after.output().contains("event command cc 1 trb 21 slot 1"), after.output());
        }
    }
}
