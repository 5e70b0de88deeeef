package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.jvirt.vmm.protocol.launch.PciAddress;

/**
 * SeaBIOS on q35 with virt-install's layout: root ports at 00:01.0 and 00:01.1, the boot disk
 * behind the first (libvirt's bus 1, slot 0) with bootindex 1 and a strict boot order, on the
 * emulator. SeaBIOS must number the ports' buses, open their windows, find the disk through
 * the forwarded configuration cycles, and match jvirt's bootorder path for it
 * ("/pci@i0cf8/pci-bridge@1/scsi@0/disk@0,0"), else a strict boot finds nothing; Linux then
 * finds the bridges as SeaBIOS programmed them. QEMU TCG with the same -device layout and
 * bootindex is the reference: the same SeaBIOS COM1 lines up to "Booting from Hard Disk...",
 * the same kernel lines for both bridges. About 55 s here: behind -Djvirt.boot.matrix=true, the
 * kernel boot with root ports (Q35RootPortLinuxEmuBootTest) runs by default.
 */
class Q35SeaBiosRootPortBootEmuTest {
    @TempDir
    Path tmp;

    static final List<String> LINES = List.of("pci 0000:00:01.0: [1b36:000c] type 01", "pci 0000:00:01.1: [1b36:000c] type 01",
            "pci 0000:00:01.0: PCI bridge to [bus 01]", "pci 0000:00:01.1: PCI bridge to [bus 02]");

    @Test
    void seabiosBootsTheDiskBehindARootPort() throws Exception {
        assumeTrue(FirmwareBootMatrixEmuTest.FULL_MATRIX, "a variant (~55 s: SeaBIOS programs the root ports): runs with -Djvirt.boot.matrix=true");
        assumeTrue(Files.isReadable(SeaBiosDiskBootEmuTest.BIOS), "skipped: " + SeaBiosDiskBootEmuTest.BIOS + " is missing (Debian package seabios)");
        Path image = BootMediaUnderQemuTest.requireMedium("boot-disk.raw");
        Path copy = Files.copy(image, tmp.resolve("boot-disk.raw"));
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? startQemu(image) : null;
        try {
            InMemorySerialBackend serial = new InMemorySerialBackend();
            MachineConfig c = MachineConfig.ofFirmware(SeaBiosDiskBootEmuTest.BIOS).withMemory(SeaBiosDiskBootEmuTest.RAM)
                    .withAccel(MachineConfig.Accel.EMU).withChipset(MachineConfig.Chipset.Q35)
                    .withRootPorts(List.of(new MachineConfig.RootPort(1, PciAddress.root(1, 0), 1, 0x8),
                            new MachineConfig.RootPort(2, PciAddress.root(1, 1), 2, 0x9)))
                    .withDisks(List.of(new MachineConfig.Disk(copy, false, null, 1, null, new PciAddress(1, 0, 0))))
                    .withBoot(new MachineConfig.Boot(null, true))
                    .withSerial(new MachineConfig.Serial.Custom(serial));
            long t0 = System.nanoTime();
            String jvirt;
            try (Machine m = Machine.create(c)) {
                m.start();
                boolean ready = serial.awaitOutput(LinuxImages.READY + "\r\n", SeaBiosDiskBootEmuTest.WAIT);
                jvirt = serial.output();
                assertTrue(ready, "jvirt (emu, q35, root ports) did not reach " + LinuxImages.READY + "; serial:\n" + jvirt);
                MachineExit exit = m.awaitExit(java.time.Duration.ofSeconds(60));
                jvirt = serial.output();
                assertEquals(MachineExit.Kind.POWER_OFF, exit == null ? null : exit.kind(), "how the VM ended; serial:\n" + jvirt);
            }
            System.out.printf("SeaBIOS + Linux on jvirt emu q35, disk behind a root port: %s in %.1f s%n", LinuxImages.READY, (System.nanoTime() - t0) / 1e9);
            String out = jvirt.replace("\r\n", "\n");
            assertTrue(out.contains("Booting from Hard Disk..."), "SeaBIOS did not boot the disk: " + out);
            LinuxImages.assertBootedToInit(out, "jvirt q35");
            for (String line : LINES) assertNotNull(Q35LinuxEmuBootTest.line(out, line), "no '" + line + "':\n" + out);

            assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
            String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, tmp.resolve("qemu-serial.txt"), SeaBiosDiskBootEmuTest.WAIT);
            String ref = reference.replace("\r\n", "\n");
            LinuxImages.assertBootedToInit(ref, "QEMU TCG q35");
            assertEquals(BootMediaUnderQemuTest.upTo(reference, "Booting from Hard Disk..."), BootMediaUnderQemuTest.upTo(jvirt, "Booting from Hard Disk..."));
            for (String line : LINES) assertEquals(Q35LinuxEmuBootTest.line(ref, line), Q35LinuxEmuBootTest.line(out, line), "the kernel's line with '" + line + "'");
        } finally {
            if (qemu != null) qemu.destroyForcibly().waitFor();
        }
    }

    private Process startQemu(Path image) throws java.io.IOException {
        Path log = tmp.resolve("qemu-serial.txt");
        return new ProcessBuilder(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg", "-machine", "q35,smm=off",
                "-m", Long.toString(SeaBiosDiskBootEmuTest.RAM >> 20), "-bios", SeaBiosDiskBootEmuTest.BIOS.toString(),
                "-nographic", "-nodefaults", "-global", "apic-common.vapic=off", "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-boot", "strict=on",
                "-device", "pcie-root-port,id=pci.1,bus=pcie.0,chassis=1,port=0x8,addr=0x1.0x0,multifunction=on",
                "-device", "pcie-root-port,id=pci.2,bus=pcie.0,chassis=2,port=0x9,addr=0x1.0x1",
                "-drive", "file=" + image + ",if=none,id=d0,format=raw,snapshot=on", "-device", "virtio-blk-pci,bus=pci.1,addr=0x0,drive=d0,bootindex=1")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }
}
