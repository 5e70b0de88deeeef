package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jvirt.vmm.devices.balloon.GuestStats;
import org.jvirt.vmm.devices.balloon.VirtioBalloon;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;
import org.jvirt.vmm.protocol.launch.PciAddress;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linux's own virtio_balloon driver (the Debian cloud kernel's module, in the initrd variant made
 * by test-fixtures/linux/virtio-balloon-initrd.sh) on a balloon at 05.0 polled every second:
 * under jvirt's emulator and under QEMU TCG the host asks for 16 MiB less, Linux inflates (its
 * MemTotal drops by 16384 kB, the /init prints it), query-balloon answers the target, the
 * statistics Linux reports are the same tags with stat-total-memory the new MemTotal, and the
 * balloon deflates on the next target. A Linux boot on the emulator takes about half a minute:
 * opt in with -Djvirt.linux.balloon=true (the first run downloads the kernel package again).
 */
class VirtioBalloonLinuxEmuTest {
    private static final Duration BOOT_WITHIN = Duration.ofSeconds(300);
    private static final String CMDLINE = LinuxImages.CMDLINE + " jvirt.balloon=1";
    private static final long RAM = LinuxImages.MEMORY;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /**
     * What one VMM showed: the /init's balloon lines with MemTotal relative to its first value
     * (the platforms reserve a page differently before any balloon), query-balloon, the reported
     * tags, and whether stat-total-memory was the MemTotal the guest printed after inflating.
     */
    record Seen(List<String> lines, long actual, TreeSet<String> tags, boolean totalIsMemTotal) {
        static Seen of(String serial, long actual, TreeSet<String> tags, long totalMemory) {
            List<String> raw = initLines(serial);
            assertEquals(3, raw.size(), serial);
            long start = memTotal(raw.get(0)), inflated = memTotal(raw.get(1));
            List<String> rel = new ArrayList<>();
            for (String l : raw) rel.add(l.replaceAll("MemTotal (\\d+)", "MemTotal start" + (memTotal(l) == start ? "" : " - " + (start - memTotal(l)))));
            return new Seen(rel, actual, tags, totalMemory == inflated * 1024);
        }
    }

    private static long memTotal(String line) {
        Matcher m = Pattern.compile("MemTotal (\\d+)").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group(1));
    }

    @Test
    void linuxBalloonsAsUnderQemu() throws Exception {
        assumeTrue(Boolean.getBoolean("jvirt.linux.balloon"), "a Linux boot on the emulator (~30 s): runs with -Djvirt.linux.balloon=true");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        Path kernel = LinuxImages.require("vmlinuz");
        LinuxImages.require("initrd.img");
        Path dir = LinuxImages.dir();
        Path script = dir.resolve("../../linux/virtio-balloon-initrd.sh").normalize();
        Process p = new ProcessBuilder("sh", script.toString(), dir.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), script + " failed");
        Path why = dir.resolve("UNAVAILABLE-balloon");
        assumeTrue(!Files.exists(why), () -> "skipped: " + why);
        Path initrd = dir.resolve("initrd-balloon.img");

        Seen qemu;
        try (QemuQmp q = QemuQmp.start(tmp, "-M", "pc", "-accel", "tcg", "-m", String.valueOf(RAM >> 20), "-nodefaults",
                "-no-user-config", "-display", "none", "-no-reboot", "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", CMDLINE, "-device", "virtio-balloon-pci,id=balloon0,addr=05.0,disable-legacy=on", "-bios", "/usr/share/qemu/qboot.rom")) {
            assertTrue(q.awaitOutput("init: BALLOON-READY", BOOT_WITHIN), q.output());
            ok(q.command("qom-set", "{\"path\":\"/machine/peripheral/balloon0\",\"property\":\"guest-stats-polling-interval\",\"value\":1}"));
            ok(q.command("balloon", "{\"value\":" + (RAM - (16 << 20)) + "}"));
            assertTrue(q.awaitOutput("init: BALLOON MemTotal", Duration.ofSeconds(150)), q.output());
            long actual = JSON.readTree(q.command("query-balloon")).get("return").get("actual").asLong();
            Thread.sleep(2500); // a report after the inflation
            JsonNode stats = JSON.readTree(q.command("qom-get", "{\"path\":\"/machine/peripheral/balloon0\",\"property\":\"guest-stats\"}"))
                    .get("return").get("stats");
            TreeSet<String> tags = new TreeSet<>();
            stats.fields().forEachRemaining(e -> { if (!e.getValue().asText().equals("18446744073709551615")) tags.add(e.getKey()); });
            ok(q.command("balloon", "{\"value\":" + RAM + "}"));
            assertTrue(q.awaitOutput(LinuxImages.READY, Duration.ofSeconds(150)), q.output());
            qemu = Seen.of(q.output(), actual, tags, stats.get("stat-total-memory").asLong());
        }

        InMemorySerialBackend serial = new InMemorySerialBackend();
        long t0 = System.nanoTime();
        Seen jvirt;
        try (Machine m = Machine.create(MachineConfig.of(kernel).withAccel(MachineConfig.Accel.EMU).withMemory(RAM)
                .withInitrd(initrd).withCmdline(CMDLINE).withSerial(new MachineConfig.Serial.Custom(serial))
                .withBalloon(new MachineConfig.Balloon(PciAddress.root(5, 0), false, 0)))) {
            m.start();
            assertTrue(serial.awaitOutput("init: BALLOON-READY", BOOT_WITHIN), serial.output());
            VirtioBalloon b = m.board().balloon();
            b.setPollInterval(1);
            b.setTarget(RAM - (16 << 20));
            assertTrue(serial.awaitOutput("init: BALLOON MemTotal", Duration.ofSeconds(150)), serial.output());
            long actual = b.actualBytes();
            Thread.sleep(2500);
            GuestStats s = b.guestStats();
            TreeSet<String> tags = new TreeSet<>();
            for (int i = 0; i < GuestStats.TAGS; i++) if (s.value(i) != GuestStats.UNSET) tags.add(GuestStats.QEMU_NAMES[i]);
            b.setTarget(RAM);
            MachineExit exit = m.awaitExit(Duration.ofSeconds(150));
            assertTrue(exit != null && exit.kind() == MachineExit.Kind.POWER_OFF, "no power-off: " + exit + "\n" + serial.output());
            jvirt = Seen.of(serial.output(), actual, tags, s.value(GuestStats.MEMTOT));
        }
        System.out.printf("[linux] emu virtio-balloon boot and check: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertTrue(qemu.lines().get(1).endsWith("(down 16384 kB)") && qemu.totalIsMemTotal(), qemu.toString());
        assertEquals(RAM - (16 << 20), qemu.actual());
        assertEquals(qemu, jvirt);
    }

    private static void ok(String reply) {
        assertTrue(reply.contains("\"return\""), reply);
    }

    private static List<String> initLines(String serial) {
        List<String> out = new ArrayList<>();
        for (String l : serial.replace("\r", "").split("\n")) if (l.startsWith("init: BALLOON")) out.add(l);
        return out;
    }
}
