package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vga test guest draws the same picture on QEMU's -vga std (TCG, qboot: no VGA BIOS on either
 * side) and on jvirt's (emulator); QEMU's QMP screendump and jvirt's rendering are compared byte
 * for byte as PPM files: VBE 640x480x32, 800x600x16, 320x200x8 (DAC palette), 640x480x24,
 * 640x480x15, 640x480x32 panned in an 800-wide virtual screen, 320x200x8 with the 8-bit DAC,
 * 640x480x4 (planar, through the attribute palette), the
 * guest's own 80x25 text mode (font loaded through the planar path, cursor off), mode 12h
 * (planar, drawn through the map mask) and mode 13h.
 */
class StdVgaScreendumpQemuTest {
    static final String QBOOT = "/usr/share/qemu/qboot.rom";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "vga={0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 13})
    void screendumpMatchesQemu(int mode) throws Exception {
        Path elf = GuestImages.require("vga");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        assumeTrue(Files.isRegularFile(Path.of(QBOOT)), "skipped: no " + QBOOT);
        byte[] expected = qemuScreendump(dir, elf, "vga=" + mode);

        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(elf).withAccel(MachineConfig.Accel.EMU).withCmdline("vga=" + mode)
                .withVideo(MachineConfig.Video.VGA).withSerial(new MachineConfig.Serial.Custom(serial));
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("vga: drawn", Duration.ofSeconds(60)), serial.output());
            m.pause();
            byte[] actual = m.board().vga().render().toPpm();
            if (!java.util.Arrays.equals(expected, actual)) Files.write(dir.resolve("jvirt.ppm"), actual);
            assertArrayEquals(expected, actual, "jvirt's screendump differs from QEMU's (files in " + dir + ")");
        }
    }

    /** QEMU's screendump of the guest once it printed "vga: drawn". */
    static byte[] qemuScreendump(Path dir, Path elf, String cmdline) throws Exception {
        Path ppm = dir.resolve("qemu.ppm");
        try (QemuQmp q = QemuQmp.start(dir, "-M", "pc", "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config",
                "-display", "none", "-vga", "std", "-bios", QBOOT, "-kernel", elf.toString(), "-append", cmdline)) {
            assertTrue(q.awaitOutput("vga: drawn", Duration.ofSeconds(60)), q.output());
            String reply = q.command("screendump", "{\"filename\":\"" + ppm + "\"}");
            assertTrue(reply.contains("\"return\""), reply);
        }
        return Files.readAllBytes(ppm);
    }
}
