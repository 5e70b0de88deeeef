package org.jvirt.vmm.cli;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.control.ControlServer;
import org.jvirt.vmm.devices.ide.AtapiCdrom;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.protocol.Ack;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.protocol.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * eject and blockdev-change-medium through the control socket on a SATA CD-ROM, named as libvirt
 * names SATA drives (sata0-0-PORT), with QEMU's DEVICE_TRAY_MOVED events; a VM with SATA drives
 * is refused by save.
 */
class SataMediaControlTest {
    static final Path BIOS = Path.of("/usr/share/seabios/bios-256k.bin");

    @Test
    void ejectAndChangeTheMediumOfASataCdrom(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isReadable(BIOS), "skipped: " + BIOS + " is missing");
        Path disk = dir.resolve("hd.raw"), iso1 = dir.resolve("one.iso"), iso2 = dir.resolve("two.iso");
        Files.write(disk, new byte[1 << 20]);
        Files.write(iso1, new byte[2048 * 16]);
        Files.write(iso2, new byte[2048 * 32]);
        MachineConfig c = MachineConfig.ofFirmware(BIOS).withAccel(MachineConfig.Accel.EMU)
                .withSerial(new MachineConfig.Serial.Custom(new InMemorySerialBackend()))
                .withSataDrives(List.of(new MachineConfig.SataDrive(0, false, disk, false, ImageFormat.RAW, null, null),
                        new MachineConfig.SataDrive(2, true, iso1, true, ImageFormat.RAW, null, null)));
        try (Machine m = Machine.create(c)) {
            m.start(true);
            VmControl control = new VmControl(m, true, List.of());
            AtapiCdrom cd = m.board().sataCdrom(2);
            assertNull(m.board().sataCdrom(0), "a hard disk is no cdrom");
            assertNull(m.board().cdrom(2), "no IDE drive");
            try (ControlServer server = ControlServer.start(dir.resolve("vm.sock"), control);
                 ControlClient client = ControlClient.connect(server.socketPath(), Duration.ofSeconds(5))) {
                control.serveOn(server);
                LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
                client.onEvent(events::add);

                assertEquals(new Ack(), client.call(new Command.Eject("sata0-0-2", false)));
                assertEquals(new Event.DeviceTrayMoved("sata0-0-2", true), events.poll(5, TimeUnit.SECONDS));
                assertFalse(cd.hasMedium());
                assertEquals(new Ack(), client.call(new Command.BlockdevChangeMedium("sata0-0-2", iso2.toString(), "raw", false)));
                assertEquals(new Event.DeviceTrayMoved("sata0-0-2", false), events.poll(5, TimeUnit.SECONDS));
                assertTrue(cd.hasMedium());
                for (String other : new String[] {"sata0-0-0", "sata0-0-3", "sata0-0-6", "ide0-1-0"}) {
                    ControlClient.CommandFailed e = assertThrows(ControlClient.CommandFailed.class,
                            () -> client.call(new Command.Eject(other, false)));
                    assertTrue(e.getMessage().contains("Device '" + other + "' not found"), e.getMessage());
                }
                assertNull(events.poll(200, TimeUnit.MILLISECONDS), "no other tray event");
                ControlClient.CommandFailed e = assertThrows(ControlClient.CommandFailed.class,
                        () -> client.call(new Command.JvirtSave(dir.resolve("s.save").toString(), null, null)));
                assertTrue(e.getMessage().contains("is not supported yet"), e.getMessage());
            }
        }
    }

    @Test
    void aVmWithSataDrivesCannotBeSaved() throws Exception {
        MachineConfig kernelVm = MachineConfig.of(Path.of("/k")).withSataDrives(List.of(
                new MachineConfig.SataDrive(0, true, null, true, ImageFormat.RAW, null, null)));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> org.jvirt.vmm.machine.MachineStateFile.requireSavable(kernelVm));
        assertEquals("saving the state of a VM with SATA drives is not supported yet", e.getMessage());
        org.jvirt.vmm.machine.MachineStateFile.requireSavable(kernelVm.withSataDrives(List.of()));
    }
}
