package org.jvirt.vmm.devices.display;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvirt.vmm.testutil.QemuQtest;
import org.junit.jupiter.api.io.TempDir;

/**
 * QEMU's bochs-display under SeaBIOS: its firmware (vgabios-bochs-display.bin) reads the EDID from
 * BAR2, sets the preferred 1280x800x32 mode through the DISPI registers and draws SeaBIOS's text
 * into the framebuffer; a boot sector then prints a line through int 10h. jvirt's picture
 * (emulator) equals QEMU's screendump (TCG, same firmware) byte for byte, cursor included (the
 * firmware draws it into the framebuffer), and the EDID bytes jvirt's BAR2 shows equal those
 * QEMU's BAR2 shows (read with the monitor's xp); on the pc and on the q35. On the q35 the config
 * space, PCI Express capability included, is QEMU's byte for byte (through qtest), before and
 * after all ones are written to the capability and past it.
 */
class BochsDisplayQemuTest {
    static final String BIOS = SeaBiosVgaTextQemuTest.BIOS, DISPLAY_BIOS = "/usr/share/seabios/vgabios-bochs-display.bin";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pc", "q35"})
    void seaBiosDrawsTheSameScreenOnTheBochsDisplayAsUnderQemu(String machine) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of(BIOS)), "skipped: no " + BIOS);
        assumeTrue(Files.isRegularFile(Path.of(DISPLAY_BIOS)), "skipped: no " + DISPLAY_BIOS);
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        Path qemuDisk = SeaBiosVgaTextQemuTest.bootSectorDisk(dir.resolve("qemu.img"));
        Path jvirtDisk = SeaBiosVgaTextQemuTest.bootSectorDisk(dir.resolve("jvirt.img"));

        Path ppm = dir.resolve("qemu.ppm");
        byte[] qemuEdid;
        try (QemuQmp q = QemuQmp.start(dir, "-M", machine, "-accel", "tcg", "-m", "256", "-nodefaults", "-no-user-config",
                "-display", "none", "-vga", "none", "-device", "bochs-display", "-bios", BIOS,
                "-drive", "file=" + qemuDisk + ",format=raw,if=none,id=d0", "-device", "virtio-blk-pci,drive=d0,bootindex=0")) {
            assertTrue(q.awaitOutput("bootsector: done", Duration.ofSeconds(60)), q.output());
            String reply = q.command("screendump", "{\"filename\":\"" + ppm + "\"}");
            assertTrue(reply.contains("\"return\""), reply);
            qemuEdid = edidOf(q);
        }
        byte[] expected = Files.readAllBytes(ppm);

        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig config = MachineConfig.ofFirmware(Path.of(BIOS)).withAccel(MachineConfig.Accel.EMU).withVideo(MachineConfig.Video.BOCHS)
                .withChipset(machine.equals("q35") ? MachineConfig.Chipset.Q35 : MachineConfig.Chipset.PC)
                .withDisks(List.of(new MachineConfig.Disk(jvirtDisk, false, ImageFormat.RAW, 0, null)))
                .withSerial(new MachineConfig.Serial.Custom(serial));
        try (Machine m = Machine.create(config)) {
            m.start();
            assertTrue(serial.awaitOutput("bootsector: done", Duration.ofSeconds(60)), serial.output());
            m.pause();
            byte[] actual = m.board().display().render().toPpm();
            Files.write(dir.resolve("jvirt.ppm"), actual);
            String header = "P6\n1280 800\n255\n";
            assertEquals(header, new String(actual, 0, header.length(), java.nio.charset.StandardCharsets.US_ASCII),
                    "the EDID's preferred mode, as SeaBIOS takes it");
            assertTrue(java.util.Arrays.equals(expected, actual), "jvirt's picture differs from QEMU's screendump (files in " + dir + ")");
            BochsDisplay bochs = (BochsDisplay) m.board().display();
            byte[] ours = new byte[Edid.SIZE];
            for (int i = 0; i < Edid.SIZE; i++) ours[i] = (byte) bochs.bar(2).read(i, 1);
            assertArrayEquals(qemuEdid, ours, "the EDID on BAR2");
        }
    }

    @Test
    void onTheQ35ItIsARootComplexIntegratedEndpointAsQemus() throws Exception {
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        BochsDisplay ours = new BochsDisplay(null, StdVga.DEFAULT_VRAM, true);
        try (QemuQtest q = new QemuQtest("q35,smm=off", "-device", "bochs-display,addr=0x1,romfile=")) {
            assertEquals(configOf(q), configOf(ours), "config space at reset");
            for (int r = BochsDisplay.EXPRESS_CAP; r < 0x100; r += 4) {
                q.cfgWrite(0, 1, 0, r, 4, 0xffffffffL);
                ours.config().write(r, 4, 0xffffffff);
            }
            assertEquals(configOf(q), configOf(ours), "config space after all ones from the capability on");
        }
    }

    /** Config space as hex words, BARs and the ROM BAR left out (jvirt preassigns them for firmware-less boots). */
    private static String configOf(Object device) {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < 0x100; r += 4) {
            if ((r >= 0x10 && r < 0x28) || r == 0x30) continue;
            long v = device instanceof QemuQtest q ? q.cfgRead(0, 1, 0, r, 4) : ((BochsDisplay) device).config().read(r, 4) & 0xffffffffL;
            s.append(String.format("%02x: %08x%n", r, v));
        }
        return s.toString();
    }

    /** The 256 EDID bytes at the start of QEMU's bochs-display BAR2 (its address from "info pci"). */
    private static byte[] edidOf(QemuQmp q) throws Exception {
        String pci = hmp(q, "info pci");
        Matcher bar = Pattern.compile("Display controller: PCI device 1234:1111.*?BAR2: 32 bit memory at (0x[0-9a-f]+)", Pattern.DOTALL).matcher(pci);
        assertTrue(bar.find(), pci);
        String dump = hmp(q, "xp /256xb " + bar.group(1));
        byte[] edid = new byte[Edid.SIZE];
        int n = 0;
        for (String line : dump.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            Matcher b = Pattern.compile("0x([0-9a-f]{2})\\b").matcher(line.substring(colon + 1));
            while (b.find()) edid[n++] = (byte) Integer.parseInt(b.group(1), 16);
        }
        assertEquals(Edid.SIZE, n, dump);
        return edid;
    }

    /** An HMP command through QMP's human-monitor-command; its text with JSON's escapes undone. */
    private static String hmp(QemuQmp q, String command) throws Exception {
        String reply = q.command("human-monitor-command", "{\"command-line\":\"" + command + "\"}");
        Matcher m = Pattern.compile("\"return\":\\s*\"((?:[^\"\\\\]++|\\\\.)*+)\"").matcher(reply);
        assertTrue(m.find(), reply);
        String s = m.group(1).replace("\\r", "").replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
        assertNotNull(s);
        return s;
    }
}
