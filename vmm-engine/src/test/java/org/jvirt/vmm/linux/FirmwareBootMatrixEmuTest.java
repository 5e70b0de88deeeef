package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The firmware boot matrix of issue 12 ({SeaBIOS, OVMF} x {pc, q35} x {disk, cdrom}), the
 * combinations the other boot tests do not cover: each case boots the Linux guest on the
 * emulator to JVIRT-GUEST-READY and ACPI power-off, and boots QEMU TCG ({@code -machine
 * q35,smm=off} or {@code pc}) with the same firmware, media and bootindexes in the same test as
 * the reference. SeaBIOS: the same COM1 text up to its "Booting from ..." line and the same
 * fw_cfg bootorder (read in both debug logs); OVMF (Debian's non-SMM OVMF_CODE_4M.fd and a copy of
 * OVMF_VARS_4M.fd): the same console up to GRUB's banner, kernel banner, command line and PM
 * timer port (OVMF places the q35's PMBASE at 0x600, the pc's PMBA at 0xB000); the kernel's DMI
 * line (the SMBIOS tables from fw_cfg) is QEMU's.
 *
 * <p>One case per new combination runs by default (each costs 40-120 s here); the variants
 * run with {@code -Djvirt.boot.matrix=true}.
 */
class FirmwareBootMatrixEmuTest {
    static final boolean FULL_MATRIX = Boolean.getBoolean("jvirt.boot.matrix");
    static final Duration WAIT = Duration.ofSeconds(300);
    static final String GRUB = "Welcome to GRUB!";
    /** jvirt's CD-ROMs name themselves JVIRT DVD-ROM (devices.ide.Firmware); OVMF shows the model in its boot option names. */
    static String asQemuNamesDrives(String console) {
        return console.replace("\"UEFI JVIRT DVD-ROM ", "\"UEFI QEMU DVD-ROM ");
    }

    enum Firmware { SEABIOS, OVMF }

    /** Where a medium is attached: bus, the SATA port or IDE position, and its bootindex (null: none). */
    record Medium(String image, Bus bus, int place, Integer bootIndex) {
        boolean cdrom() { return bus == Bus.SATA_CDROM || bus == Bus.IDE_CDROM; }
    }

    /** VIRTIO_ROOT_PORT: virt-install's q35 layout, root ports at 00:01.0 and 00:01.1, the disk behind the first (libvirt's bus 1). */
    enum Bus { VIRTIO, VIRTIO_ROOT_PORT, SATA_DISK, SATA_CDROM, IDE_CDROM }

    /**
     * A boot: firmware, machine, media, the medium it must boot (what the firmware prints when it
     * starts it) and whether it is the default run's representative of its combination.
     */
    record Case(String name, Firmware firmware, MachineConfig.Chipset chipset, List<Medium> media, boolean strict,
                String booting, boolean representative) {
        @Override public String toString() { return name; }
        boolean bootsCdrom() { return media.stream().anyMatch(m -> m.cdrom() && m.bootIndex() != null && media.stream()
                .allMatch(o -> o == m || o.bootIndex() == null || o.bootIndex() > m.bootIndex())) || media.stream().allMatch(Medium::cdrom); }
    }

