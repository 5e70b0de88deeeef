package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Issue 12, deliver 1, 4 and 6: SeaBIOS boots what the boot order says, from the PIIX3 IDE's
 * ATAPI CD-ROM (El Torito, ISOLINUX) or from the virtio disk (syslinux), with both attached: the
 * hybrid boot.iso on the secondary master and boot-disk.raw on virtio-blk, bootindexes as libvirt
 * gives them with {@code -boot strict=on} (fw_cfg "bootorder" ending in HALT). With the CD-ROM
 * first the Linux guest boots on the emulator to its marker and powers off; with the disk first
 * SeaBIOS boots the disk. QEMU TCG with the same SeaBIOS, media and bootindexes is the reference
 * in the same test: SeaBIOS's lines up to its "Booting from ..." line are the same.
 */
class SeaBiosBootOrderEmuTest {
    static final Path BIOS = SeaBiosDiskBootEmuTest.BIOS;
    static final long RAM = SeaBiosDiskBootEmuTest.RAM;
    static final Duration WAIT = SeaBiosDiskBootEmuTest.WAIT;
    static final Pattern ISOLINUX = Pattern.compile("ISOLINUX \\d+\\.\\d+ \\d+ ");
    static final Pattern SYSLINUX = Pattern.compile("SYSLINUX \\d+\\.\\d+ \\d+ ");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "cdrom bootindex {0}, disk bootindex {1}")
    @CsvSource({"1, 2, Booting from DVD/CD...", "2, 1, Booting from Hard Disk..."})
    void seabiosBootsTheDeviceWithTheLowestBootindex(int cdIndex, int diskIndex, String booting) throws Exception {
        assumeTrue(Files.isReadable(BIOS), "skipped: " + BIOS + " is missing (Debian package seabios)");
        Path iso = BootMediaUnderQemuTest.requireMedium("boot.iso");
        Path disk = Files.copy(BootMediaUnderQemuTest.requireMedium("boot-disk.raw"), tmp.resolve("boot-disk.raw"));
        boolean fromCd = cdIndex < diskIndex;
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? startQemu(iso, disk, cdIndex, diskIndex) : null;

        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig c = MachineConfig.ofFirmware(BIOS).withMemory(RAM).withAccel(MachineConfig.Accel.EMU)
                .withDisks(List.of(new MachineConfig.Disk(disk, false, ImageFormat.RAW, diskIndex)))
                .withIdeDrives(List.of(new MachineConfig.IdeDrive(2, true, iso, true, ImageFormat.RAW, cdIndex)))
                .withBoot(new MachineConfig.Boot(null, true))
                .withSerial(new MachineConfig.Serial.Custom(serial));
        long t0 = System.nanoTime();
        String jvirt;
        try (Machine m = Machine.create(c)) {
            m.start();
            if (fromCd) {
                boolean ready = serial.awaitOutput(LinuxImages.READY + "\r\n", WAIT);
                jvirt = serial.output();
                assertTrue(ready, "jvirt (emu) did not reach " + LinuxImages.READY + " from the CD-ROM in " + WAIT + "; serial:\n" + jvirt);
                MachineExit exit = m.awaitExit(Duration.ofSeconds(60));
                jvirt = serial.output();
                assertEquals(MachineExit.Kind.POWER_OFF, exit == null ? null : exit.kind(), "how the VM ended; serial:\n" + jvirt);
                LinuxImages.assertBootedToInit(jvirt, "jvirt");
            } else {
                boolean loaded = serial.awaitOutput("Loading /vmlinuz", WAIT);
                jvirt = serial.output();
                assertTrue(loaded, "syslinux on the disk did not load the kernel; serial:\n" + jvirt);
            }
        }
        System.out.printf("SeaBIOS boot order (cdrom %d, disk %d) on jvirt emu: %s, %.1f s%n", cdIndex, diskIndex, booting,
                (System.nanoTime() - t0) / 1e9);
        assertTrue(jvirt.contains(booting), "SeaBIOS booted another device; serial:\n" + jvirt);
        assertTrue((fromCd ? ISOLINUX : SYSLINUX).matcher(jvirt).find(), "not the boot loader of that medium; serial:\n" + jvirt);
        assertTrue(!(fromCd ? SYSLINUX : ISOLINUX).matcher(jvirt).find(), "the other medium's boot loader ran; serial:\n" + jvirt);

        assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
        String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, tmp.resolve("qemu-serial.txt"), WAIT);
        assertTrue(reference.contains(booting), "QEMU's SeaBIOS booted another device: " + reference);
        assertEquals(BootMediaUnderQemuTest.upTo(reference, booting), BootMediaUnderQemuTest.upTo(jvirt, booting), "SeaBIOS's lines up to the boot");
    }

    private Process startQemu(Path iso, Path disk, int cdIndex, int diskIndex) throws java.io.IOException {
        Path log = tmp.resolve("qemu-serial.txt");
        return new ProcessBuilder(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg", "-machine", "pc",
                "-m", Long.toString(RAM >> 20), "-bios", BIOS.toString(), "-nographic", "-nodefaults",
                "-global", "apic-common.vapic=off", "-monitor", "none", "-serial", "stdio", "-no-reboot", "-boot", "strict=on",
                "-blockdev", "driver=file,filename=" + iso + ",node-name=cdf,read-only=on",
                "-blockdev", "driver=raw,file=cdf,node-name=cd,read-only=on",
                "-device", "ide-cd,drive=cd,bus=ide.1,unit=0,bootindex=" + cdIndex,
                "-blockdev", "driver=file,filename=" + disk + ",node-name=hdf,read-only=on",
                "-blockdev", "driver=raw,file=hdf,node-name=hd,read-only=on",
                "-device", "virtio-blk-pci,drive=hd,bootindex=" + diskIndex)
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

}
