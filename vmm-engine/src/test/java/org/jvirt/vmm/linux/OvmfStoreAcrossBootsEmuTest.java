package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.cli.JvirtVmmMain;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OVMF's variable store across boots. It outlives the VMM: a jvirt-vmm process (emulator,
 * --pflash CODE,ro --pflash VARS) is killed with SIGKILL once OVMF's boot manager starts the disk, by when OVMF has written
 * its boot options and its monotonic counter (MTC); they are in the file at once (each flash
 * program and erase is written through before the guest's write completes). A second VMM on the
 * same file boots OVMF to the same point: OVMF found the store (the same boot options) and
 * counted one boot more (MTC + 1), so what the killed VMM wrote was read back. And it outlives a
 * machine reset.
 */
class OvmfStoreAcrossBootsEmuTest {
    static final Duration WAIT = Duration.ofSeconds(240);

    @TempDir
    Path tmp;

    @Test
    void aKilledVmmLeavesTheVariablesItWroteForTheNextBoot() throws Exception {
        OvmfDiskBootEmuTest.assumeOvmf();
        // a variant since the firmware save/restore test came (CI's time): JvirtUefiBootTest has OVMF write its store in CI
        org.junit.jupiter.api.Assumptions.assumeTrue(FirmwareBootMatrixEmuTest.FULL_MATRIX, "a variant: runs with -Djvirt.boot.matrix=true");
        Path disk = Files.copy(BootMediaUnderQemuTest.requireMedium("boot-disk.raw"), tmp.resolve("disk.raw"));
        Path vars = Files.copy(OvmfDiskBootEmuTest.VARS, tmp.resolve("vars.fd"));
        Path serialLog = tmp.resolve("serial.log");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), JvirtVmmMain.class.getName(),
                "--accel", "emu", "--memory", (OvmfDiskBootEmuTest.RAM >> 20) + "M",
                "--pflash", OvmfDiskBootEmuTest.CODE + ",ro", "--pflash", vars.toString(),
                "--disk", disk.toString(), "--serial", "file:" + serialLog));
        Process vmm = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("vmm.out").toFile()).start();
        try {
            long end = System.nanoTime() + WAIT.toNanos();
            while (!serial(serialLog).contains(OvmfDiskBootEmuTest.BOOT_MANAGER)) {
                assertTrue(vmm.isAlive(), "jvirt-vmm ended: " + Files.readString(tmp.resolve("vmm.out")) + serial(serialLog));
                assertTrue(System.nanoTime() < end, "OVMF did not reach its boot manager in " + WAIT + ": " + serial(serialLog));
                Thread.sleep(50);
            }
        } finally {
            vmm.destroyForcibly(); // SIGKILL: no shutdown hook, no close of the flash file
            assertTrue(vmm.waitFor(30, TimeUnit.SECONDS));
        }
        Map<String, byte[]> killed = OvmfVariableStore.read(vars);
        assertTrue(killed.containsKey("BootOrder") && killed.containsKey("Boot0001") && killed.containsKey("MTC"),
                "variables in the file after the kill: " + killed.keySet());

        InMemorySerialBackend serial = new InMemorySerialBackend();
        try (Machine m = Machine.create(OvmfDiskBootEmuTest.uefi(disk, vars, serial))) {
            m.start();
            assertTrue(serial.awaitOutput(OvmfDiskBootEmuTest.BOOT_MANAGER, WAIT), "second boot; serial:\n" + serial.output());
        }
        Map<String, byte[]> again = OvmfVariableStore.read(vars);
        assertEquals(mtc(killed) + 1, mtc(again), "OVMF read the counter the killed VMM wrote and counted this boot");
        assertArrayEquals(killed.get("BootOrder"), again.get("BootOrder"));
        assertArrayEquals(killed.get("Boot0001"), again.get("Boot0001"));
    }

    /**
     * A machine reset (the reset button, RAM kept) while GRUB runs: the flash units go back to
     * read-array mode, the PIIX4 PM block is unmapped until OVMF programs PMBA again, and OVMF
     * boots a second time from the same store to GRUB, counting the boot (MTC + 1).
     */
    @Test
    void aResetBootsOvmfAgainFromTheSameStore() throws Exception {
        OvmfDiskBootEmuTest.assumeOvmf();
        org.junit.jupiter.api.Assumptions.assumeTrue(FirmwareBootMatrixEmuTest.FULL_MATRIX, "a variant: runs with -Djvirt.boot.matrix=true");
        Path disk = Files.copy(BootMediaUnderQemuTest.requireMedium("boot-disk.raw"), tmp.resolve("disk.raw"));
        Path vars = Files.copy(OvmfDiskBootEmuTest.VARS, tmp.resolve("vars.fd"));
        InMemorySerialBackend serial = new InMemorySerialBackend();
        try (Machine m = Machine.create(OvmfDiskBootEmuTest.uefi(disk, vars, serial))) {
            m.start();
            assertTrue(serial.awaitOutput(OvmfDiskBootEmuTest.GRUB, WAIT), "first boot; serial:\n" + serial.output());
            long first = mtc(OvmfVariableStore.read(vars));
            int before = serial.output().length();
            m.reset();
            long end = System.nanoTime() + WAIT.toNanos();
            while (!serial.output().substring(before).contains(OvmfDiskBootEmuTest.GRUB)) {
                assertTrue(System.nanoTime() < end, "no second boot to GRUB; serial after the reset:\n" + serial.output().substring(before));
                Thread.sleep(50);
            }
            assertTrue(serial.output().substring(before).contains(OvmfDiskBootEmuTest.BOOT_MANAGER), serial.output().substring(before));
            assertEquals(first + 1, mtc(OvmfVariableStore.read(vars)), "the second boot counted");
            assertEquals(1, m.resetCount());
        }
    }

    private static long mtc(Map<String, byte[]> store) {
        return ByteBuffer.wrap(store.get("MTC")).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    }

    private static String serial(Path log) throws java.io.IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    }
}
