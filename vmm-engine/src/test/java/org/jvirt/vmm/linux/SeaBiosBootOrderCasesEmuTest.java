package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The firmware's boot order on jvirt (emulator) and on QEMU TCG with the same SeaBIOS, the same
 * devices, bootindexes and -boot order: SeaBIOS's COM1 text ("Booting from ...", "Boot failed:
 * ...") must be the same, up to ISOLINUX's banner (a CD-ROM with boot.iso booted) or "No
 * bootable device." (nothing did). The devices: a blank virtio-blk disk (not bootable), an IDE
 * CD-ROM without a medium (not bootable), an IDE CD-ROM with boot.iso (bootable). Each case is
 * built so that a wrong device path in fw_cfg's bootorder (SeaBIOS then falls back to the CMOS
 * order) or wrong CMOS bytes change the text; strict=on (fw_cfg's HALT) keeps the devices
 * without a bootindex from booting. Two cases run by default; all with
 * -Djvirt.bootorder.all=true.
 */
class SeaBiosBootOrderCasesEmuTest {
    static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String BOOTED = "ISOLINUX", NOTHING = "No bootable device.";

    /** blank: a virtio-blk disk of zeros; empty-cd / iso-cd at an IDE position. bootIndex null: none. */
    record Device(String kind, Integer position, Integer bootIndex) {
        static Device blank(Integer bootIndex) { return new Device("blank", null, bootIndex); }
        static Device emptyCd(int position, Integer bootIndex) { return new Device("empty-cd", position, bootIndex); }
        static Device isoCd(int position, Integer bootIndex) { return new Device("iso-cd", position, bootIndex); }
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>(List.of(
                // bootindex: both IDE paths and the virtio path must match, or the order changes
                Arguments.of("bootindex empty cd, blank virtio, iso cd", null,
                        List.of(Device.emptyCd(2, 1), Device.blank(2), Device.isoCd(1, 3))),
                // CMOS only: the default (cad) would try the disk first
                Arguments.of("order=dc, no bootindex", "dc", List.of(Device.blank(null), Device.emptyCd(2, null))),
                Arguments.of("default order, no bootindex", null, List.of(Device.blank(null), Device.emptyCd(2, null))),
                Arguments.of("order=cd, iso cd", "cd", List.of(Device.blank(null), Device.isoCd(2, null))),
                Arguments.of("bootindex blank virtio before iso cd, order=dc", "dc", List.of(Device.blank(1), Device.isoCd(2, 2))),
                Arguments.of("bootindex iso cd before blank virtio", null, List.of(Device.blank(2), Device.isoCd(3, 1))),
                Arguments.of("bootindex on one device only, order=c", "c",
                        List.of(Device.blank(null), Device.emptyCd(0, null), Device.isoCd(3, 5))),
                // strict: the iso cd has no bootindex, so nothing boots
                Arguments.of("strict=on, bootindex on the non-bootable ones", "cad,strict=on",
                        List.of(Device.blank(2), Device.emptyCd(2, 1), Device.isoCd(1, null)))));
        return all.stream();
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void seabiosBootsTheDevicesInQemusOrder(String name, String order, List<Device> devices) throws Exception {
        assumeTrue(Files.isReadable(SeaBiosDiskBootEmuTest.BIOS), "skipped: " + SeaBiosDiskBootEmuTest.BIOS + " is missing");
        assumeTrue(Files.isExecutable(QEMU), "skipped: " + QEMU + " is not installed");
        Path iso = BootMediaUnderQemuTest.requireMedium("boot.iso");
        Path blank = tmp.resolve("blank.raw");
        try (var f = java.nio.channels.FileChannel.open(blank, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            f.truncate(0);
            f.write(java.nio.ByteBuffer.allocate(1), (1L << 20) - 1); // 1 MiB of zeros: no boot signature
        }
        Process qemu = startQemu(order, devices, iso, blank);
        long t0 = System.nanoTime();
        String jvirt = onJvirt(order, devices, iso, blank);
        double jvirtSeconds = (System.nanoTime() - t0) / 1e9;
        String reference = awaitQemu(qemu);
        System.out.printf("boot order '%s': jvirt emu %.1f s; %s%n", name, jvirtSeconds, bootLines(jvirt));
        assertTrue(reference.contains("Booting from "), "QEMU's serial: " + reference);
        assertEquals(bootLines(reference), bootLines(jvirt), "the boot attempts");
        assertEquals(reference, jvirt, "SeaBIOS's whole COM1 text up to the end");
    }

    private String onJvirt(String order, List<Device> devices, Path iso, Path blank) throws Exception {
        List<MachineConfig.Disk> disks = new ArrayList<>();
        List<MachineConfig.IdeDrive> ide = new ArrayList<>();
        for (Device d : devices) {
            switch (d.kind()) {
                case "blank" -> disks.add(new MachineConfig.Disk(blank, true, ImageFormat.RAW, d.bootIndex(), null));
                case "empty-cd" -> ide.add(new MachineConfig.IdeDrive(d.position(), true, null, true, ImageFormat.RAW, d.bootIndex()));
                default -> ide.add(new MachineConfig.IdeDrive(d.position(), true, iso, true, ImageFormat.RAW, d.bootIndex()));
            }
        }
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig c = MachineConfig.ofFirmware(SeaBiosDiskBootEmuTest.BIOS).withMemory(SeaBiosDiskBootEmuTest.RAM)
                .withAccel(MachineConfig.Accel.EMU).withDisks(disks).withIdeDrives(ide)
                .withBoot(order == null ? null : new MachineConfig.Boot(order.split(",")[0], order.endsWith(",strict=on")))
                .withSerial(new MachineConfig.Serial.Custom(serial));
        try (Machine m = Machine.create(c)) {
            m.start();
            long end = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < end && upToEnd(serial.output()) == null) Thread.sleep(50);
            String text = upToEnd(serial.output());
            assertTrue(text != null, "jvirt reached neither " + BOOTED + " nor '" + NOTHING + "' in " + WAIT + ":\n" + serial.output());
            return text;
        }
    }

    private Process startQemu(String order, List<Device> devices, Path iso, Path blank) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(QEMU.toString(), "-accel", "tcg", "-machine", "pc",
                "-m", Long.toString(SeaBiosDiskBootEmuTest.RAM >> 20), "-bios", SeaBiosDiskBootEmuTest.BIOS.toString(),
                "-nographic", "-nodefaults", "-global", "apic-common.vapic=off", "-monitor", "none",
                "-serial", "file:" + tmp.resolve("qemu-serial.txt")));
        int n = 0;
        for (Device d : devices) {
            String id = "d" + n++;
            String bootIndex = d.bootIndex() == null ? "" : ",bootindex=" + d.bootIndex();
            if (d.kind().equals("blank")) {
                cmd.addAll(List.of("-drive", "file=" + blank + ",if=none,id=" + id + ",format=raw,readonly=on",
                        "-device", "virtio-blk-pci,drive=" + id + bootIndex));
            } else {
                String medium = d.kind().equals("iso-cd") ? ",file=" + iso + ",format=raw,readonly=on" : "";
                cmd.addAll(List.of("-drive", "if=none,id=" + id + ",media=cdrom" + medium,
                        "-device", "ide-cd,drive=" + id + ",bus=ide." + d.position() / 2 + ",unit=" + d.position() % 2 + bootIndex));
            }
        }
        if (order != null) cmd.addAll(List.of("-boot", "order=" + order));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("qemu.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    }

    private String awaitQemu(Process qemu) throws Exception {
        Path out = tmp.resolve("qemu-serial.txt");
        try {
            long end = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < end && qemu.isAlive()) {
                String text = Files.exists(out) ? upToEnd(Files.readString(out, StandardCharsets.ISO_8859_1)) : null;
                if (text != null) return text;
                Thread.sleep(50);
            }
            throw new AssertionError("QEMU reached neither end: " + Files.readString(tmp.resolve("qemu.log"))
                    + (Files.exists(out) ? Files.readString(out, StandardCharsets.ISO_8859_1) : ""));
        } finally {
            qemu.destroy();
            if (!qemu.waitFor(10, TimeUnit.SECONDS)) qemu.destroyForcibly().waitFor();
        }
    }

    /** The text up to and including the first end marker, or null before one came. */
    private static String upToEnd(String s) {
        int booted = s.indexOf(BOOTED), nothing = s.indexOf(NOTHING);
        if (booted < 0 && nothing < 0) return null;
        return booted >= 0 && (nothing < 0 || booted < nothing) ? s.substring(0, booted + BOOTED.length())
                : s.substring(0, nothing + NOTHING.length());
    }

    private static List<String> bootLines(String s) {
        return Stream.of(s.split("\r?\n")).filter(l -> l.startsWith("Booting from ") || l.startsWith("Boot failed")
                || l.startsWith(BOOTED) || l.startsWith(NOTHING)).toList();
    }
}
