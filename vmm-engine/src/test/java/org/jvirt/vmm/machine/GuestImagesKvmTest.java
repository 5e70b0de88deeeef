package org.jvirt.vmm.machine;

import org.jvirt.vmm.testing.RequiresKvm;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Boots each test-fixtures guest under KVM and checks its "ok NAME" line and exit status; where
 * qemu-system-x86_64 exists, runs the same image under QEMU and expects the same result.
 */
@RequiresKvm
class GuestImagesKvmTest {
    /** As test-fixtures/run-under-qemu.sh gives QEMU. */
    static final long MEMORY = 256L << 20;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // guest, vCPUs, expected exit status (QEMU's convention: debug-exit 0 -> 1, power-off -> 0)
            "serial, 1, 1",
            "pit-timer, 1, 1",
            "lapic-timer, 1, 1",
            "cpl3-mem, 1, 1",
            "poweroff, 1, 0",
            "reset, 1, 1",
            "pio-loop, 1, 1",
            "smp, 2, 1",
            "virtio-blk, 1, 1",
            "disk-ticker, 1, 1",
    })
    void guestPassesUnderJvirtAndQemu(String name, int cpus, int status) throws Exception {
        Path elf = GuestImages.require(name);
        InMemorySerialBackend serial = new InMemorySerialBackend();
        Path disk = makeDiskFor(name, tmp.resolve("jvirt.img"));
        MachineConfig cfg = MachineConfig.of(elf).withMemory(MEMORY).withVcpus(cpus).withCmdline(cmdline(name))
                .withSerial(new MachineConfig.Serial.Custom(serial))
                .withDisks(disk == null ? List.of() : List.of(new MachineConfig.Disk(disk, false)));
        MachineExit exit;
        java.util.Map<String, Object> blockstats = null;
        try (Machine m = Machine.create(cfg)) {
            m.start();
            exit = m.awaitExit(Duration.ofSeconds(60));
            if (disk != null) blockstats = m.board().disks().get(0).counters().toMap();
        }
        String out = serial.output().replace("\r\n", "\n");
        assertNotNull(exit, name + " did not finish; serial:\n" + out);
        assertTrue(out.contains("\nok " + name + "\n"), "serial:\n" + out);
        assertFalse(out.contains("not ok"), out);
        assertEquals(status, exit.exitStatus(), exit + "\n" + out);
        if (name.equals("reset")) assertTrue(out.contains("second boot"), out);
        if (name.equals("virtio-blk")) {
            assertGuestWroteSector1(disk);
            // the guest's I/O as query-blockstats counts it: read sector 0, write sector 1, read it back, flush
            assertEquals(java.util.Map.of("rd_operations", 2L, "rd_bytes", 1024L, "wr_operations", 1L, "wr_bytes", 512L,
                    "flush_operations", 1L, "failed_rd_operations", 0L, "failed_wr_operations", 0L,
                    "failed_flush_operations", 0L), blockstats);
        }

        if (!GuestImages.onPath("qemu-system-x86_64")) return; // reference run only where QEMU is installed
        Path qdisk = makeDiskFor(name, tmp.resolve("qemu.img"));
        QemuResult q = runQemu(name, elf, cpus, qdisk, cmdline(name));
        String qout = q.output.replace("\r\n", "\n");
        assertTrue(qout.contains("\nok " + name + "\n"), "under QEMU:\n" + qout);
        assertFalse(qout.contains("not ok"), qout);
        assertEquals(status, q.status, "QEMU exit status; output:\n" + q.output);
        if (name.equals("virtio-blk")) assertGuestWroteSector1(qdisk);
        // the disk-ticker's writes depend on the tick number only: the same bytes under both
        if (name.equals("disk-ticker")) assertArrayEquals(Files.readAllBytes(qdisk), Files.readAllBytes(disk), "disk after 20 ticks");
    }

    /** The guest's command line: the disk-ticker stops after 20 ticks (2 s) and checks its sectors. */
    static String cmdline(String name) {
        return name.equals("disk-ticker") ? "ticks=20" : "";
    }

    /** The disk a guest needs at p (the agreed disk; 1 MiB of zeros for the disk-ticker), or null. */
    static Path makeDiskFor(String name, Path p) throws Exception {
        return switch (name) {
            case "virtio-blk" -> makeDisk(p);
            case "disk-ticker" -> Files.write(p, new byte[1 << 20]);
            default -> null;
        };
    }

    /** The agreed disk (test-fixtures/README.md): 1 MiB, sector 0 = "JVIRT-DISK-0" then byte i = i & 0xff. */
    static Path makeDisk(Path p) throws Exception {
        byte[] img = new byte[1 << 20];
        byte[] magic = "JVIRT-DISK-0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, img, 0, magic.length);
        for (int i = magic.length; i < 512; i++) img[i] = (byte) i;
        Files.write(p, img);
        return p;
    }

    /** Sector 1 = "WRITTEN-BY-GUEST" then byte i = 0xff - (i & 0xff). */
    static void assertGuestWroteSector1(Path p) throws Exception {
        byte[] img = Files.readAllBytes(p);
        byte[] tag = "WRITTEN-BY-GUEST".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 512; i++) {
            int expected = i < tag.length ? tag[i] : 0xff - (i & 0xff);
            assertEquals((byte) expected, img[512 + i], "sector 1 byte " + i + " of " + p.getFileName());
        }
        assertEquals('J', img[0], "sector 0 untouched");
    }

    record QemuResult(int status, String output) { }

    /**
     * The reference command line of test-fixtures/run-under-qemu.sh: pc machine, KVM, qboot when
     * installed, COM1 on stdio, isa-debug-exit at 0xf4, -no-reboot except for the reset guest.
     */
    static QemuResult runQemu(String name, Path elf, int cpus, Path disk, String cmdline) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-M", "pc", "-accel", "kvm",
                "-m", String.valueOf(MEMORY >> 20), "-smp", String.valueOf(cpus), "-nodefaults", "-no-user-config",
                "-display", "none", "-serial", "stdio",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", elf.toString()));
        Path qboot = Path.of("/usr/share/qemu/qboot.rom");
        if (Files.isRegularFile(qboot)) cmd.addAll(List.of("-bios", qboot.toString()));
        if (!name.equals("reset")) cmd.add("-no-reboot");
        if (!cmdline.isEmpty()) cmd.addAll(List.of("-append", cmdline));
        if (disk != null) {
            cmd.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=none,id=d0",
                    "-device", "virtio-blk-pci,drive=d0,disable-legacy=on"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("QEMU did not finish: " + String.join(" ", cmd));
        }
        return new QemuResult(p.exitValue(), new String(out, StandardCharsets.ISO_8859_1));
    }
}
