package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtio-gpu test guest drives QEMU's virtio-gpu-pci (TCG, qboot) and jvirt's (emulator)
 * with the same requests (and the GPU inside virtio-vga, whose picture switches from the VGA to
 * the scanout once one is set): display info, EDID, a resource on scattered backing, whole and partial
 * transfers, scanout, flush, and requests to refuse. Every answer the guest printed is the same
 * on both, and jvirt's picture equals QEMU's QMP screendump byte for byte, in two of the formats.
 */
class VirtioGpuQemuTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} format={1}")
    @CsvSource({"virtio-gpu-pci, 2", "virtio-gpu-pci, 121", "virtio-vga, 2"})
    void answersAndPictureMatchQemu(String device, int format) throws Exception {
        Path elf = GuestImages.require("virtio-gpu");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        assumeTrue(Files.isRegularFile(Path.of(StdVgaScreendumpQemuTest.QBOOT)), "skipped: no " + StdVgaScreendumpQemuTest.QBOOT);
        Path ppm = dir.resolve("qemu.ppm");
        String qemuLines;
        try (QemuQmp q = QemuQmp.start(dir, "-M", "pc", "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config",
                "-display", "none", "-vga", "none", "-device", device, "-bios", StdVgaScreendumpQemuTest.QBOOT,
                "-kernel", elf.toString(), "-append", "format=" + format)) {
            assertTrue(q.awaitOutput("virtio-gpu: drawn", Duration.ofSeconds(60)), q.output());
            String reply = q.command("screendump", "{\"filename\":\"" + ppm + "\"}");
            assertTrue(reply.contains("\"return\""), reply);
            qemuLines = guestLines(q.output());
        }
        byte[] expected = Files.readAllBytes(ppm);

        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.of(elf).withAccel(MachineConfig.Accel.EMU).withCmdline("format=" + format)
                .withVideo(device.equals("virtio-vga") ? MachineConfig.Video.VIRTIO_VGA : MachineConfig.Video.VIRTIO).withSerial(new MachineConfig.Serial.Custom(serial));
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("virtio-gpu: drawn", Duration.ofSeconds(60)), serial.output());
            m.pause();
            assertEquals(qemuLines, guestLines(serial.output()), "the device's answers");
            byte[] actual = m.board().display().render().toPpm();
            if (!java.util.Arrays.equals(expected, actual)) Files.write(dir.resolve("jvirt.ppm"), actual);
            assertArrayEquals(expected, actual, "jvirt's picture differs from QEMU's screendump (files in " + dir + ")");
        }
    }

    private static String guestLines(String output) {
        return output.lines().filter(l -> l.startsWith("virtio-gpu: ")).collect(Collectors.joining("\n"));
    }
}
