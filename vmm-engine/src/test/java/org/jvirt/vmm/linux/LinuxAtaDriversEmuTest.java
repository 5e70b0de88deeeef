package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Linux's own ATA drivers on jvirt's controllers: the Debian generic kernel (the cloud kernel
 * has no ahci) with build-generic.sh's initrd and {@code jvirt.ata=1} loads ahci on the q35's
 * ICH9 AHCI, or ata_piix on the pc's PIIX3 IDE, with a 64 MiB disk and the build's boot.iso as
 * CD-ROM. Its /init reports each disk and CD-ROM (model, size, read-only, the first MiB's md5),
 * writes a sector to the disk and reads it back past the page cache. QEMU 7.2 TCG with the same
 * kernel, initrd, controller and media is the reference in the same test: the same lines (jvirt's
 * CD-ROM names itself JVIRT DVD-ROM where QEMU's says QEMU DVD-ROM), libata's lines on each drive
 * (IDENTIFY's model, revision, size, modes, the DMA mode libata configures through the PIIX3's
 * bus master; one named difference: no NCQ on jvirt's AHCI), and on both the kernel logs
 * no ATA error (no failed command, timeout or link reset). The disk's bytes written by the guest
 * are in jvirt's image file.
 *
 * <p>A variant (~40 s each on a quiet machine, 90-110 s loaded): runs with
 * {@code -Djvirt.boot.matrix=true}.
 */
class LinuxAtaDriversEmuTest {
    static final Duration WAIT = Duration.ofSeconds(300);
    static final String READY = "JVIRT-ATA-READY";
    static final String CMDLINE = "console=ttyS0 panic=-1 nokaslr jvirt.ata=1";
    static final long DISK_BYTES = 64L << 20;
    /** What libata prints when a command fails or the link has to be reset. */
    static final List<String> ATA_ERRORS = List.of("failed command", "exception Emask", "hard resetting link", "timeout", "link is slow");

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"q35 ahci", "pc ata_piix"})
    void linuxDriversSeeAndUseTheDisksAsUnderQemu(String machine) throws Exception {
        assumeTrue(FirmwareBootMatrixEmuTest.FULL_MATRIX, "a variant (a generic kernel boot per controller): runs with -Djvirt.boot.matrix=true");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        boolean q35 = machine.startsWith("q35");
        Path vmlinux = GenericLinux.require("vmlinux"), vmlinuz = GenericLinux.require("vmlinuz"), initrd = GenericLinux.require("initrd-display.img");
        Path iso = BootMediaUnderQemuTest.requireMedium("boot.iso");
        Path qemuDisk = blank(tmp.resolve("qemu-disk.raw")), jvirtDisk = blank(tmp.resolve("jvirt-disk.raw"));

        String qemu = onQemu(q35, vmlinuz, initrd, qemuDisk, iso);
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(vmlinux).withAccel(MachineConfig.Accel.EMU).withMemory(512L << 20)
                .withInitrd(initrd).withCmdline(CMDLINE).withSerial(new MachineConfig.Serial.Custom(serial))
                .withChipset(q35 ? MachineConfig.Chipset.Q35 : MachineConfig.Chipset.PC);
        config = q35
                ? config.withSataDrives(List.of(new MachineConfig.SataDrive(0, false, jvirtDisk, false, ImageFormat.RAW, null, null),
                        new MachineConfig.SataDrive(1, true, iso, true, ImageFormat.RAW, null, null)))
                // the primary master and the secondary master, as QEMU's ide.0 unit 0 and ide.1 unit 0
                : config.withIdeDrives(List.of(new MachineConfig.IdeDrive(0, false, jvirtDisk, false, ImageFormat.RAW, null),
                        new MachineConfig.IdeDrive(2, true, iso, true, ImageFormat.RAW, null)));
        long t0 = System.nanoTime();
        MachineExit exit;
        try (Machine m = Machine.create(config)) {
            m.start();
            exit = m.awaitExit(WAIT);
        }
        String jvirt = serial.output().replace("\r\n", "\n");
        assertNotNull(exit, "jvirt (emu, " + machine + ") still running after " + WAIT + ":\n" + jvirt);
        System.out.printf("[linux] ATA drivers, %s on jvirt emu: %s in %.1f s%n", machine, READY, (System.nanoTime() - t0) / 1e9);

        List<String> reference = initLines(qemu);
        assertTrue(qemu.contains(READY) && reference.size() == 3, "QEMU TCG:\n" + qemu);
        assertTrue(jvirt.contains(READY), "jvirt (emu) did not get to " + READY + ":\n" + jvirt);
        assertEquals(reference, initLines(jvirt.replace("'JVIRT DVD-ROM'", "'QEMU DVD-ROM'")), "what Linux's drivers saw and did");
        assertTrue(reference.get(1).matches("init: ata sda wrote (\\w+), expected \\1"), reference.get(1));
        for (String error : ATA_ERRORS) {
            assertFalse(qemu.contains(error), "QEMU's kernel logged '" + error + "':\n" + qemu);
            assertFalse(jvirt.contains(error), "jvirt's kernel logged '" + error + "':\n" + jvirt);
        }
        // one known difference, named: jvirt's AHCI drives do not offer NCQ (AhciController)
        List<String> expected = ataLines(qemu).stream().map(l -> l.replace(" NCQ (depth 32)", "")).sorted().toList();
        List<String> seen = ataLines(jvirt.replace("JVIRT DVD-ROM", "QEMU DVD-ROM")).stream().sorted().toList();
        assertEquals(expected, seen, "libata's lines on the drives (sorted: the ports probe in parallel)");
        byte[] written = new byte[40];
        try (RandomAccessFile f = new RandomAccessFile(jvirtDisk.toFile(), "r")) {
            f.seek(2048L * 512);
            f.readFully(written);
        }
        String sector = new String(written, StandardCharsets.US_ASCII);
        assertTrue(sector.startsWith("jvirt ata sda 1 2 3 4 5 6 7 8 9 10 11"), "the guest's write in the image: " + sector);
    }

    /** libata's lines about each drive (ataN.DD: ...), without the kernel's timestamps. */
    private static List<String> ataLines(String console) {
        List<String> out = new ArrayList<>();
        for (String l : console.split("\n")) {
            String text = l.replaceFirst("^\\[ *[0-9.]+\\] ", "");
            if (text.matches("ata\\d+\\.\\d\\d: .*")) out.add(text.stripTrailing());
        }
        return out;
    }

    private static Path blank(Path p) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(DISK_BYTES);
        }
        return p;
    }

    /** The init's report lines, in order. */
    private static List<String> initLines(String console) {
        List<String> out = new ArrayList<>();
        for (String l : console.replace("\r\n", "\n").split("\n")) if (l.startsWith("init: ata ")) out.add(l);
        return out;
    }

    private String onQemu(boolean q35, Path kernel, Path initrd, Path disk, Path iso) throws Exception {
        Path log = tmp.resolve("qemu-serial.txt");
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-machine", q35 ? "q35" : "pc", "-m", "512",
                "-nodefaults", "-display", "none", "-serial", "stdio", "-no-reboot", "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", CMDLINE, "-drive", "if=none,id=d0,file=" + disk + ",format=raw",
                "-drive", "if=none,id=c0,file=" + iso + ",media=cdrom,format=raw,readonly=on"));
        cmd.addAll(q35 ? List.of("-device", "ide-hd,bus=ide.0,drive=d0", "-device", "ide-cd,bus=ide.1,drive=c0")
                : List.of("-device", "ide-hd,bus=ide.0,unit=0,drive=d0", "-device", "ide-cd,bus=ide.1,unit=0,drive=c0"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("QEMU TCG did not power off in " + WAIT + ":\n" + Files.readString(log));
        }
        return Files.readString(log, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    }
}
