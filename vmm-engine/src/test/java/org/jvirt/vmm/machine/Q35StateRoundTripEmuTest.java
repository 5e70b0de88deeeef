package org.jvirt.vmm.machine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jvirt.vmm.devices.q35.Q35Chipset;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.state.StateFormatException;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A q35 machine (kernel boot, emulator) saved to a state file and restored from the file alone:
 * the machine section names the board, the chipset's sections (MCH in the host bridge's, LPC,
 * SMBus, SMI registers) bring back the ECAM window and the PM block where the guest had them, and
 * the guest runs on. A q35 file does not restore into a pc and back.
 */
class Q35StateRoundTripEmuTest {
    @TempDir
    Path dir;

    @Test
    void q35MachineSavesAndRestoresFromTheFileAlone() throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(GuestImages.require("ticker")).withAccel(MachineConfig.Accel.EMU)
                .withChipset(MachineConfig.Chipset.Q35).withDisks(List.of(new MachineConfig.Disk(disk(), false)))
                .withSerial(new MachineConfig.Serial.Custom(serial));
        Path file = dir.resolve("q35.state");
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("tick 3\r\n", Duration.ofSeconds(30)), serial.output());
            m.pause();
            // the guest moves the PM block (as a guest's PMBASE write would): the file must carry the move
            m.board().pci().configWrite(0, Q35Chipset.LPC_SLOT, 0, 0x40, 4, 0xB001);
            assertTrue(m.pioBus().isClaimed(0xB008) && !m.pioBus().isClaimed(0x608));
            MachineStateFile.save(m, file);
        }
        assertEquals(MachineConfig.Chipset.Q35, MachineStateFile.savedMachine(file, new MachineConfig.Serial.Stdio(), MachineConfig.Accel.EMU).chipset());

        InMemorySerialBackend after = new InMemorySerialBackend();
        try (Machine m = MachineStateFile.restoreMachine(file, new MachineConfig.Serial.Custom(after), MachineConfig.Accel.EMU)) {
            assertEquals(MachineConfig.Chipset.Q35, m.config().chipset());
            assertTrue(m.mmioBus().isClaimed(Q35Chipset.ECAM_BASE), "ECAM window back where the chipset had it");
            assertEquals(0x29C0_8086L, m.mmioBus().read(Q35Chipset.ECAM_BASE, 4));
            assertTrue(m.pioBus().isClaimed(0xB008) && !m.pioBus().isClaimed(0x608), "PM block where the guest put it");
            m.resume();
            assertTrue(after.awaitOutput("tick 6\r\n", Duration.ofSeconds(30)), after.output());
        }

        // the same file does not fit a pc: its chipset sections are unknown there
        try (Machine pc = Machine.createForRestore(config.withChipset(MachineConfig.Chipset.PC).withSerial(new MachineConfig.Serial.Custom(new InMemorySerialBackend())))) {
            pc.startForRestore();
            StateFormatException e = assertThrows(StateFormatException.class, () -> MachineStateFile.restore(pc, file));
            assertTrue(e.getMessage().contains("ich9"), e.getMessage());
        }
    }

    private Path disk() throws java.io.IOException {
        Path p = dir.resolve("disk.raw");
        java.nio.file.Files.write(p, new byte[1 << 20]);
        return p;
    }
}
