package org.jvirt.vmm.cli;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.bus.IoBus;
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
 * eject and blockdev-change-medium through the control socket on a machine with the PIIX3 IDE
 * (a hard disk at the primary master, a CD-ROM at the secondary master, named as libvirt
 * names them: ide0-1-0): the drive's tray and medium as the
 * guest's ports see them, DEVICE_TRAY_MOVED events, and the refusals (unknown device or a
 * disk, a tray the guest locked through its ports, a file that cannot be opened, a bad format).
 */
class ChangeMediaControlTest {
    static final Path BIOS = Path.of("/usr/share/seabios/bios-256k.bin");
    static final int SECONDARY = 0x170, DATA = 0, FEATURES = 1, COUNT_LOW = 4, COUNT_HIGH = 5, DEVICE = 6, COMMAND = 7;

    @Test
    void ejectAndChangeMediumThroughTheControlSocket(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isReadable(BIOS), "skipped: " + BIOS + " is missing");
        Path disk = dir.resolve("hd.raw"), iso1 = dir.resolve("one.iso"), iso2 = dir.resolve("two.iso");
        Files.write(disk, new byte[1 << 20]);
        Files.write(iso1, new byte[2048 * 16]);
        Files.write(iso2, new byte[2048 * 32]);
        MachineConfig c = MachineConfig.ofFirmware(BIOS).withAccel(MachineConfig.Accel.EMU)
                .withSerial(new MachineConfig.Serial.Custom(new InMemorySerialBackend()))
                .withIdeDrives(List.of(new MachineConfig.IdeDrive(0, false, disk, false, ImageFormat.RAW, null),
                        new MachineConfig.IdeDrive(2, true, iso1, true, ImageFormat.RAW, null)));
        try (Machine m = Machine.create(c)) {
            m.start(true); // paused: the guest's side of the drive is this test's port accesses
            VmControl control = new VmControl(m, true, List.of());
            AtapiCdrom cd = m.board().cdrom(2);
            assertNull(m.board().cdrom(0), "a hard disk is no cdrom");
            try (ControlServer server = ControlServer.start(dir.resolve("vm.sock"), control);
                 ControlClient client = ControlClient.connect(server.socketPath(), Duration.ofSeconds(5))) {
                control.serveOn(server);
                LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
                client.onEvent(events::add);

                assertEquals(new Ack(), client.call(new Command.Eject("ide0-1-0", false)));
                assertEquals(new Event.DeviceTrayMoved("ide0-1-0", true), events.poll(5, TimeUnit.SECONDS));
                assertFalse(cd.hasMedium());
                assertTrue(cd.trayOpen());
                client.call(new Command.Eject("ide0-1-0", false)); // already empty: the tray stays open, no event
                assertEquals(new Ack(), client.call(new Command.BlockdevChangeMedium("ide0-1-0", iso2.toString(), "raw", false)));
                assertEquals(new Event.DeviceTrayMoved("ide0-1-0", false), events.poll(5, TimeUnit.SECONDS));
                assertTrue(cd.hasMedium());
                assertFalse(cd.trayOpen());
                assertEquals(32 - 1, readCapacityLastLba(m.pioBus()), "the guest sees the new medium's size");

                assertFailure(client, new Command.Eject("ide0-0-0", false), "Device 'ide0-0-0' not found"); // a disk
                assertFailure(client, new Command.Eject("ide0-1-1", false), "Device 'ide0-1-1' not found");
                assertFailure(client, new Command.BlockdevChangeMedium("ide0-1-0", dir.resolve("missing.iso").toString(), "raw", false),
                        "missing.iso");
                assertFailure(client, new Command.BlockdevChangeMedium("ide0-1-0", iso1.toString(), "vmdk", false), "Unknown driver 'vmdk'");
                assertTrue(cd.hasMedium(), "a failed change keeps the medium");

                preventRemoval(m.pioBus());
                assertTrue(cd.locked());
                assertFailure(client, new Command.Eject("ide0-1-0", false), "Tray of device 'ide0-1-0' is not open");
                assertFailure(client, new Command.BlockdevChangeMedium("ide0-1-0", iso1.toString(), null, false), "is not open");
                assertTrue(cd.hasMedium() && !cd.trayOpen(), "a locked tray stays shut with its medium");
                client.call(new Command.Eject("ide0-1-0", true));
                assertEquals(new Event.DeviceTrayMoved("ide0-1-0", true), events.poll(5, TimeUnit.SECONDS));
                assertFalse(cd.hasMedium());
                assertNull(events.poll(200, TimeUnit.MILLISECONDS), "no other tray event");
                // the firmware VM with its IDE drives saves; restored into a machine whose drive is empty (as the live XML
                // says after the eject), the guest's side sees the tray open, its lock gone with the forced eject, no medium
                client.call(new Command.JvirtSave(dir.resolve("s.save").toString(), null, null));
                assertTrue(Files.size(dir.resolve("s.save")) > 0);
            }
        }
        MachineConfig restored = c.withIdeDrives(List.of(new MachineConfig.IdeDrive(0, false, disk, false, ImageFormat.RAW, null),
                new MachineConfig.IdeDrive(2, true, null, true, ImageFormat.RAW, null)));
        try (Machine m = Machine.createForRestore(restored)) {
            m.startForRestore();
            org.jvirt.vmm.machine.MachineStateFile.restore(m, dir.resolve("s.save"));
            AtapiCdrom cd = m.board().cdrom(2);
            assertTrue(cd.trayOpen() && !cd.hasMedium() && !cd.locked(), "the drive as saved");
            packet(m.pioBus(), new byte[12]); // TEST UNIT READY: NOT READY, medium not present (tray open)
            packet(m.pioBus(), new byte[]{0x03, 0, 0, 0, 18, 0, 0, 0, 0, 0, 0, 0});
            int[] sense = new int[9];
            for (int i = 0; i < 9; i++) sense[i] = (int) m.pioBus().read(SECONDARY + DATA, 2);
            assertEquals(0x02, sense[1] & 0x0F, "sense key NOT READY");
            assertEquals(0x023A, sense[6] & 0xFFFF, "ASC 3A/02: medium not present, tray open");
        }
    }

    /** Save, snapshots and migration refuse a VM with SATA drives before they start; IDE drives and firmware no longer. */
    @Test
    void aVmWithSataDrivesCannotBeSaved() throws Exception {
        MachineConfig kernelVm = MachineConfig.of(Path.of("/k")).withSataDrives(List.of(
                new MachineConfig.SataDrive(0, true, null, true, ImageFormat.RAW, null, null)));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> org.jvirt.vmm.machine.MachineStateFile.requireSavable(kernelVm));
        assertEquals("saving the state of a VM with SATA drives is not supported yet", e.getMessage());
        org.jvirt.vmm.machine.MachineStateFile.requireSavable(kernelVm.withSataDrives(List.of())
                .withIdeDrives(List.of(new MachineConfig.IdeDrive(2, true, null, true, ImageFormat.RAW, null))));
    }

    private static void assertFailure(ControlClient client, Command<?> command, String part) {
        ControlClient.CommandFailed e = assertThrows(ControlClient.CommandFailed.class, () -> client.call(command));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** PREVENT ALLOW MEDIUM REMOVAL (prevent) from the guest's side: PACKET on the secondary master. */
    private static void preventRemoval(IoBus pio) {
        int status = packet(pio, new byte[]{0x1E, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0});
        assertEquals(0, status & 0x01, "the command succeeded: status " + Integer.toHexString(status));
    }

    /** READ CAPACITY's last LBA, after a unit attention is cleared by TEST UNIT READY. */
    private static long readCapacityLastLba(IoBus pio) {
        packet(pio, new byte[12]); // TEST UNIT READY: reports the medium change once
        packet(pio, new byte[]{0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        long lba = 0;
        for (int i = 0; i < 4; i++) {
            int w = (int) pio.read(SECONDARY + DATA, 2);
            if (i < 2) lba = lba << 16 | ((w & 0xFF) << 8 | (w >> 8) & 0xFF);
        }
        return lba;
    }

    /** Sends a 12-byte CDB; returns the status once the command has its data or has ended. */
    private static int packet(IoBus pio, byte[] cdb) {
        pio.write(SECONDARY + DEVICE, 1, 0xA0);
        pio.write(SECONDARY + FEATURES, 1, 0);
        pio.write(SECONDARY + COUNT_LOW, 1, 0xFE);
        pio.write(SECONDARY + COUNT_HIGH, 1, 0xFF);
        pio.write(SECONDARY + COMMAND, 1, 0xA0);
        int status = (int) pio.read(SECONDARY + COMMAND, 1);
        assertEquals(0x08, status & 0x88, "PACKET wants its CDB: status " + Integer.toHexString(status));
        for (int i = 0; i < 12; i += 2) pio.write(SECONDARY + DATA, 2, (cdb[i] & 0xFF) | (cdb[i + 1] & 0xFF) << 8);
        return (int) pio.read(SECONDARY + COMMAND, 1);
    }
}
