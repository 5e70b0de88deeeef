package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reference side of the firmware boot matrix (issue 12): the media test-fixtures/linux/images.sh
 * makes (an MBR disk with syslinux and GRUB's EFI image, raw and qcow2; a hybrid El Torito ISO) boot
 * the Linux guest to its marker under QEMU's TCG with Debian's SeaBIOS on `pc` and OVMF on `q35`,
 * from a disk and from a cdrom. jvirt's firmware boots are checked against these same media.
 */
class BootMediaUnderQemuTest {
    static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
    static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    static final Path OVMF_VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    static final long BOOT_WITHIN_S = 240;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} firmware, {1}, {2}")
    @CsvSource({
        "bios, pc, boot-disk.raw, disk",
        "bios, pc, boot.iso, cdrom",
        "uefi, q35, boot-disk.qcow2, disk",
        "uefi, q35, boot.iso, cdrom",
    })
    void bootsToTheMarker(String firmware, String machine, String medium, String as) throws Exception {
        assumeTrue(Files.isExecutable(QEMU), "skipped: " + QEMU + " (qemu-system-x86) is not installed");
        Path image = requireMedium(medium);
        List<String> cmd = new ArrayList<>(List.of(QEMU.toString(), "-accel", "tcg", "-machine", machine, "-m", "512",
                "-display", "none", "-serial", "stdio", "-no-reboot", "-nodefaults"));
        if (firmware.equals("uefi")) {
            assumeTrue(Files.isRegularFile(OVMF_CODE), "skipped: " + OVMF_CODE + " (ovmf) is not installed");
            Path vars = Files.copy(OVMF_VARS, tmp.resolve("vars.fd"));
            cmd.addAll(List.of("-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE, "-drive", "if=pflash,format=raw,file=" + vars));
        }
        String format = medium.endsWith(".qcow2") ? "qcow2" : "raw";
        cmd.addAll(as.equals("cdrom") ? List.of("-drive", "file=" + image + ",format=raw,media=cdrom,readonly=on")
                : List.of("-drive", "file=" + image + ",format=" + format + ",snapshot=on"));
        Path log = tmp.resolve("serial.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        boolean ended = p.waitFor(BOOT_WITHIN_S, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        String out = Files.readString(log, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        String how = firmware + " on " + machine + " from " + medium + " as " + as + "; serial:\n" + tail(out);
        assertTrue(ended, "QEMU still running after " + BOOT_WITHIN_S + " s: " + how);
        assertTrue(out.contains(firmware.equals("bios") ? (as.equals("cdrom") ? "ISOLINUX " : "SYSLINUX ") : "Linux version "),
                "no boot loader banner: " + how);
        assertTrue(out.contains("Linux version "), "no kernel banner: " + how);
        assertTrue(out.contains("\n" + LinuxImages.READY + "\n"), "no " + LinuxImages.READY + ": " + how);
        assertFalse(out.contains("Kernel panic"), how);
    }

    /** The medium images.sh made, or the test is skipped with the reason it could not. */
    static Path requireMedium(String name) throws IOException {
        Path d = LinuxImages.dir();
        Path why = d.resolve("IMAGES-UNAVAILABLE");
        if (Files.isRegularFile(why)) assumeTrue(false, "skipped: no boot media: " + Files.readString(why).strip());
        Path f = d.resolve(name);
        assumeTrue(Files.isRegularFile(f), "skipped: " + f + " is not built (test-fixtures' build runs linux/images.sh)");
        return f;
    }

    /** QEMU's COM1 text (from serialLog) once the guest powered it off (-no-reboot); fails when it did not within wait. */
    static String awaitPowerOff(Process qemu, Path serialLog, java.time.Duration wait) throws Exception {
        boolean ended = qemu.waitFor(wait.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        if (!ended) qemu.destroyForcibly().waitFor();
        String out = Files.readString(serialLog, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(ended, "QEMU still running after " + wait + ": " + out);
        return out;
    }

    /** s up to and including the first end, or all of s without one. */
    static String upTo(String s, String end) {
        int at = s.indexOf(end);
        return at < 0 ? s : s.substring(0, at + end.length());
    }

    private static String tail(String s) {
        String[] lines = s.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length));
    }
}
