package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SeaBIOS boots from jvirt's AHCI controller on the emulator: the hybrid boot.iso as a SATA
 * CD-ROM on port 2 and boot-disk.raw as a SATA disk on port 0, both attached, bootindexes as
 * libvirt gives them with strict boot (fw_cfg "bootorder" naming pci8086,2922@SLOT/drive@PORT).
 * SeaBIOS probes both ports (IDENTIFY PACKET, IDENTIFY, SET FEATURES), reads the boot medium by
 * DMA (READ DMA, or ATAPI READ(10) by DMA for El Torito), the boot loader reads the kernel and
 * initrd through INT 13h and the Linux guest prints its marker and powers off (the kernel itself
 * does not load ahci: its initrd does not have the module). QEMU TCG with ich9-ahci ({@code
 * -device ahci}), the same SeaBIOS, media and bootindexes is the reference in the same test:
 * SeaBIOS's lines up to its "Booting from ..." line are the same.
 */
class SeaBiosAhciBootEmuTest {
    static final Path BIOS = SeaBiosDiskBootEmuTest.BIOS;
    static final long RAM = SeaBiosDiskBootEmuTest.RAM;
    static final Duration WAIT = SeaBiosDiskBootEmuTest.WAIT;
    static final Pattern ISOLINUX = Pattern.compile("ISOLINUX \\d+\\.\\d+ \\d+ ");
    static final Pattern SYSLINUX = Pattern.compile("SYSLINUX \\d+\\.\\d+ \\d+ ");
    static final int DISK_PORT = 0, CDROM_PORT = 2;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "cdrom bootindex {0}, disk bootindex {1}")
    @CsvSource({"1, 2, Booting from DVD/CD...", "2, 1, Booting from Hard Disk..."})
    void seabiosBootsLinuxFromTheSataDrive(int cdIndex, int diskIndex, String booting) throws Exception {
        // the pc's added AHCI: SATA boots run in the default run on q35 (FirmwareBootMatrixEmuTest, and the daemon's VirtInstallTest)
        assumeTrue(FirmwareBootMatrixEmuTest.FULL_MATRIX, "the pc's SATA boots: run with -Djvirt.boot.matrix=true");
        assumeTrue(Files.isReadable(BIOS), "skipped: " + BIOS + " is missing (Debian package seabios)");
        Path iso = BootMediaUnderQemuTest.requireMedium("boot.iso");
        Path disk = Files.copy(BootMediaUnderQemuTest.requireMedium("boot-disk.raw"), tmp.resolve("boot-disk.raw"));
        boolean fromCd = cdIndex < diskIndex;
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? startQemu(iso, disk, cdIndex, diskIndex) : null;

        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig c = MachineConfig.ofFirmware(BIOS).withMemory(RAM).withAccel(MachineConfig.Accel.EMU)
                .withSataDrives(List.of(
                        new MachineConfig.SataDrive(DISK_PORT, false, disk, false, ImageFormat.RAW, diskIndex, null),
                        new MachineConfig.SataDrive(CDROM_PORT, true, iso, true, ImageFormat.RAW, cdIndex, null)))
                .withBoot(new MachineConfig.Boot(null, true))
                .withSerial(new MachineConfig.Serial.Custom(serial));
        long t0 = System.nanoTime();
        String jvirt;
        try (Machine m = Machine.create(c)) {
            m.start();
            boolean ready = serial.awaitOutput(LinuxImages.READY + "\r\n", WAIT);
            jvirt = serial.output();
            assertTrue(ready, "jvirt (emu) did not reach " + LinuxImages.READY + " from the SATA "
                    + (fromCd ? "CD-ROM" : "disk") + " in " + WAIT + "; serial:\n" + jvirt);
            MachineExit exit = m.awaitExit(Duration.ofSeconds(60));
            jvirt = serial.output();
            assertEquals(MachineExit.Kind.POWER_OFF, exit == null ? null : exit.kind(), "how the VM ended; serial:\n" + jvirt);
            assertGuestRan(jvirt, "jvirt");
        } catch (Throwable e) {
            if (qemu != null) qemu.destroyForcibly();
            throw e;
        }
        System.out.printf("SeaBIOS from AHCI (cdrom %d, disk %d) on jvirt emu: %s to %s in %.1f s%n", cdIndex, diskIndex, booting,
                LinuxImages.READY, (System.nanoTime() - t0) / 1e9);
        assertTrue(jvirt.contains(booting), "SeaBIOS booted another device; serial:\n" + jvirt);
        assertTrue((fromCd ? ISOLINUX : SYSLINUX).matcher(jvirt).find(), "not the boot loader of that medium; serial:\n" + jvirt);
        assertTrue(!(fromCd ? SYSLINUX : ISOLINUX).matcher(jvirt).find(), "the other medium's boot loader ran; serial:\n" + jvirt);

        assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
        String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, tmp.resolve("qemu-serial.txt"), WAIT);
        assertTrue(reference.contains(booting), "QEMU's SeaBIOS booted another device: " + reference);
        assertGuestRan(reference, "QEMU TCG");
        assertEquals(BootMediaUnderQemuTest.upTo(reference, booting), BootMediaUnderQemuTest.upTo(jvirt, booting), "SeaBIOS's lines up to the boot");
    }

    /** The kernel's banner, the init's marker, no failed module or panic (no disk check: the guest has no AHCI driver). */
    private static void assertGuestRan(String serial, String who) {
        String out = who + "; serial:\n" + serial.replace("\r\n", "\n");
        assertTrue(out.contains("Linux version "), "no banner: " + out);
        assertTrue(out.contains("\n" + LinuxImages.READY + "\n"), "no " + LinuxImages.READY + " marker: " + out);
        assertTrue(!out.contains("init: insmod ") && !out.contains("Kernel panic"), out);
    }

    private Process startQemu(Path iso, Path disk, int cdIndex, int diskIndex) throws java.io.IOException {
        Path log = tmp.resolve("qemu-serial.txt");
        return new ProcessBuilder(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg", "-machine", "pc",
                "-m", Long.toString(RAM >> 20), "-bios", BIOS.toString(), "-nographic", "-nodefaults",
                "-global", "apic-common.vapic=off", "-monitor", "none", "-serial", "stdio", "-no-reboot", "-boot", "strict=on",
                "-device", "ahci,id=ahci",
                "-drive", "if=none,id=c0,file=" + iso + ",media=cdrom,format=raw,readonly=on",
                "-device", "ide-cd,bus=ahci." + CDROM_PORT + ",drive=c0,bootindex=" + cdIndex,
                "-drive", "if=none,id=d0,file=" + disk + ",format=raw,snapshot=on",
                "-device", "ide-hd,bus=ahci." + DISK_PORT + ",drive=d0,bootindex=" + diskIndex)
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }
}
