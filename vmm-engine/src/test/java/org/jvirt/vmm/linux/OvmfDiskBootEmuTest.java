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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UEFI on the pc machine: Debian's OVMF (OVMF_CODE_4M.fd read-only, a copy of OVMF_VARS_4M.fd
 * writable, as two pflash units ending at 4 GiB) on the emulator boots the disk images.sh makes
 * from virtio-blk: OVMF's boot manager starts the ESP's GRUB ("UEFI Misc Device" at 00:02.0, the
 * slot after the PIIX functions at 00:01), GRUB loads the Debian kernel, the initrd prints its
 * marker and powers off through jvirt's ACPI tables (installed by OVMF from etc/table-loader, PM
 * block where OVMF put PMBA). QEMU TCG's pc with the same images is the reference, run in the
 * same test: the same console text up to GRUB's banner, the same kernel, command line and PM
 * timer port, and the same variables in the two stores afterwards.
 */
class OvmfDiskBootEmuTest {
    static final Path CODE = Path.of("/usr/share/OVMF/OVMF_CODE_4M.fd");
    static final Path VARS = Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd");
    static final long RAM = 512L << 20;
    static final Duration WAIT = Duration.ofSeconds(300);
    static final String BOOT_MANAGER = "BdsDxe: starting Boot0001 \"UEFI Misc Device\" from PciRoot(0x0)/Pci(0x2,0x0)";
    static final String GRUB = "Welcome to GRUB!";
    static final Pattern KERNEL_BANNER = Pattern.compile("Linux version [^\r\n]+");
    /** Statistics of the firmware's own memory use (pages per type), which differ with the device set: not compared. */
    static final String MEMORY_TYPE_INFORMATION = "MemoryTypeInformation";

    @TempDir
    Path tmp;

    static void assumeOvmf() {
        assumeTrue(Files.isReadable(CODE) && Files.isReadable(VARS), "skipped: " + CODE + " is missing (Debian package ovmf)");
    }

    static MachineConfig uefi(Path disk, Path vars, InMemorySerialBackend serial) {
        return new MachineConfig(RAM, 1, null, null, "", List.of(new MachineConfig.Disk(disk, false)),
                new MachineConfig.Serial.Custom(serial), MachineConfig.Accel.EMU, null, List.of(), null, List.of(),
                List.of(new MachineConfig.Pflash(CODE, true), new MachineConfig.Pflash(vars, false)), MachineConfig.Chipset.PC, List.of(), null, List.of(), null, null, List.of(), null);
    }