    static Stream<Case> cases() {
        var q35 = MachineConfig.Chipset.Q35;
        var pc = MachineConfig.Chipset.PC;
        return Stream.of(
                // SeaBIOS, q35, cdrom: the q35's own AHCI at 00:1f.2, port 0 (QEMU's bus ide.0); a variant in CI, where
                // daemon's VirtInstallTest boots the same CD on the same AHCI port through SeaBIOS
                new Case("seabios q35 sata-cdrom", Firmware.SEABIOS, q35,
                        List.of(new Medium("boot.iso", Bus.SATA_CDROM, 0, 0)), true, "Booting from DVD/CD...", false),
                // OVMF, q35, disk
                new Case("ovmf q35 virtio-disk", Firmware.OVMF, q35,
                        List.of(new Medium("boot-disk.raw", Bus.VIRTIO, 0, null)), false, GRUB, true),
                // OVMF, q35, cdrom: OVMF's AHCI driver, the ISO's El Torito EFI image (GRUB); a variant in CI (its
                // minute went to the display tests; OVMF boots from disk in CI here and in OvmfDiskBootEmuTest)
                new Case("ovmf q35 sata-cdrom", Firmware.OVMF, q35,
                        List.of(new Medium("boot.iso", Bus.SATA_CDROM, 0, null)), false, GRUB, false),
                // variants
                new Case("seabios q35 sata-disk", Firmware.SEABIOS, q35,
                        List.of(new Medium("boot-disk.raw", Bus.SATA_DISK, 0, 0)), true, "Booting from Hard Disk...", false),
                new Case("ovmf q35 sata-cdrom port 2 before virtio-disk (bootorder)", Firmware.OVMF, q35,
                        List.of(new Medium("boot-disk.raw", Bus.VIRTIO, 0, 2), new Medium("boot.iso", Bus.SATA_CDROM, 2, 1)),
                        true, GRUB, false),
                new Case("ovmf q35 virtio-disk behind a root port (bootorder)", Firmware.OVMF, q35,
                        List.of(new Medium("boot-disk.raw", Bus.VIRTIO_ROOT_PORT, 0, 1)), true, GRUB, false),
                new Case("ovmf q35 sata-disk", Firmware.OVMF, q35,
                        List.of(new Medium("boot-disk.raw", Bus.SATA_DISK, 0, null)), false, GRUB, false),
                // OVMF, pc, cdrom: the PIIX3 IDE CD-ROM libvirt gives a pc (secondary master, hdc)
                new Case("ovmf pc ide-cdrom", Firmware.OVMF, pc,
                        List.of(new Medium("boot.iso", Bus.IDE_CDROM, 2, null)), false, GRUB, false));
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bootsTheGuestAsQemuDoes(Case c) throws Exception {
        String only = System.getProperty("jvirt.boot.case"); // -Djvirt.boot.case=TEXT: only the cases whose name contains TEXT
        assumeTrue(only == null || c.name().contains(only), "not the case -Djvirt.boot.case names");
        assumeTrue(c.representative() || FULL_MATRIX || only != null, "a variant: runs with -Djvirt.boot.matrix=true");
        if (c.firmware() == Firmware.SEABIOS) {
            assumeTrue(Files.isReadable(SeaBiosDiskBootEmuTest.BIOS), "skipped: " + SeaBiosDiskBootEmuTest.BIOS + " is missing (Debian package seabios)");
        } else {
            OvmfDiskBootEmuTest.assumeOvmf();
        }
        List<Path> images = jvirtImages(c, tmp);
        Path qemuLog = tmp.resolve("qemu-serial.txt"), qemuDebug = tmp.resolve("qemu-debug.txt"), jvirtDebug = tmp.resolve("jvirt-debug.txt");
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? startQemu(c, qemuLog, qemuDebug, tmp) : null;
        String jvirt;
        try {
            jvirt = bootOnJvirt(c, images, jvirtDebug, tmp, MachineConfig.Accel.EMU, null);
        } catch (Throwable e) {
            if (qemu != null) qemu.destroyForcibly().waitFor();
            throw e;
        }
        assertGuestRan(c, jvirt, "jvirt emu");

        assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
        String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, qemuLog, WAIT);
        assertGuestRan(c, reference, "QEMU TCG");
        String mine = asQemuNamesDrives(jvirt);
        assertEquals(BootMediaUnderQemuTest.upTo(reference, c.booting()), BootMediaUnderQemuTest.upTo(mine, c.booting()),
                "the firmware's console up to '" + c.booting() + "'");
        assertEquals(OvmfDiskBootEmuTest.first(OvmfDiskBootEmuTest.KERNEL_BANNER, reference), OvmfDiskBootEmuTest.first(OvmfDiskBootEmuTest.KERNEL_BANNER, jvirt));
        // DMI: the SMBIOS tables jvirt's fw_cfg gives the firmware are QEMU 7.2's, so the kernel reads the same system
        assertTrue(OvmfDiskBootEmuTest.line(reference, "DMI: ") != null, "QEMU's kernel printed no DMI line");
        for (String line : List.of("Command line: ", "ACPI: PM-Timer IO Port: ", "DMI: ")) {
            assertEquals(OvmfDiskBootEmuTest.line(reference, line), OvmfDiskBootEmuTest.line(jvirt, line), "the kernel's line with '" + line + "'");
        }
        if (c.chipset() == MachineConfig.Chipset.Q35) {
            String mmconfig = "PCI: MMCONFIG at [mem 0xb0000000-0xbfffffff] reserved in E820";
            assertTrue(jvirt.contains(mmconfig) && reference.contains(mmconfig), "the kernel uses the ECAM window; jvirt:\n" + jvirt);
        }
        if (c.firmware() == Firmware.SEABIOS) {
            List<String> bootOrder = bootOrder(qemuDebug);
            assertFalse(bootOrder.isEmpty(), "QEMU passed a bootorder");
            assertEquals(bootOrder, bootOrder(jvirtDebug), "fw_cfg's bootorder as SeaBIOS read it");
        } else if (c.strict()) {
            // OVMF's QemuBootOrderLib matched fw_cfg's bootorder to its boot options and ordered BootOrder by it
            byte[] order = OvmfVariableStore.read(tmp.resolve("qemu-vars.fd")).get("BootOrder");
            assertTrue(order != null, "QEMU's OVMF wrote BootOrder");
            assertArrayEquals(order, OvmfVariableStore.read(tmp.resolve("jvirt-vars.fd")).get("BootOrder"), "OVMF's BootOrder");
        }
    }

