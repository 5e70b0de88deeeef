package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.jvirt.vmm.protocol.launch.PciAddress;

/**
 * virt-install's q35 layout under the emulator: PCIe root ports at 00:02.0 (chassis 1, port
 * 0x10) and 00:02.1 (chassis 2, port 0x11), the virtio disk behind the first at 01:00.0, a
 * virtio-rng behind the second at 02:00.0 (Linux's virtio_rng becomes its hardware RNG). jvirt
 * numbers the ports' buses and opens their windows as SeaBIOS would (a kernel boot); Linux
 * enumerates the ports as bridges, finds the disk on bus 01 through the forwarded (ECAM)
 * configuration cycles, drives it (MSI-X) and reaches the initrd's marker. The reference, run
 * alongside: QEMU TCG q35 with the same -device pcie-root-port/virtio-blk-pci layout, booted
 * through SeaBIOS: the same lines for both bridges and the devices' IDs.
 */
class Q35RootPortLinuxEmuBootTest {
    static final Duration BOOT_WITHIN = Duration.ofSeconds(300);

    @TempDir
    Path tmp;

    @Test
    void diskBehindARootPortIsFoundAndRead() throws Exception {
        Path kernel = LinuxImages.require("vmlinux");
        Path initrd = LinuxImages.require("initrd.img");
        Path disk = LinuxImages.makeDisk(tmp.resolve("disk.img"));
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? startQemu(kernel, initrd, disk) : null;
        try {
            InMemorySerialBackend serial = new InMemorySerialBackend();
            long t0 = System.nanoTime();
            MachineExit exit;
            try (Machine m = Machine.create(MachineConfig.of(kernel).withAccel(MachineConfig.Accel.EMU)
                    .withChipset(MachineConfig.Chipset.Q35).withMemory(LinuxImages.MEMORY).withInitrd(initrd)
                    .withCmdline(LinuxImages.CMDLINE + " " + LinuxImages.RNG_WORD)
                    .withRng(new MachineConfig.Rng(Path.of("/dev/urandom"), new PciAddress(2, 0, 0)))
                    .withRootPorts(List.of(new MachineConfig.RootPort(1, PciAddress.root(2, 0), 1, 0x10),
                            new MachineConfig.RootPort(2, PciAddress.root(2, 1), 2, 0x11)))
                    .withDisks(List.of(new MachineConfig.Disk(disk, false, null, null, null, new PciAddress(1, 0, 0))))
                    .withSerial(new MachineConfig.Serial.Custom(serial)))) {
                m.start();
                exit = m.awaitExit(BOOT_WITHIN);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            String out = serial.output().replace("\r\n", "\n");
            assertNotNull(exit, "still running after " + BOOT_WITHIN + "; last console lines:\n" + LinuxEmuBootTest.tail(out, 60));
            LinuxImages.assertBootedToInit(out, "VM ended: " + exit);
            assertEquals(MachineExit.Kind.POWER_OFF, exit.kind(), exit + "; last console lines:\n" + LinuxEmuBootTest.tail(out, 60));
            for (String line : LINES) assertNotNull(Q35LinuxEmuBootTest.line(out, line), "no '" + line + "':\n" + out);
            assertTrue(out.contains(LinuxImages.RNG_REPORT), "the rng behind the second port: " + out);
            System.out.printf("[linux] emu q35, disk behind a root port: booted to %s and powered off in %.1f s%n", LinuxImages.READY, seconds);

            assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
            String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, tmp.resolve("qemu-serial.txt"), BOOT_WITHIN).replace("\r\n", "\n");
            LinuxImages.assertBootedToInit(reference, "QEMU TCG q35");
            assertTrue(reference.contains(LinuxImages.RNG_REPORT), reference);
            for (String line : LINES) {
                assertNotNull(Q35LinuxEmuBootTest.line(reference, line), "QEMU's kernel printed no '" + line + "':\n" + reference);
                if (line.contains("1af4:1042")) continue; // the disk's class differs: 0x0180 here (a conventional PCI function), 0x0100 in QEMU
                assertEquals(Q35LinuxEmuBootTest.line(reference, line), Q35LinuxEmuBootTest.line(out, line), "the kernel's line with '" + line + "'");
            }
        } finally {
            if (qemu != null) qemu.destroyForcibly().waitFor();
        }
    }

    /** Lines both kernels print alike (the windows' addresses are the firmware's choice, and differ). */
    static final List<String> LINES = List.of(
            "pci 0000:00:02.0: [1b36:000c] type 01", "pci 0000:00:02.1: [1b36:000c] type 01",
            "pci 0000:00:02.0: PCI bridge to [bus 01]", "pci 0000:00:02.1: PCI bridge to [bus 02]",
            "pci 0000:01:00.0: [1af4:1042] type 00", "pci 0000:02:00.0: [1af4:1044] type 00");

    private Process startQemu(Path kernel, Path initrd, Path disk) throws java.io.IOException {
        Path log = tmp.resolve("qemu-serial.txt");
        return new ProcessBuilder(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg", "-machine", "q35,smm=off",
                "-m", Long.toString(LinuxImages.MEMORY >> 20), "-nographic", "-nodefaults", "-no-user-config",
                "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", LinuxImages.CMDLINE + " " + LinuxImages.RNG_WORD,
                "-device", "pcie-root-port,id=pci.1,bus=pcie.0,chassis=1,port=0x10,addr=0x2.0x0,multifunction=on",
                "-device", "pcie-root-port,id=pci.2,bus=pcie.0,chassis=2,port=0x11,addr=0x2.0x1",
                "-drive", "file=" + disk + ",format=raw,if=none,id=d0,snapshot=on", "-device", "virtio-blk-pci,bus=pci.1,addr=0x0,drive=d0",
                "-object", "rng-random,id=objrng0,filename=/dev/urandom", "-device", "virtio-rng-pci,rng=objrng0,bus=pci.2,addr=0x0")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }
}
