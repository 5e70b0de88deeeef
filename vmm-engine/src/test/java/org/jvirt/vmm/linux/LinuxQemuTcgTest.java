package org.jvirt.vmm.linux;

import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reference for the Linux image, where QEMU is installed: under QEMU's TCG (no KVM needed)
 * the kernel boots to the initrd's /init, which sees the virtio-blk disk as vda, prints
 * JVIRT-GUEST-READY and powers off (exit 0). This proves the image the KVM tests boot is right;
 * it takes about 3 s. The bzImage boot has QEMU's virtio-rng-pci on /dev/urandom: the
 * reference for the hardware RNG line LinuxEmuBootTest expects of jvirt's.
 */
class LinuxQemuTcgTest {
    static final Duration BOOT_WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vmlinux", "vmlinuz"})
    void bootsToInitSeesTheDiskAndPowersOff(String image) throws Exception {
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: qemu-system-x86_64 is not installed");
        Path kernel = LinuxImages.require(image);
        Path initrd = LinuxImages.require("initrd.img");
        Path disk = LinuxImages.makeDisk(tmp.resolve("disk.img"));
        List<String> args = new ArrayList<>(List.of("-M", "pc", "-accel", "tcg", "-m", String.valueOf(LinuxImages.MEMORY >> 20),
                "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", LinuxImages.CMDLINE,
                "-drive", "file=" + disk + ",format=raw,if=none,id=d0", "-device", "virtio-blk-pci,drive=d0"));
        boolean rng = image.equals("vmlinuz");
        if (rng) {
            args.set(args.indexOf(LinuxImages.CMDLINE), LinuxImages.CMDLINE + " " + LinuxImages.RNG_WORD);
            args.addAll(List.of("-object", "rng-random,filename=/dev/urandom,id=rng0", "-device", "virtio-rng-pci,rng=rng0"));
        }
        Path qboot = Path.of("/usr/share/qemu/qboot.rom");
        if (Files.isRegularFile(qboot)) args.addAll(List.of("-bios", qboot.toString()));
        long t0 = System.nanoTime();
        try (QemuQmp q = QemuQmp.start(tmp, args.toArray(String[]::new))) {
            Integer status = q.awaitExit(BOOT_WITHIN);
            String out = q.output();
            assertNotNull(status, "QEMU still running after " + BOOT_WITHIN + "; output:\n" + out);
            LinuxImages.assertBootedToInit(out, "QEMU exit status " + status);
            assertEquals(0, status, out);
            if (rng) assertTrue(out.contains(LinuxImages.RNG_REPORT), "Linux did not read QEMU's virtio-rng:\n" + out);
            System.out.printf("[linux] QEMU TCG %s: booted to %s and powered off in %.1f s%n", image, LinuxImages.READY,
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
