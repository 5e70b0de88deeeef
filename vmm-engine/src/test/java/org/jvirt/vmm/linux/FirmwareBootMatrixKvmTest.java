package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.jvirt.vmm.linux.FirmwareBootMatrixEmuTest.Bus;
import org.jvirt.vmm.linux.FirmwareBootMatrixEmuTest.Case;
import org.jvirt.vmm.linux.FirmwareBootMatrixEmuTest.Firmware;
import org.jvirt.vmm.linux.FirmwareBootMatrixEmuTest.Medium;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.RequiresKvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KVM column of issue 12's boot matrix ({SeaBIOS, OVMF} x {pc, q35} x {disk, cdrom}), QEMU
 * TCG with the same firmware and media as the reference in the same test.
 *
 * <p>By default, as far as a KVM that runs guest ring 0 slowly allows (this project's machines,
 * see ../shared/spec/kvm-on-this-machine.md): SeaBIOS under KVM finds the medium and starts its
 * boot loader (SYSLINUX from the disk, ISOLINUX from the CD), its console up to "Booting from
 * ..." as QEMU's and, on the q35, the same fw_cfg bootorder. With
 * {@code -Djvirt.linux.fullboot=true} (a host with hardware virtualization) every case boots the
 * Linux guest to JVIRT-GUEST-READY and powers off, and the OVMF cases run (OVMF needs SSE in ring
 * 0, which the slow KVM cannot run), each checked as FirmwareBootMatrixEmuTest checks the emulator.
 */
@RequiresKvm
class FirmwareBootMatrixKvmTest {
    static final boolean FULL_BOOT = Boolean.getBoolean("jvirt.linux.fullboot");

    static Stream<Case> cases() {
        var q35 = MachineConfig.Chipset.Q35;
        var pc = MachineConfig.Chipset.PC;
        String disk = "Booting from Hard Disk...", cd = "Booting from DVD/CD...", grub = FirmwareBootMatrixEmuTest.GRUB;
        return Stream.of(
                new Case("kvm seabios pc virtio-disk", Firmware.SEABIOS, pc, List.of(new Medium("boot-disk.raw", Bus.VIRTIO, 0, 0)), true, disk, true),
                new Case("kvm seabios pc ide-cdrom", Firmware.SEABIOS, pc, List.of(new Medium("boot.iso", Bus.IDE_CDROM, 2, 0)), true, cd, true),
                new Case("kvm seabios q35 virtio-disk", Firmware.SEABIOS, q35, List.of(new Medium("boot-disk.raw", Bus.VIRTIO, 0, 0)), true, disk, true),
                new Case("kvm seabios q35 sata-cdrom", Firmware.SEABIOS, q35, List.of(new Medium("boot.iso", Bus.SATA_CDROM, 0, 0)), true, cd, true),
                new Case("kvm ovmf pc virtio-disk", Firmware.OVMF, pc, List.of(new Medium("boot-disk.raw", Bus.VIRTIO, 0, null)), false, grub, true),
                new Case("kvm ovmf pc ide-cdrom", Firmware.OVMF, pc, List.of(new Medium("boot.iso", Bus.IDE_CDROM, 2, null)), false, grub, true),
                new Case("kvm ovmf q35 virtio-disk", Firmware.OVMF, q35, List.of(new Medium("boot-disk.raw", Bus.VIRTIO, 0, null)), false, grub, true),
                new Case("kvm ovmf q35 sata-cdrom", Firmware.OVMF, q35, List.of(new Medium("boot.iso", Bus.SATA_CDROM, 0, null)), false, grub, true));
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bootsAsFarAsThisKvmAllows(Case c) throws Exception {
        if (c.firmware() == Firmware.SEABIOS) {
            assumeTrue(Files.isReadable(SeaBiosDiskBootEmuTest.BIOS), "skipped: " + SeaBiosDiskBootEmuTest.BIOS + " is missing (Debian package seabios)");
        } else {
            assumeTrue(FULL_BOOT, "skipped: OVMF under KVM needs SSE in guest ring 0: -Djvirt.linux.fullboot=true on a host with hardware virtualization");
            OvmfDiskBootEmuTest.assumeOvmf();
        }
        List<Path> images = FirmwareBootMatrixEmuTest.jvirtImages(c, tmp);
        Path qemuLog = tmp.resolve("qemu-serial.txt"), qemuDebug = tmp.resolve("qemu-debug.txt"), jvirtDebug = tmp.resolve("jvirt-debug.txt");
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? FirmwareBootMatrixEmuTest.startQemu(c, qemuLog, qemuDebug, tmp) : null;
        String loader = c.bootsCdrom() ? "ISOLINUX " : "SYSLINUX ";
        String jvirt;
        try {
            jvirt = FirmwareBootMatrixEmuTest.bootOnJvirt(c, images, jvirtDebug, tmp, MachineConfig.Accel.KVM, FULL_BOOT ? null : loader);
        } catch (Throwable e) {
            if (qemu != null) qemu.destroyForcibly().waitFor();
            throw e;
        }
        if (FULL_BOOT) FirmwareBootMatrixEmuTest.assertGuestRan(c, jvirt, "jvirt kvm");
        else assertTrue(jvirt.contains(c.booting()) && jvirt.contains(loader), "SeaBIOS did not start the boot loader; serial:\n" + jvirt);

        assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
        String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, qemuLog, FirmwareBootMatrixEmuTest.WAIT);
        FirmwareBootMatrixEmuTest.assertGuestRan(c, reference, "QEMU TCG");
        assertEquals(BootMediaUnderQemuTest.upTo(reference, c.booting()),
                BootMediaUnderQemuTest.upTo(FirmwareBootMatrixEmuTest.asQemuNamesDrives(jvirt), c.booting()),
                "the firmware's console up to '" + c.booting() + "'");
        // jvirt-vmm's pc places devices from slot 1 when it boots SeaBIOS (the PIIX3's functions are there only for UEFI), so
        // its bootorder paths name other slots than QEMU's; the q35's layout is QEMU's
        if (c.firmware() == Firmware.SEABIOS && c.chipset() == MachineConfig.Chipset.Q35) {
            List<String> bootOrder = FirmwareBootMatrixEmuTest.bootOrder(qemuDebug);
            assertFalse(bootOrder.isEmpty(), "QEMU passed a bootorder");
            assertEquals(bootOrder, FirmwareBootMatrixEmuTest.bootOrder(jvirtDebug), "fw_cfg's bootorder as SeaBIOS read it");
        }
    }
}
