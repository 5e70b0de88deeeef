package org.jvirt.vmm.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.devices.pci.PciBridge;
import org.jvirt.vmm.devices.q35.Q35Chipset;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.protocol.launch.PciAddress;
import org.jvirt.vmm.testing.GuestImages;

/**
 * A q35 with root ports (kernel boot, emulator) saved and restored with its options: the ports'
 * sections bring back the bus numbers the guest gave them, so the disk behind a port answers on
 * the guest's bus number and its BAR is decoded again; the guest runs on. Restoring from the
 * file alone is refused in one line (the machine section does not describe ports yet).
 */
class RootPortStateRoundTripEmuTest {
    @TempDir
    Path dir;

    @Test
    void theGuestsBusNumbersComeBackWithThePorts() throws Exception {
        Path disk = dir.resolve("disk.raw");
        Files.write(disk, new byte[1 << 20]);
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(GuestImages.require("ticker")).withAccel(MachineConfig.Accel.EMU)
                .withChipset(MachineConfig.Chipset.Q35)
                .withRootPorts(List.of(new MachineConfig.RootPort(1, PciAddress.root(1, 0), 1, 8), new MachineConfig.RootPort(2, PciAddress.root(1, 1), 2, 9)))
                .withDisks(List.of(new MachineConfig.Disk(disk, false, null, null, null, new PciAddress(1, 0, 0))))
                .withSerial(new MachineConfig.Serial.Custom(serial));
        Path file = dir.resolve("q35-ports.state");
        long bar;
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("tick 3\r\n", Duration.ofSeconds(30)), serial.output());
            m.pause();
            assertEquals(0x1042_1AF4L, m.board().pci().configRead(1, 0, 0, 0, 4), "the kernel-boot numbering: bus 1");
            m.board().pci().configWrite(0, 1, 0, PciBridge.PRIMARY_BUS, 4, 0x0009_0900); // the guest renumbers the port
            bar = m.board().pci().configRead(9, 0, 0, 0x10, 4) & ~0xFL;
            MachineStateFile.save(m, file);
        }
        InMemorySerialBackend after = new InMemorySerialBackend();
        try (Machine m = Machine.createForRestore(config.withSerial(new MachineConfig.Serial.Custom(after)))) {
            m.startForRestore();
            MachineStateFile.restore(m, file);
            assertEquals(0x1042_1AF4L, m.board().pci().configRead(9, 0, 0, 0, 4), "the disk on the guest's bus number");
            assertEquals(0xFFFF_FFFFL, m.board().pci().configRead(1, 0, 0, 0, 4));
            assertEquals(0x1042_1AF4L, m.mmioBus().read(Q35Chipset.ECAM_BASE + (9L << 20), 4), "through ECAM too");
            assertTrue(m.mmioBus().isClaimed(bar), "the disk's BAR decoded again");
            m.resume();
            assertTrue(after.awaitOutput("tick 6\r\n", Duration.ofSeconds(30)), after.output());
        }
        Exception e = assertThrows(Exception.class, () -> MachineStateFile.restoreMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.EMU).close());
        assertTrue(e.getMessage().contains("pcie-root-port1"), e.getMessage());
    }
}
