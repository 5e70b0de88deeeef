package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SeaBIOS on the q35 machine boots boot-disk.raw from a virtio-blk disk on the emulator: it finds
 * the MCH and programs PCIEXBAR (then does its own config accesses through the ECAM window), the
 * LPC's PMBASE/ACPI_EN (its PM timer is then jvirt's at 0x608), the PIRQ routes, and sees SMM as
 * set up (SMI_EN.APMC_EN, as QEMU's smm=off); Linux then boots with the tables SeaBIOS installed
 * from fw_cfg (MCFG included) and reaches the marker. QEMU TCG {@code -machine q35,smm=off} with
 * the same SeaBIOS and disk is the reference, run in the same test: the same SeaBIOS COM1 lines up
 * to "Booting from Hard Disk...", the same kernel's MMCONFIG and root bridge lines.
 */
class Q35SeaBiosDiskBootEmuTest {
    @TempDir
    Path tmp;

    @Test
    void seabiosBootsTheDiskOnQ35() throws Exception {
        assumeTrue(FirmwareBootMatrixEmuTest.FULL_MATRIX, "a variant (the default run boots SeaBIOS q35 disks in the driver's "
                + "JvirtVirtInstallNetworkTest): runs with -Djvirt.boot.matrix=true");
        assumeTrue(Files.isReadable(SeaBiosDiskBootEmuTest.BIOS), "skipped: " + SeaBiosDiskBootEmuTest.BIOS + " is missing (Debian package seabios)");
        Path image = BootMediaUnderQemuTest.requireMedium("boot-disk.raw");
        Path copy = Files.copy(image, tmp.resolve("boot-disk.raw")); // the guest may write; the fixture stays as built
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? startQemu(image) : null;
        try {
            bootAndCompare(copy, qemu);
        } finally {
            if (qemu != null) qemu.destroyForcibly().waitFor();
        }
    }

    private void bootAndCompare(Path disk, Process qemu) throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig c = MachineConfig.ofFirmware(SeaBiosDiskBootEmuTest.BIOS).withMemory(SeaBiosDiskBootEmuTest.RAM)
                .withAccel(MachineConfig.Accel.EMU).withChipset(MachineConfig.Chipset.Q35)
                .withDisks(List.of(new MachineConfig.Disk(disk, false)))
                .withSerial(new MachineConfig.Serial.Custom(serial));
        long t0 = System.nanoTime();
        String jvirt;
        try (Machine m = Machine.create(c)) {
            m.start();
            boolean ready = serial.awaitOutput(LinuxImages.READY + "\r\n", SeaBiosDiskBootEmuTest.WAIT);
            jvirt = serial.output();
            assertTrue(ready, "jvirt (emu, q35) did not reach " + LinuxImages.READY + " in " + SeaBiosDiskBootEmuTest.WAIT + "; serial:\n" + jvirt);
            MachineExit exit = m.awaitExit(java.time.Duration.ofSeconds(60));
            jvirt = serial.output();
            assertEquals(MachineExit.Kind.POWER_OFF, exit == null ? null : exit.kind(), "how the VM ended; serial:\n" + jvirt);
        }
        System.out.printf("SeaBIOS + syslinux + Linux on jvirt emu q35: %s in %.1f s%n", LinuxImages.READY, (System.nanoTime() - t0) / 1e9);
        assertBoot(jvirt, "jvirt q35");

        assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
        String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, tmp.resolve("qemu-serial.txt"), SeaBiosDiskBootEmuTest.WAIT);
        assertBoot(reference, "QEMU TCG q35,smm=off");
        assertEquals(BootMediaUnderQemuTest.upTo(reference, "Booting from Hard Disk..."), BootMediaUnderQemuTest.upTo(jvirt, "Booting from Hard Disk..."));
        String ref = reference.replace("\r\n", "\n"), out = jvirt.replace("\r\n", "\n");
        for (String line : List.of("Linux version ", "PCI: MMCONFIG for domain", "PCI: MMCONFIG at", "ACPI: PCI Root Bridge [PCI0]",
                "pci 0000:00:00.0: [", "pci 0000:00:1f.0: [", "pci 0000:00:1f.3: [", "pci 0000:00:1f.0: quirk:")) {
            assertEquals(Q35LinuxEmuBootTest.line(ref, line), Q35LinuxEmuBootTest.line(out, line), "the kernel's line with '" + line + "'");
        }
    }

    private static void assertBoot(String serial, String who) {
        String how = who + "; serial:\n" + serial;
        assertTrue(serial.contains(SeaBiosDiskBootEmuTest.SEABIOS_BANNER), "no SeaBIOS banner: " + how);
        assertTrue(serial.contains("Booting from Hard Disk..."), "SeaBIOS did not boot the disk: " + how);
        assertTrue(serial.contains("Loading /vmlinuz"), "syslinux did not load the kernel: " + how);
        assertTrue(serial.contains("PCI: MMCONFIG at [mem 0xb0000000-0xbfffffff] reserved in E820"), "the kernel does not use MMCONFIG: " + how);
        assertTrue(serial.contains("reboot: Power down"), "the kernel did not power off: " + how);
        LinuxImages.assertBootedToInit(serial, who);
    }

    private Process startQemu(Path image) throws java.io.IOException {
        Path log = tmp.resolve("qemu-serial.txt");
        return new ProcessBuilder(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg", "-machine", "q35,smm=off",
                "-m", Long.toString(SeaBiosDiskBootEmuTest.RAM >> 20), "-bios", SeaBiosDiskBootEmuTest.BIOS.toString(),
                "-nographic", "-nodefaults", "-global", "apic-common.vapic=off", "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-drive", "file=" + image + ",if=virtio,format=raw,snapshot=on")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }
}
