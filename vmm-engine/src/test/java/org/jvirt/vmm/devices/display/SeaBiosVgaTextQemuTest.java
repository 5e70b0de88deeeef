package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SeaBIOS finds the VGA's expansion ROM (vgabios-stdvga.bin; vgabios-virtio.bin on QEMU's
 * virtio-vga, libvirt's primary virtio video), runs it, and writes its banner and boot messages on
 * the screen in text mode (pc and q35); a boot sector on a virtio disk (bootindex 0)
 * then prints a line through the VGA BIOS (int 10h AH=09h, yellow on blue, and AH=0Eh) and
 * says so on COM1. jvirt's picture (emulator) equals QEMU's screendump (TCG, same firmware and
 * ROM) pixel for pixel except the text cursor's cell (QEMU blinks the cursor on a timer; jvirt
 * does not draw it).
 */
class SeaBiosVgaTextQemuTest {
    static final String BIOS = "/usr/share/seabios/bios-256k.bin", VGA_BIOS = "/usr/share/seabios/vgabios-stdvga.bin",
            VIRTIO_VGA_BIOS = "/usr/share/seabios/vgabios-virtio.bin";
    /**
     * The boot sector (as, .code16, at 0x7c00): for each byte of the message, int 10h AH=09h
     * (BH 0, BL 0x1e, CX 1) then AH=0Eh; then "bootsector: done\n" to port 0x3f8; cli; hlt.
     */
    static final String BOOT_SECTOR = "31c08ed8be2f7cac84c07411b409b700b31eb90100cd10b40ecd10ebeabe637cbaf803ac84c07403eeebf8faf4ebfc"
            + "6a766972743a20696e7420313068207468726f75676820746865205647412042494f532c2079656c6c6f77206f6e20626c756500"
            + "626f6f74736563746f723a20646f6e650a00";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"pc, VGA", "q35, VGA", "pc, virtio-vga", "q35, virtio-vga"})
    void seaBiosAndTheVgaBiosDrawTheSameTextScreenAsUnderQemu(String machine, String device) throws Exception {
        boolean virtio = device.equals("virtio-vga");
        String vgaBios = virtio ? VIRTIO_VGA_BIOS : VGA_BIOS;
        assumeTrue(Files.isRegularFile(Path.of(BIOS)), "skipped: no " + BIOS);
        assumeTrue(Files.isRegularFile(Path.of(vgaBios)), "skipped: no " + vgaBios);
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        Path qemuDisk = bootSectorDisk(dir.resolve("qemu.img"));
        Path jvirtDisk = bootSectorDisk(dir.resolve("jvirt.img"));

        Path ppm = dir.resolve("qemu.ppm");
        try (QemuQmp q = QemuQmp.start(dir, "-M", machine, "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config",
                "-display", "none", "-vga", "none", "-device", device, "-bios", BIOS, "-drive", "file=" + qemuDisk + ",format=raw,if=none,id=d0",
                "-device", "virtio-blk-pci,drive=d0,bootindex=0")) {
            assertTrue(q.awaitOutput("bootsector: done", Duration.ofSeconds(60)), q.output());
            String reply = q.command("screendump", "{\"filename\":\"" + ppm + "\"}");
            assertTrue(reply.contains("\"return\""), reply);
        }
        byte[] expected = Files.readAllBytes(ppm);

        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.ofFirmware(Path.of(BIOS)).withAccel(MachineConfig.Accel.EMU)
                .withVideo(virtio ? MachineConfig.Video.VIRTIO_VGA : MachineConfig.Video.VGA)
                .withChipset(machine.equals("q35") ? MachineConfig.Chipset.Q35 : MachineConfig.Chipset.PC)
                .withDisks(List.of(new MachineConfig.Disk(jvirtDisk, false, ImageFormat.RAW, 0, null)))
                .withSerial(new MachineConfig.Serial.Custom(serial));
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("bootsector: done", Duration.ofSeconds(60)), serial.output());
            m.pause();
            byte[] actual = m.board().display().render().toPpm();
            Files.write(dir.resolve("jvirt.ppm"), actual);
            assertEquals(expected.length, actual.length, "picture size (files in " + dir + ")");
            String header = "P6\n720 400\n255\n";
            assertEquals(header, new String(actual, 0, header.length(), java.nio.charset.StandardCharsets.US_ASCII), "80x25 text of 9x16 cells");
            int cursor = cursorOffset(m);
            Set<Integer> cells = new TreeSet<>();
            for (int i = header.length(); i < actual.length; i++) {
                if (actual[i] == expected[i]) continue;
                int pixel = (i - header.length()) / 3;
                cells.add((pixel / 720) / 16 * 80 + (pixel % 720) / 9);
            }
            assertTrue(cells.isEmpty() || cells.equals(Set.of(cursor)),
                    "cells that differ from QEMU's screendump: " + cells + " (the cursor is at " + cursor + "; files in " + dir + ")");
            assertTrue(cursor > 80 * 2, "the boot sector's line follows SeaBIOS's banner and boot message: cursor at " + cursor);
        }
    }

    /** A 1 MiB raw disk whose first sector is {@link #BOOT_SECTOR} with the boot signature. */
    static Path bootSectorDisk(Path file) throws java.io.IOException {
        byte[] sector = new byte[1 << 20];
        byte[] code = HexFormat.of().parseHex(BOOT_SECTOR);
        System.arraycopy(code, 0, sector, 0, code.length);
        sector[510] = 0x55;
        sector[511] = (byte) 0xaa;
        return Files.write(file, sector);
    }

    /** The cursor's cell (CRTC registers 0x0e/0x0f minus the start address), read through the colour CRTC ports. */
    private static int cursorOffset(Machine m) {
        int[] v = new int[4];
        int[] regs = {0x0e, 0x0f, 0x0c, 0x0d};
        for (int i = 0; i < 4; i++) {
            m.pioBus().write(0x3d4, 1, regs[i]);
            v[i] = (int) m.pioBus().read(0x3d5, 1);
        }
        return (v[0] << 8 | v[1]) - (v[2] << 8 | v[3]);
    }
}