    @Test
    void ovmfBootsTheDiskThroughGrubToLinuxAndKeepsTheSameVariablesAsQemu() throws Exception {
        assumeOvmf();
        // CI's 30 minutes: OVMF on the pc boots by default through the driver (JvirtUefiBootTest), OVMF against QEMU in FirmwareBootMatrixEmuTest (q35).
        assumeTrue(FirmwareBootMatrixEmuTest.FULL_MATRIX, "a variant: runs with -Djvirt.boot.matrix=true");
        Path image = BootMediaUnderQemuTest.requireMedium("boot-disk.raw");
        Path disk = Files.copy(image, tmp.resolve("disk.raw"));
        Path jvirtVars = Files.copy(VARS, tmp.resolve("jvirt-vars.fd"));
        Path qemuVars = Files.copy(VARS, tmp.resolve("qemu-vars.fd"));
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? startQemu(image, qemuVars) : null;

        InMemorySerialBackend serial = new InMemorySerialBackend();
        long t0 = System.nanoTime();
        String jvirt;
        try (Machine m = Machine.create(uefi(disk, jvirtVars, serial))) {
            m.start();
            boolean ready = serial.awaitOutput(LinuxImages.READY + "\r\n", WAIT);
            jvirt = serial.output();
            assertTrue(ready, "jvirt (emu) did not reach " + LinuxImages.READY + " in " + WAIT + "; serial:\n" + jvirt);
            MachineExit exit = m.awaitExit(Duration.ofSeconds(60));
            jvirt = serial.output();
            assertEquals(MachineExit.Kind.POWER_OFF, exit == null ? null : exit.kind(), "how the VM ended; serial:\n" + jvirt);
        }
        System.out.printf("OVMF + GRUB + Linux from boot-disk.raw on jvirt emu: %s in %.1f s%n", LinuxImages.READY, (System.nanoTime() - t0) / 1e9);
        assertBoot(jvirt, "jvirt");
        Map<String, byte[]> jvirtStore = OvmfVariableStore.read(jvirtVars);
        assertTrue(jvirtStore.containsKey("BootOrder") && jvirtStore.containsKey("Boot0001"),
                "OVMF wrote its boot options to the variable store: " + jvirtStore.keySet());
        assertFalse(OvmfVariableStore.read(VARS).containsKey("BootOrder"), "the template has none");

        assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
        String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, tmp.resolve("qemu-serial.txt"), WAIT);
        assertBoot(reference, "QEMU TCG");
        assertEquals(BootMediaUnderQemuTest.upTo(reference, GRUB), BootMediaUnderQemuTest.upTo(jvirt, GRUB), "OVMF's console up to GRUB's banner");
        assertEquals(first(KERNEL_BANNER, reference), first(KERNEL_BANNER, jvirt));
        assertEquals(line(reference, "Command line: "), line(jvirt, "Command line: "), "what GRUB handed the kernel");
        assertEquals(line(reference, "ACPI: PM-Timer IO Port: "), line(jvirt, "ACPI: PM-Timer IO Port: "), "where OVMF put the PM block");
        Map<String, byte[]> qemuStore = OvmfVariableStore.read(qemuVars);
        assertEquals(qemuStore.keySet(), jvirtStore.keySet(), "the variables OVMF keeps");
        for (Map.Entry<String, byte[]> v : qemuStore.entrySet()) {
            if (!v.getKey().equals(MEMORY_TYPE_INFORMATION)) assertArrayEquals(v.getValue(), jvirtStore.get(v.getKey()), v.getKey());
        }
    }

    /**
     * A bootindex on the disk (libvirt's &lt;boot order='1'/&gt;) reaches OVMF as fw_cfg's bootorder
     * ("/pci@i0cf8/scsi@2/disk@0,0", HALT with strict=on): OVMF's QemuBootOrderLib matches it to
     * its disk boot option and puts that first in BootOrder (without it UiApp comes first), as
     * under QEMU with the same bootindex; both boot GRUB.
     */
    @Test
    void aBootindexPutsTheDiskFirstInOvmfsBootOrderAsUnderQemu() throws Exception {
        assumeTrue(FirmwareBootMatrixEmuTest.FULL_MATRIX, "a variant: runs with -Djvirt.boot.matrix=true");
        assumeOvmf();
        assumeTrue(Files.isExecutable(BootMediaUnderQemuTest.QEMU), "skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
        Path image = BootMediaUnderQemuTest.requireMedium("boot-disk.raw");
        Path disk = Files.copy(image, tmp.resolve("disk.raw"));
        Path jvirtVars = Files.copy(VARS, tmp.resolve("jvirt-vars.fd"));
        Path qemuVars = Files.copy(VARS, tmp.resolve("qemu-vars.fd"));
        Path log = tmp.resolve("qemu-serial.txt");
        Process qemu = new ProcessBuilder(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg", "-machine", "pc",
                "-m", Long.toString(RAM >> 20), "-display", "none", "-nodefaults", "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + CODE, "-drive", "if=pflash,format=raw,unit=1,file=" + qemuVars,
                "-drive", "file=" + image + ",if=none,id=d0,format=raw,snapshot=on", "-device", "virtio-blk-pci,drive=d0,bootindex=1",
                "-boot", "strict=on")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        String reference;
        try {
            long end = System.nanoTime() + WAIT.toNanos();
            while (!(reference = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1)).contains(GRUB)) {
                assertTrue(qemu.isAlive() && System.nanoTime() < end, "QEMU did not reach GRUB: " + reference);
                Thread.sleep(50);
            }
        } finally {
            qemu.destroyForcibly().waitFor();
        }

        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig c = uefi(disk, jvirtVars, serial).withDisks(List.of(new MachineConfig.Disk(disk, false, null, 1)))
                .withBoot(new MachineConfig.Boot(null, true));
        try (Machine m = Machine.create(c)) {
            m.start();
            assertTrue(serial.awaitOutput(GRUB, WAIT), "jvirt did not reach GRUB; serial:\n" + serial.output());
        }
        assertEquals(BootMediaUnderQemuTest.upTo(reference, GRUB), BootMediaUnderQemuTest.upTo(serial.output(), GRUB));
        byte[] order = OvmfVariableStore.read(jvirtVars).get("BootOrder");
        assertArrayEquals(OvmfVariableStore.read(qemuVars).get("BootOrder"), order, "BootOrder");
        assertArrayEquals(new byte[] {1, 0, 0, 0, 2, 0}, order, "the disk (Boot0001) first, then UiApp and the shell");
    }

    static void assertBoot(String serial, String who) {
        String how = who + "; serial:\n" + serial;
        assertTrue(serial.contains(BOOT_MANAGER), "OVMF did not start the disk's boot loader: " + how);
        assertTrue(serial.contains(GRUB), "no GRUB banner: " + how);
        assertTrue(KERNEL_BANNER.matcher(serial).find(), "no kernel banner: " + how);
        assertTrue(serial.contains("ACPI: Using IOAPIC for interrupt routing"), "the kernel found no ACPI tables: " + how);
        assertTrue(serial.contains("reboot: Power down"), "the kernel did not power off: " + how);
        LinuxImages.assertBootedToInit(serial, who);
    }

    private Process startQemu(Path image, Path vars) throws java.io.IOException {
        Path log = tmp.resolve("qemu-serial.txt");
        return new ProcessBuilder(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg", "-machine", "pc",
                "-m", Long.toString(RAM >> 20), "-display", "none", "-nodefaults", "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + CODE,
                "-drive", "if=pflash,format=raw,unit=1,file=" + vars,
                "-drive", "file=" + image + ",if=virtio,format=raw,snapshot=on")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    static String first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group() : null;
    }

    static String line(String s, String containing) {
        for (String l : s.split("\r?\n")) if (l.contains(containing)) return l.substring(l.indexOf(containing));
        return null;
    }
}
