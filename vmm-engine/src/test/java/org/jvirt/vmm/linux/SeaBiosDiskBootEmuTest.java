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
import java.util.regex.Matcher;
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
 * Issue 12, deliver 1 and 6: Debian's SeaBIOS boots the disk images.sh makes (MBR, syslinux on a
 * FAT partition, the Debian kernel and the busybox initrd), attached as jvirt's virtio-blk disk,
 * on the emulator: SeaBIOS drives the virtio 1.x device itself (its own BAR placement, the modern
 * capabilities), syslinux reads the kernel through INT 13h, the kernel's real-mode setup runs, and
 * the initrd prints its marker and powers the VM off (ACPI tables installed by SeaBIOS from
 * fw_cfg's etc/table-loader, as QEMU's are; its DMI line read from the SMBIOS tables fw_cfg gives,
 * as QEMU's). The same medium under QEMU TCG with the same SeaBIOS and
 * {@code if=virtio} is the reference, run in the same test (QEMU takes a few seconds).
 */
class SeaBiosDiskBootEmuTest {
    static final Path BIOS = Path.of("/usr/share/seabios/bios-256k.bin");
    static final long RAM = 256L << 20;
    static final Duration WAIT = Duration.ofSeconds(240);
    static final String SEABIOS_BANNER = "SeaBIOS (version ";
    /** What syslinux prints itself on COM1 (its SERIAL directive), after the boot sector's banner. */
    static final Pattern SYSLINUX_BANNER = Pattern.compile("SYSLINUX \\d+\\.\\d+ \\d+ Copyright \\(C\\) [^\r\n]*H\\. Peter Anvin et al");
    static final Pattern KERNEL_BANNER = Pattern.compile("Linux version [^\r\n]+");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"boot-disk.raw, raw", "boot-disk.qcow2, qcow2"})
    void seabiosBootsTheDiskThroughSyslinuxToLinux(String medium, String format) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(format.equals("raw") || FirmwareBootMatrixEmuTest.FULL_MATRIX,
                "a variant (qcow2): runs with -Djvirt.boot.matrix=true");
        assumeTrue(Files.isReadable(BIOS), "skipped: " + BIOS + " is missing (Debian package seabios)");
        Path image = BootMediaUnderQemuTest.requireMedium(medium);
        Path copy = Files.copy(image, tmp.resolve(medium)); // the guest may write; the fixture stays as built
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? startQemu(image, format) : null;

        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig c = MachineConfig.ofFirmware(BIOS).withMemory(RAM).withAccel(MachineConfig.Accel.EMU)
                .withDisks(List.of(new MachineConfig.Disk(copy, false, ImageFormat.valueOf(format.toUpperCase()))))
                .withSerial(new MachineConfig.Serial.Custom(serial));
        long t0 = System.nanoTime();
        String jvirt;
        try (Machine m = Machine.create(c)) {
            m.start();
            boolean ready = serial.awaitOutput(LinuxImages.READY + "\r\n", WAIT); // the whole line: the checks want it
            jvirt = serial.output();
            assertTrue(ready, "jvirt (emu) did not reach " + LinuxImages.READY + " in " + WAIT + "; serial:\n" + jvirt);
            // /init powers off: through the ACPI tables SeaBIOS installed from fw_cfg (PM1a_CNT, S5)
            MachineExit exit = m.awaitExit(Duration.ofSeconds(60));
            jvirt = serial.output();
            assertEquals(MachineExit.Kind.POWER_OFF, exit == null ? null : exit.kind(), "how the VM ended; serial:\n" + jvirt);
        }
        System.out.printf("SeaBIOS + syslinux + Linux from %s on jvirt emu: %s in %.1f s%n", medium, LinuxImages.READY,
                (System.nanoTime() - t0) / 1e9);
        assertBoot(jvirt, "jvirt");

        assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
        String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, tmp.resolve("qemu-serial.txt"), WAIT);
        assertBoot(reference, "QEMU TCG");
        // Up to the boot: the same SeaBIOS lines on both (its banner, "Booting from Hard Disk...").
        assertEquals(BootMediaUnderQemuTest.upTo(reference, "Booting from Hard Disk..."), BootMediaUnderQemuTest.upTo(jvirt, "Booting from Hard Disk..."));
        assertEquals(first(SYSLINUX_BANNER, reference), first(SYSLINUX_BANNER, jvirt));
        assertEquals(first(KERNEL_BANNER, reference), first(KERNEL_BANNER, jvirt));
        assertEquals(line(reference, "Command line: "), line(jvirt, "Command line: "), "what syslinux handed the kernel");
        // the SMBIOS the kernel read: QEMU's tables from fw_cfg (jvirt's are QEMU 7.2's), SeaBIOS's type 0
        assertTrue(line(reference, "DMI: ") != null, "QEMU's kernel printed no DMI line:\n" + reference);
        assertEquals(line(reference, "DMI: "), line(jvirt, "DMI: "), "the kernel's DMI line");
    }

    private static void assertBoot(String serial, String who) {
        String how = who + "; serial:\n" + serial;
        assertTrue(serial.contains(SEABIOS_BANNER), "no SeaBIOS banner: " + how);
        assertTrue(serial.contains("Booting from Hard Disk..."), "SeaBIOS did not boot the disk: " + how);
        assertTrue(SYSLINUX_BANNER.matcher(serial).find(), "no SYSLINUX banner: " + how);
        assertTrue(serial.contains("Loading /vmlinuz"), "syslinux did not load the kernel: " + how);
        assertTrue(serial.contains("ACPI: Using IOAPIC for interrupt routing"), "the kernel found no ACPI tables: " + how);
        assertTrue(serial.contains("reboot: Power down"), "the kernel did not power off: " + how);
        LinuxImages.assertBootedToInit(serial, who);
    }

    private Process startQemu(Path image, String format) throws java.io.IOException {
        Path log = tmp.resolve("qemu-serial.txt");
        return new ProcessBuilder(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg", "-machine", "pc",
                "-m", Long.toString(RAM >> 20), "-bios", BIOS.toString(), "-nographic", "-nodefaults",
                "-global", "apic-common.vapic=off", "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-drive", "file=" + image + ",if=virtio,format=" + format + ",snapshot=on")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    private static String first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group() : null;
    }

    private static String line(String s, String containing) {
        for (String l : s.split("\r?\n")) if (l.contains(containing)) return l.substring(l.indexOf(containing));
        return null;
    }
}