    /** Copies of the fixtures for jvirt (the guest may write to a disk; QEMU's disk is snapshot=on). */
    static List<Path> jvirtImages(Case c, Path tmp) throws java.io.IOException {
        List<Path> images = new ArrayList<>();
        for (Medium m : c.media()) {
            Path fixture = BootMediaUnderQemuTest.requireMedium(m.image());
            images.add(m.cdrom() ? fixture : Files.copy(fixture, tmp.resolve("jvirt-" + images.size() + "-" + m.image())));
        }
        return images;
    }

    /**
     * Boots the case on jvirt with accel: to the guest's marker and its power-off when until is
     * null, else until the serial console shows until. Returns the serial console's text.
     */
    static String bootOnJvirt(Case c, List<Path> images, Path debugLog, Path tmp, MachineConfig.Accel accel, String until) throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        List<MachineConfig.Disk> disks = new ArrayList<>();
        List<MachineConfig.SataDrive> sata = new ArrayList<>();
        List<MachineConfig.IdeDrive> ide = new ArrayList<>();
        for (int i = 0; i < c.media().size(); i++) {
            Medium m = c.media().get(i);
            Path p = images.get(i);
            switch (m.bus()) {
                case VIRTIO -> disks.add(new MachineConfig.Disk(p, false, ImageFormat.RAW, m.bootIndex()));
                case VIRTIO_ROOT_PORT -> disks.add(new MachineConfig.Disk(p, false, ImageFormat.RAW, m.bootIndex(), null,
                        new org.jvirt.vmm.protocol.launch.PciAddress(1, 0, 0)));
                case SATA_DISK -> sata.add(new MachineConfig.SataDrive(m.place(), false, p, false, ImageFormat.RAW, m.bootIndex(), null));
                case SATA_CDROM -> sata.add(new MachineConfig.SataDrive(m.place(), true, p, true, ImageFormat.RAW, m.bootIndex(), null));
                case IDE_CDROM -> ide.add(new MachineConfig.IdeDrive(m.place(), true, p, true, ImageFormat.RAW, m.bootIndex()));
            }
        }
        MachineConfig config = c.firmware() == Firmware.SEABIOS
                ? MachineConfig.ofFirmware(SeaBiosDiskBootEmuTest.BIOS).withMemory(SeaBiosDiskBootEmuTest.RAM)
                : OvmfDiskBootEmuTest.uefi(images.get(0), Files.copy(OvmfDiskBootEmuTest.VARS, tmp.resolve("jvirt-vars.fd")), serial);
        config = config.withAccel(accel).withChipset(c.chipset()).withSerial(new MachineConfig.Serial.Custom(serial));
        if (c.media().stream().anyMatch(m -> m.bus() == Bus.VIRTIO_ROOT_PORT)) { // the ports before the disks that name them
            config = config.withRootPorts(List.of(new MachineConfig.RootPort(1, org.jvirt.vmm.protocol.launch.PciAddress.root(1, 0), 1, 8),
                    new MachineConfig.RootPort(2, org.jvirt.vmm.protocol.launch.PciAddress.root(1, 1), 2, 9)));
        }
        config = config.withDisks(disks).withSataDrives(sata).withIdeDrives(ide);
        if (c.strict()) config = config.withBoot(new MachineConfig.Boot(null, true));

