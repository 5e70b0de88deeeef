package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.jvirt.vmm.machine.MachineStateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A firmware-booted machine saved in the middle of its boot and restored from the file into a
 * new machine built from the same configuration, which boots on to the guest's marker and powers
 * off: SeaBIOS on the pc from the IDE CD-ROM, saved while ISOLINUX reads the kernel through the
 * BIOS (the ROM's shadow in RAM, fw_cfg's position and the IDE channels in the file); and, as a
 * variant ({@code -Djvirt.boot.matrix=true}), OVMF on the pc, saved at its boot manager, the
 * variable store's contents carried in the file and written to the restored machine's own copy.
 */
class FirmwareSaveRestoreEmuTest {
    static final Duration WAIT = SeaBiosDiskBootEmuTest.WAIT;

    @TempDir
    Path tmp;

    @Test
    void seabiosFromTheIdeCdromSavedWhileTheBootLoaderReads() throws Exception {
        assumeTrue(Files.isReadable(SeaBiosDiskBootEmuTest.BIOS), "skipped: " + SeaBiosDiskBootEmuTest.BIOS + " is missing (Debian package seabios)");
        Path iso = BootMediaUnderQemuTest.requireMedium("boot.iso");
        MachineConfig c = MachineConfig.ofFirmware(SeaBiosDiskBootEmuTest.BIOS).withMemory(SeaBiosDiskBootEmuTest.RAM)
                .withAccel(MachineConfig.Accel.EMU)
                .withIdeDrives(List.of(new MachineConfig.IdeDrive(2, true, iso, true, ImageFormat.RAW, 1)));
        String console = saveAtThenRestore(c, "ISOLINUX", null, null);
        assertTrue(console.contains("Booting from DVD/CD..."), console);
        assertTrue(console.contains("Linux version ") && console.contains("Run /init"), "Linux booted after the restore:\n" + console);
    }

    @Test
    void ovmfFromTheIdeCdromCarriesItsVariableStore() throws Exception {
        assumeTrue(FirmwareBootMatrixEmuTest.FULL_MATRIX, "a variant (an OVMF boot, ~2 min): runs with -Djvirt.boot.matrix=true");
        OvmfDiskBootEmuTest.assumeOvmf();
        Path iso = BootMediaUnderQemuTest.requireMedium("boot.iso");
        Path vars = Files.copy(OvmfDiskBootEmuTest.VARS, tmp.resolve("vars.fd"));
        Path restoredVars = Files.copy(OvmfDiskBootEmuTest.VARS, tmp.resolve("restored-vars.fd"));
        String console = saveAtThenRestore(uefiWithCdrom(vars, iso), "BdsDxe: starting", uefiWithCdrom(restoredVars, iso), () -> {
            byte[] saved = Files.readAllBytes(vars), restored = Files.readAllBytes(restoredVars);
            assertFalse(java.util.Arrays.equals(Files.readAllBytes(OvmfDiskBootEmuTest.VARS), saved), "OVMF wrote variables before the save");
            assertArrayEquals(saved, restored, "the restore wrote the saved store into the restored machine's file");
        });
        assertTrue(console.contains("Welcome to GRUB!") && console.contains("Run /init"), console);
        assertFalse(console.contains("MTRRs don't cover"), "the MTRRs OVMF programmed came back:\n" + console);
    }

    private static MachineConfig uefiWithCdrom(Path vars, Path iso) {
        return OvmfDiskBootEmuTest.uefi(iso, vars, new InMemorySerialBackend()).withDisks(List.of()) // only the pflash units of it
                .withIdeDrives(List.of(new MachineConfig.IdeDrive(2, true, iso, true, ImageFormat.RAW, null)));
    }

    /** A check run on the restored machine before it resumes. */
    interface RestoredCheck {
        void check() throws Exception;
    }

    /**
     * Runs c until its console shows mark, pauses and saves it, then restores the file into a new
     * machine from restoredConfig (null: c) and runs that to the guest's power-off. Returns both
     * consoles, one after the other.
     */
    private String saveAtThenRestore(MachineConfig c, String mark, MachineConfig restoredConfig, RestoredCheck restoredCheck) throws Exception {
        Path file = tmp.resolve("firmware.save");
        InMemorySerialBackend first = new InMemorySerialBackend();
        long t0 = System.nanoTime();
        try (Machine m = Machine.create(c.withSerial(new MachineConfig.Serial.Custom(first)))) {
            m.start();
            assertTrue(first.awaitOutput(mark, WAIT), "no '" + mark + "' before the save; serial:\n" + first.output());
            m.pause();
            MachineStateFile.save(m, file);
        }
        long t1 = System.nanoTime();
        InMemorySerialBackend second = new InMemorySerialBackend();
        MachineConfig again = (restoredConfig == null ? c : restoredConfig).withSerial(new MachineConfig.Serial.Custom(second));
        MachineExit exit;
        try (Machine m = Machine.createForRestore(again)) {
            m.startForRestore();
            MachineStateFile.restore(m, file);
            if (restoredCheck != null) restoredCheck.check();
            m.resume();
            boolean ready = second.awaitOutput(LinuxImages.READY + "\r\n", WAIT);
            assertTrue(ready, "the restored machine did not reach " + LinuxImages.READY + "; before the save:\n" + first.output()
                    + "\n--- after the restore:\n" + second.output());
            exit = m.awaitExit(Duration.ofSeconds(60));
        }
        System.out.printf("firmware save at '%s' after %.1f s, restored run %.1f s%n", mark, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        assertEquals(MachineExit.Kind.POWER_OFF, exit == null ? null : exit.kind(), "how the restored VM ended; serial:\n" + second.output());
        assertFalse(second.output().contains("SeaBIOS (version") || second.output().contains("BdsDxe: loading"),
                "the restored machine went on, it did not boot again:\n" + second.output());
        assertFalse(second.output().contains("Kernel panic"), second.output());
        return first.output() + second.output();
    }
}
