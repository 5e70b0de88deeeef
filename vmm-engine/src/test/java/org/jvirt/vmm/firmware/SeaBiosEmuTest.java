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
}
