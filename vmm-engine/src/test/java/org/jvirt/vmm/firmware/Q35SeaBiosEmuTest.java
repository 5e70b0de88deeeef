package org.jvirt.vmm.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jvirt.vmm.machine.MachineConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SeaBIOS with no disks on jvirt's q35 (emulator) and on QEMU TCG {@code -machine q35,smm=off}:
 * COM1 byte for byte the same up to "No bootable device.", and SeaBIOS's debug log (port 0x402)
 * shows it probing the same chipset: q35 recognised, the ECAM window enabled and used, the LPC's
 * PIRQ/ELCR setup, the PM timer at the PMBASE it programmed, the MCH/LPC/SMBus functions. QEMU's
 * q35 has an AHCI at 00:1f.2 jvirt has not (yet), so each log has lines of its own; the lines
 * they share come in the same order. With 3 GiB of RAM the RAM is split as QEMU's q35 splits it
 * (2 GiB low, the rest above 4 GiB): the same fw_cfg e820 entries and final e820 map.
 */
class Q35SeaBiosEmuTest {

    @ParameterizedTest(name = "{0} MiB")
    @ValueSource(longs = {256, 3072})
    void seabiosOnQ35AsUnderQemu(long mib, @TempDir Path dir) throws Exception {
        SeaBiosReference.assumeBios();
        SeaBiosReference.assumeQemu();
        Path qemuLog = dir.resolve("qemu-debug.txt"), jvirtLog = dir.resolve("jvirt-debug.txt");
        String qemu = SeaBiosReference.bootOnQemu(dir, qemuLog, List.of(), SeaBiosReference.LAST, "q35,smm=off", mib << 20);
        String jvirt = SeaBiosReference.bootOnJvirt(MachineConfig.Accel.EMU, jvirtLog, null, SeaBiosReference.LAST, MachineConfig.Chipset.Q35, mib << 20);
        assertEquals(SeaBiosReference.lines(qemu), SeaBiosReference.lines(jvirt));
        assertEquals(qemu, jvirt, "byte for byte");

        List<String> q = debugLines(qemuLog), j = debugLines(jvirtLog);
        java.util.Set<String> inQ = new java.util.HashSet<>(q), inJ = new java.util.HashSet<>(j);
        // "PS2 keyboard initialized" comes from SeaBIOS's threaded init: where it lands depends on how long the
        // other threads' device waits take (seen at either place), not on the chipset
        java.util.function.Predicate<String> ordered = l -> !l.equals("PS2 keyboard initialized");
        List<String> sharedQ = q.stream().filter(inJ::contains).filter(ordered).toList();
        List<String> sharedJ = j.stream().filter(inQ::contains).filter(ordered).toList();
        assertEquals(sharedQ, sharedJ, "the lines both logs have, in order");
        List<String> ram = mib == 256 ? List.of("qemu/e820: addr 0x0000000000000000 len 0x0000000010000000 [RAM]")
                : List.of("qemu/e820: addr 0x0000000000000000 len 0x0000000080000000 [RAM]",
                        "qemu/e820: addr 0x0000000100000000 len 0x0000000040000000 [RAM]",
                        "  8: 0000000100000000 - 0000000140000000 = 1 RAM");
        for (String step : ram) assertTrue(sharedJ.contains(step), "both logs have '" + step + "'; jvirt's:\n" + String.join("\n", j));
        for (String step : List.of("Running on QEMU (q35)", "Moving pm_base to 0x600", "PCIe: using q35 mmconfig at 0xb0000000",
                "PCI: init bdf=00:00.0 id=8086:29c0", "PCI: init bdf=00:1f.0 id=8086:2918", "Q35 LPC init: elcr=00 0c",
                "Using pmtimer, ioport 0x608", "PCI: init bdf=00:1f.3 id=8086:2930", "Found 1 cpu(s) max supported 1 cpu(s)",
                "No bootable device.")) {
            assertTrue(sharedJ.contains(step), "both logs have '" + step + "'; jvirt's:\n" + String.join("\n", j) + "\nQEMU's:\n" + String.join("\n", q));
        }
    }

    private static List<String> debugLines(Path log) throws java.io.IOException {
        String text = java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
        int end = text.indexOf(SeaBiosReference.LAST);
        return List.of((end < 0 ? text : text.substring(0, end + SeaBiosReference.LAST.length())).split("\r?\n"));
    }
}