        long t0 = System.nanoTime();
        String previous = System.getProperty("jvirt.firmware.debuglog");
        System.setProperty("jvirt.firmware.debuglog", debugLog.toString());
        try (Machine m = Machine.create(config)) {
            restore("jvirt.firmware.debuglog", previous);
            m.start();
            String awaited = until == null ? LinuxImages.READY + "\r\n" : until;
            boolean ready = serial.awaitOutput(awaited, WAIT);
            assertTrue(ready, "jvirt (" + accel + ", " + c + ") did not reach " + awaited.strip() + " in " + WAIT + "; serial:\n" + serial.output());
            if (until == null) {
                MachineExit exit = m.awaitExit(Duration.ofSeconds(60));
                assertEquals(MachineExit.Kind.POWER_OFF, exit == null ? null : exit.kind(), "how the VM ended; serial:\n" + serial.output());
            }
        } finally {
            restore("jvirt.firmware.debuglog", previous);
        }
        System.out.printf("boot matrix, %s on jvirt %s: %s in %.1f s%n", c, accel, until == null ? LinuxImages.READY : until.strip(), (System.nanoTime() - t0) / 1e9);
        return serial.output();
    }

    private static void restore(String property, String value) {
        if (value == null) System.clearProperty(property);
        else System.setProperty(property, value);
    }

    /** The firmware started the expected medium's loader, and the guest ran to its marker and powered off. */
    static void assertGuestRan(Case c, String serial, String who) {
        String out = who + ", " + c + "; serial:\n" + serial.replace("\r\n", "\n");
        assertTrue(serial.contains(c.booting()), "the firmware did not get to '" + c.booting() + "': " + out);
        if (c.firmware() == Firmware.SEABIOS) {
            assertTrue(serial.contains(c.bootsCdrom() ? "ISOLINUX " : "SYSLINUX "), "not that medium's boot loader: " + out);
        } else {
            Bus first = c.media().get(0).bus();
            String device = c.bootsCdrom() ? "DVD-ROM" : first == Bus.VIRTIO || first == Bus.VIRTIO_ROOT_PORT ? "Misc Device" : "HARDDISK";
            assertTrue(serial.matches("(?s).*BdsDxe: starting Boot[0-9A-F]{4} \"UEFI [^\"]*" + device + ".*"),
                    "OVMF did not start the " + device + "'s loader: " + out);
        }
        assertTrue(out.contains("Linux version "), "no kernel banner: " + out);
        assertTrue(out.contains("\n" + LinuxImages.READY + "\n"), "no " + LinuxImages.READY + " marker: " + out);
        assertTrue(out.contains("reboot: Power down"), "the kernel did not power off: " + out);
        assertFalse(out.contains("init: insmod ") || out.contains("Kernel panic"), out);
        if (c.media().stream().anyMatch(m -> m.bus() == Bus.VIRTIO || m.bus() == Bus.VIRTIO_ROOT_PORT)) LinuxImages.assertBootedToInit(serial, who);
    }

    /** The entries of fw_cfg's bootorder SeaBIOS printed in its debug log ("boot order:", then "N: PATH"). */
    static List<String> bootOrder(Path debugLog) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String l : Files.readString(debugLog, StandardCharsets.ISO_8859_1).split("\r?\n")) {
            if (l.equals("boot order:")) in = true;
            else if (in && l.matches("\\d+: .*")) out.add(l);
            else in = false;
        }
        return out;
    }

    static Process startQemu(Case c, Path serialLog, Path debugLog, Path tmp) throws java.io.IOException {
        List<String> cmd = new ArrayList<>(List.of(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg",
                "-machine", c.chipset() == MachineConfig.Chipset.Q35 ? "q35,smm=off" : "pc",
                "-nodefaults", "-monitor", "none", "-serial", "stdio", "-no-reboot"));
        if (c.firmware() == Firmware.SEABIOS) {
            cmd.addAll(List.of("-m", Long.toString(SeaBiosDiskBootEmuTest.RAM >> 20), "-bios", SeaBiosDiskBootEmuTest.BIOS.toString(),
                    "-nographic", "-global", "apic-common.vapic=off",
                    "-debugcon", "file:" + debugLog, "-global", "isa-debugcon.iobase=0x402"));
        } else {
            Path vars = Files.copy(OvmfDiskBootEmuTest.VARS, tmp.resolve("qemu-vars.fd"));
            cmd.addAll(List.of("-m", Long.toString(OvmfDiskBootEmuTest.RAM >> 20), "-display", "none",
                    "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + OvmfDiskBootEmuTest.CODE,
                    "-drive", "if=pflash,format=raw,unit=1,file=" + vars));
        }
        if (c.strict()) cmd.addAll(List.of("-boot", "strict=on"));
        if (c.media().stream().anyMatch(m -> m.bus() == Bus.VIRTIO_ROOT_PORT)) {
            cmd.addAll(List.of("-device", "pcie-root-port,id=pci.1,bus=pcie.0,chassis=1,port=0x8,addr=0x1.0x0,multifunction=on",
                    "-device", "pcie-root-port,id=pci.2,bus=pcie.0,chassis=2,port=0x9,addr=0x1.0x1"));
        }
        int n = 0;
        for (Medium m : c.media()) {
            Path image = BootMediaUnderQemuTest.requireMedium(m.image());
            String id = "m" + n++, index = m.bootIndex() == null ? "" : ",bootindex=" + m.bootIndex();
            switch (m.bus()) {
                case VIRTIO -> cmd.addAll(List.of("-drive", "if=none,id=" + id + ",file=" + image + ",format=raw,snapshot=on",
                        "-device", "virtio-blk-pci,drive=" + id + index));
                case VIRTIO_ROOT_PORT -> cmd.addAll(List.of("-drive", "if=none,id=" + id + ",file=" + image + ",format=raw,snapshot=on",
                        "-device", "virtio-blk-pci,bus=pci.1,addr=0x0,drive=" + id + index));
                // the q35's built-in AHCI names its ports' buses ide.0..ide.5
                case SATA_DISK -> cmd.addAll(List.of("-drive", "if=none,id=" + id + ",file=" + image + ",format=raw,snapshot=on",
                        "-device", "ide-hd,bus=ide." + m.place() + ",drive=" + id + index));
                case SATA_CDROM -> cmd.addAll(List.of("-drive", "if=none,id=" + id + ",file=" + image + ",media=cdrom,format=raw,readonly=on",
                        "-device", "ide-cd,bus=ide." + m.place() + ",drive=" + id + index));
                // the PIIX3 IDE: position 2 is the secondary master (bus ide.1, unit 0)
                case IDE_CDROM -> cmd.addAll(List.of("-drive", "if=none,id=" + id + ",file=" + image + ",media=cdrom,format=raw,readonly=on",
                        "-device", "ide-cd,bus=ide." + m.place() / 2 + ",unit=" + m.place() % 2 + ",drive=" + id + index));
            }
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(serialLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }
}
