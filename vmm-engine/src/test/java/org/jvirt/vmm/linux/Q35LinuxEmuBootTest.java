package org.jvirt.vmm.linux;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A direct kernel boot (PVH vmlinux + the test initrd) on the q35 machine under the emulator:
 * jvirt programs the chipset as SeaBIOS would (ECAM at 0xB0000000, PM block at 0x600) and writes
 * ACPI tables with an MCFG; Linux reaches the initrd's marker, uses MMCONFIG for the PCI bus
 * (reserved as an E820 entry, as QEMU's q35 with SeaBIOS has it), finds the root bridge as
 * PNP0A08, the virtio disk, and powers off through the PM block the LPC placed. The reference,
 * run alongside: QEMU TCG {@code -machine q35,smm=off} booting the same kernel through SeaBIOS
 * (which programs the chipset there): the same MMCONFIG, root bridge and chipset lines.
 */
class Q35LinuxEmuBootTest {
    static final Duration BOOT_WITHIN = Duration.ofSeconds(300);
    static final Pattern MMCONFIG = Pattern.compile("PCI: MMCONFIG for domain 0000 \\[bus 00-ff\\] at \\[mem 0xb0000000-0xbfffffff\\] \\(base 0xb0000000\\)");

    @TempDir
    Path tmp;

    /** 512 MiB: all RAM below the ECAM window; 3 GiB: split at 2 GiB as QEMU's q35 does (the same E820 RAM lines). */
    @ParameterizedTest(name = "{0} MiB")
    @ValueSource(longs = {512, 3072})
    void kernelBootsOnQ35UsingMmconfig(long mib) throws Exception {
        assumeTrue(mib == 512 || FirmwareBootMatrixEmuTest.FULL_MATRIX, "a variant (RAM split around the ECAM window): runs with -Djvirt.boot.matrix=true");
        long ram = mib << 20;
        Path kernel = LinuxImages.require("vmlinux");
        Path initrd = LinuxImages.require("initrd.img");
        Path disk = LinuxImages.makeDisk(tmp.resolve("disk.img"));
        Process qemu = Files.isExecutable(BootMediaUnderQemuTest.QEMU) ? startQemu(kernel, initrd, disk, ram) : null;
        try {
            bootAndCompare(kernel, initrd, disk, qemu, ram);
        } finally {
            if (qemu != null) qemu.destroyForcibly().waitFor();
        }
    }

    private void bootAndCompare(Path kernel, Path initrd, Path disk, Process qemu, long ram) throws Exception {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        long t0 = System.nanoTime();
        MachineExit exit;
        try (Machine m = Machine.create(MachineConfig.of(kernel).withAccel(MachineConfig.Accel.EMU)
                .withChipset(MachineConfig.Chipset.Q35)
                .withMemory(ram).withInitrd(initrd)
                .withCmdline(LinuxImages.CMDLINE).withDisks(List.of(new MachineConfig.Disk(disk, false)))
                .withSerial(new MachineConfig.Serial.Custom(serial)))) {
            m.start();
            exit = m.awaitExit(BOOT_WITHIN);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String out = serial.output().replace("\r\n", "\n");
        assertNotNull(exit, "still running after " + BOOT_WITHIN + "; last console lines:\n" + LinuxEmuBootTest.tail(out, 60));
        LinuxImages.assertBootedToInit(out, "VM ended: " + exit);
        assertEquals(MachineExit.Kind.POWER_OFF, exit.kind(), exit + "; last console lines:\n" + LinuxEmuBootTest.tail(out, 60));
        assertTrue(MMCONFIG.matcher(out).find(), "no MMCONFIG window from the MCFG:\n" + out);
        assertTrue(out.contains("PCI: MMCONFIG at [mem 0xb0000000-0xbfffffff] reserved in E820"), "MMCONFIG not accepted:\n" + out);
        assertFalse(out.contains("MMCONFIG has no entries") || out.contains("not using MMCONFIG"), out);
        assertTrue(out.contains("ACPI: PCI Root Bridge [PCI0] (domain 0000 [bus 00-ff])"), "no ACPI PCI root bridge:\n" + out);
        assertTrue(out.contains("pci 0000:00:1f.0: [8086:2918]"), "the ICH9 LPC was not enumerated:\n" + out);
        assertTrue(out.contains("pci 0000:00:00.0: [8086:29c0]"), "the MCH was not enumerated:\n" + out);
        System.out.printf("[linux] emu q35 vmlinux, %d MiB: booted to %s and powered off in %.1f s%n", ram >> 20, LinuxImages.READY, seconds);

        assumeTrue(qemu != null, "QEMU reference skipped: " + BootMediaUnderQemuTest.QEMU + " is not installed");
        String reference = BootMediaUnderQemuTest.awaitPowerOff(qemu, tmp.resolve("qemu-serial.txt"), BOOT_WITHIN).replace("\r\n", "\n");
        LinuxImages.assertBootedToInit(reference, "QEMU TCG q35");
        for (String line : List.of("PCI: MMCONFIG for domain", "PCI: MMCONFIG at", "ACPI: PCI Root Bridge [PCI0]",
                "pci 0000:00:00.0: [", "pci 0000:00:1f.0: [", "pci 0000:00:1f.3: [", "pci 0000:00:1f.0: quirk:",
                "acpi PNP0A08:00: _OSC: OS supports")) {
            assertEquals(line(reference, line), line(out, line), "the kernel's line with '" + line + "'");
        }
        assertEquals(usableE820(reference), usableE820(out), "the RAM the kernel was given");
    }

    /**
     * The kernel's "usable" E820 lines from 1 MiB: where each starts, and all of the range above
     * 4 GiB (below it SeaBIOS keeps the top of low RAM for its tables, jvirt's kernel boot does not).
     */
    static List<String> usableE820(String out) {
        return java.util.Arrays.stream(out.split("\n")).filter(l -> l.contains("BIOS-e820: [mem ") && l.endsWith("usable"))
                .map(l -> l.substring(l.indexOf("BIOS-e820:"))).filter(l -> !l.contains("[mem 0x0000000000000000-"))
                .map(l -> l.contains("[mem 0x0000000100000000-") ? l : l.replaceAll("-0x[0-9a-f]+\\] usable", "] usable")).toList();
    }

    /** The line containing s, without the kernel's timestamp; null if none. */
    static String line(String out, String s) {
        for (String l : out.split("\n")) if (l.contains(s)) return l.substring(l.indexOf(s));
        return null;
    }

    private Process startQemu(Path kernel, Path initrd, Path disk, long ram) throws java.io.IOException {
        Path log = tmp.resolve("qemu-serial.txt");
        return new ProcessBuilder(BootMediaUnderQemuTest.QEMU.toString(), "-accel", "tcg", "-machine", "q35,smm=off",
                "-m", Long.toString(ram >> 20), "-nographic", "-nodefaults", "-no-user-config",
                "-monitor", "none", "-serial", "stdio", "-no-reboot",
                "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", LinuxImages.CMDLINE,
                "-drive", "file=" + disk + ",format=raw,if=none,id=d0,snapshot=on", "-device", "virtio-blk-pci,drive=d0")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    static String first(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? m.group() : null;
    }
}
