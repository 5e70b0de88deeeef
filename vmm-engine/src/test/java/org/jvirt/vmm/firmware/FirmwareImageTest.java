package org.jvirt.vmm.firmware;

import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FirmwareImageTest {

    @Test
    void whereAnImageGoes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bios.bin");
        Files.write(f, new byte[256 << 10]);
        FirmwareImage img = FirmwareImage.read(f);
        assertEquals(0xFFFC0000L, img.base());
        assertEquals(0xE0000L, img.lowAliasBase());
        assertEquals(128 << 10, img.lowAliasSize());
        Files.write(f, new byte[64 << 10]);
        assertEquals(0xF0000L, FirmwareImage.read(f).lowAliasBase(), "a 64 KiB image shows whole at 0xF0000");
    }

    @Test
    void badImagesAreRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path odd = dir.resolve("odd.bin");
        Files.write(odd, new byte[1000]);
        MachineException e = assertThrows(MachineException.class,
                () -> Machine.create(MachineConfig.ofFirmware(odd).withAccel(MachineConfig.Accel.EMU)));
        assertEquals("firmware " + odd + " is 1000 bytes: a BIOS image must be a multiple of 64 KiB between 64 KiB and 16 MiB", e.getMessage());
        Path missing = dir.resolve("missing.bin");
        e = assertThrows(MachineException.class, () -> Machine.create(MachineConfig.ofFirmware(missing).withAccel(MachineConfig.Accel.EMU)));
        assertEquals("cannot read firmware " + missing + ": No such file or directory", e.getMessage());
    }
}
