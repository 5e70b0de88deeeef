package org.jvirt.vmm.firmware;

import org.jvirt.vmm.machine.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, deliver 1: SeaBIOS boots on the emulator's pc machine (reset vector, ROM and its
 * shadow, fw_cfg, PCI host bridge, CMOS, PIT, PIC) and writes on COM1 exactly what it writes
 * under QEMU TCG with the same firmware and no disks.
 */
class SeaBiosEmuTest {

    @Test
    void seabiosSerialOutputMatchesQemu(@TempDir Path dir) throws Exception {
        SeaBiosReference.assumeBios();
        SeaBiosReference.assumeQemu();
        String qemu = SeaBiosReference.bootOnQemu(dir);
        String jvirt = SeaBiosReference.bootOnJvirt(MachineConfig.Accel.EMU);
        List<String> expected = SeaBiosReference.lines(qemu);
        assertTrue(expected.stream().anyMatch(l -> l.contains("SeaBIOS (version ")), "QEMU's output: " + qemu);
        assertEquals(expected, SeaBiosReference.lines(jvirt));
        assertEquals(qemu, jvirt, "byte for byte (terminal escapes, CR LF)");
    }

    /**
     * SeaBIOS's debug log (port 0x402) under both: QEMU's pc has devices jvirt has not (PIIX3
     * IDE, PIIX4 PM with ACPI tables, fw_cfg DMA), so each log has lines of its own; the lines
     * the two logs share must come in the same order, and the probing steps below must be among them.
     */
    @Test
    void seabiosProbesTheMachineAsUnderQemu(@TempDir Path dir) throws Exception {
        SeaBiosReference.assumeBios();
        SeaBiosReference.assumeQemu();
        Path qemuLog = dir.resolve("qemu-debug.txt"), jvirtLog = dir.resolve("jvirt-debug.txt");
        SeaBiosReference.bootOnQemu(dir, qemuLog);
        SeaBiosReference.bootOnJvirt(MachineConfig.Accel.EMU, jvirtLog);
        List<String> q = debugLines(qemuLog), j = debugLines(jvirtLog);
        java.util.Set<String> inQ = new java.util.HashSet<>(q), inJ = new java.util.HashSet<>(j);
        List<String> sharedQ = q.stream().filter(inJ::contains).toList(), sharedJ = j.stream().filter(inQ::contains).toList();
        assertEquals(sharedQ, sharedJ, "the lines both logs have, in order");
        for (String step : List.of("Running on QEMU (i440fx)", "Found QEMU fw_cfg",
                "qemu/e820: addr 0x0000000000000000 len 0x0000000010000000 [RAM]", "=== PCI device probing ===",
                "PCI: init bdf=00:00.0 id=8086:1237", "Found 1 cpu(s) max supported 1 cpu(s)", "sercon: using ioport 0x3f8",
                "  0: 0000000000000000 - 000000000009fc00 = 1 RAM", "Booting from Hard Disk...", "No bootable device.")) {
            assertTrue(sharedJ.contains(step), "both logs have '" + step + "'; jvirt's:\n" + String.join("\n", j));
        }
    }

    /** A host reset (virsh reset) runs the firmware again from the reset vector, from a fresh shadow and fw_cfg. */
    @Test
    void aResetBootsSeabiosAgain() throws Exception {
        SeaBiosReference.assumeBios();
        org.jvirt.vmm.devices.serial.InMemorySerialBackend serial = new org.jvirt.vmm.devices.serial.InMemorySerialBackend();
        MachineConfig c = MachineConfig.ofFirmware(SeaBiosReference.BIOS).withAccel(MachineConfig.Accel.EMU)
                .withSerial(new MachineConfig.Serial.Custom(serial));
        try (org.jvirt.vmm.machine.Machine m = org.jvirt.vmm.machine.Machine.create(c)) {
            m.start();
            assertTrue(serial.awaitOutput(SeaBiosReference.LAST, SeaBiosReference.WAIT), serial.output());
            String first = settled(serial);
            m.reset();
            long end = System.nanoTime() + SeaBiosReference.WAIT.toNanos();
            while (System.nanoTime() < end && serial.output().length() < 2 * first.length()) Thread.sleep(50);
            assertEquals(first + first, serial.output().substring(0, 2 * first.length()), "the same boot, twice");
            assertEquals(1, m.resetCount());
        }
    }

    /** The output once it has not grown for half a second (SeaBIOS then waits forever). */
    private static String settled(org.jvirt.vmm.devices.serial.InMemorySerialBackend serial) throws InterruptedException {
        String before;
        do {
            before = serial.output();
            Thread.sleep(500);
        } while (!before.equals(serial.output()));
        return before;
    }

    private static List<String> debugLines(Path log) throws java.io.IOException {
        String text = java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        int end = text.indexOf(SeaBiosReference.LAST);
        return List.of((end < 0 ? text : text.substring(0, end + SeaBiosReference.LAST.length())).split("\r?\n"));
    }
}
