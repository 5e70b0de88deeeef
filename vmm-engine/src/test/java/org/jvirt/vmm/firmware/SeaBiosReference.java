package org.jvirt.vmm.firmware;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.machine.MachineExit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's SeaBIOS booted with no disks, on jvirt and on QEMU TCG, up to SeaBIOS's last words
 * "No bootable device." (it then waits forever: etc/boot-fail-wait is -1 on both). The serial
 * text is compared up to that line; nothing else is normalised.
 */
final class SeaBiosReference {
    static final Path BIOS = Path.of("/usr/share/seabios/bios-256k.bin");
    static final String QEMU = "qemu-system-x86_64";
    static final String LAST = "No bootable device.";
    static final Duration WAIT = Duration.ofSeconds(90);
    static final long RAM = 256L << 20;
    static final String DEBUG_LOG_PROPERTY = "jvirt.firmware.debuglog";

    private SeaBiosReference() { }

    static void assumeBios() {
        assumeTrue(Files.isReadable(BIOS), "skipped: " + BIOS + " is missing (Debian package seabios)");
    }

    static void assumeQemu() {
        assumeTrue(onPath(QEMU), "skipped: " + QEMU + " is not installed (Debian package qemu-system-x86)");
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) return true;
        }
        return false;
    }

    /** jvirt's serial text up to and including LAST; fails with the text so far if it does not come. */
    static String bootOnJvirt(MachineConfig.Accel accel) throws InterruptedException {
        return bootOnJvirt(accel, null);
    }

    /** As bootOnJvirt, with SeaBIOS's debug port 0x402 written to debugLog when that is not null. */
    static String bootOnJvirt(MachineConfig.Accel accel, Path debugLog) throws InterruptedException {
        return bootOnJvirt(accel, debugLog, null, LAST);
    }

    /** As bootOnJvirt, with boot options, up to and including last. */
    static String bootOnJvirt(MachineConfig.Accel accel, Path debugLog, MachineConfig.Boot boot, String last) throws InterruptedException {
        return bootOnJvirt(accel, debugLog, boot, last, MachineConfig.Chipset.PC);
    }

    /** As bootOnJvirt, on the given board. */
    static String bootOnJvirt(MachineConfig.Accel accel, Path debugLog, MachineConfig.Boot boot, String last, MachineConfig.Chipset board)
            throws InterruptedException {
        return bootOnJvirt(accel, debugLog, boot, last, board, RAM);
    }

    /** As bootOnJvirt, on the given board with ram bytes of RAM. */
    static String bootOnJvirt(MachineConfig.Accel accel, Path debugLog, MachineConfig.Boot boot, String last, MachineConfig.Chipset board,
                              long ram) throws InterruptedException {
        InMemorySerialBackend serial = new InMemorySerialBackend();
        if (debugLog != null) System.setProperty(DEBUG_LOG_PROPERTY, debugLog.toString());
        MachineConfig c = MachineConfig.ofFirmware(BIOS).withMemory(ram).withAccel(accel)
                .withSerial(new MachineConfig.Serial.Custom(serial)).withBoot(boot).withChipset(board);
        Machine created;
        try {
            created = Machine.create(c);
        } finally {
            System.clearProperty(DEBUG_LOG_PROPERTY);
        }
        try (Machine m = created) {
            m.start();
            boolean done = serial.awaitOutput(last, WAIT);
            MachineExit exit = m.awaitExit(Duration.ofMillis(1));
            if (!done) throw new AssertionError("jvirt (" + accel.cliName() + ") did not reach '" + last + "' in " + WAIT
                    + (exit == null ? "" : "; the VM ended: " + exit) + "; serial so far:\n" + serial.output());
            return upTo(serial.output(), last);
        }
    }

    /** QEMU's, for the same machine: pc, TCG, -nographic (SeaBIOS's console on COM1), no devices but the machine's own. */
    static String bootOnQemu(Path dir) throws IOException, InterruptedException {
        return bootOnQemu(dir, null);
    }

    /** As bootOnQemu, with QEMU's isa-debugcon at 0x402 written to debugLog when that is not null. */
    static String bootOnQemu(Path dir, Path debugLog) throws IOException, InterruptedException {
        return bootOnQemu(dir, debugLog, List.of(), LAST);
    }

    /** As bootOnQemu, with more QEMU options (-boot ...), up to and including last. */
    static String bootOnQemu(Path dir, Path debugLog, List<String> options, String last) throws IOException, InterruptedException {
        return bootOnQemu(dir, debugLog, options, last, "pc");
    }

    /** As bootOnQemu, on QEMU's machine (pc, q35,smm=off). */
    static String bootOnQemu(Path dir, Path debugLog, List<String> options, String last, String machine) throws IOException, InterruptedException {
        return bootOnQemu(dir, debugLog, options, last, machine, RAM);
    }

    /** As bootOnQemu, on QEMU's machine with ram bytes of RAM. */
    static String bootOnQemu(Path dir, Path debugLog, List<String> options, String last, String machine, long ram)
            throws IOException, InterruptedException {
        Path out = dir.resolve("qemu-serial.txt");
        // apic-common.vapic=off: QEMU's pc otherwise loads its kvmvapic.bin option ROM (a TPR-patching
        // aid jvirt does not have), which SeaBIOS registers as a legacy boot ROM: "Booting from Hard
        // Disk..." then comes before "Booting from Floppy..."
        List<String> cmd = new java.util.ArrayList<>(List.of(QEMU, "-accel", "tcg", "-machine", machine, "-m", Long.toString(ram >> 20),
                "-bios", BIOS.toString(), "-nographic", "-nodefaults", "-global", "apic-common.vapic=off",
                "-monitor", "none", "-serial", "file:" + out));
        cmd.addAll(options);
        if (debugLog != null) {
            cmd.addAll(List.of("-chardev", "file,id=seabios,path=" + debugLog, "-device", "isa-debugcon,iobase=0x402,chardev=seabios"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            long end = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < end && p.isAlive()) {
                if (Files.exists(out) && Files.readString(out, StandardCharsets.ISO_8859_1).contains(last)) {
                    return upTo(Files.readString(out, StandardCharsets.ISO_8859_1), last);
                }
                Thread.sleep(100);
            }
            throw new AssertionError("QEMU did not reach '" + last + "': " + Files.readString(dir.resolve("qemu.log")));
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    private static String upTo(String text, String last) {
        int at = text.indexOf(last);
        return text.substring(0, at + last.length());
    }

    /** Lines (CR LF or LF), for a readable comparison. */
    static List<String> lines(String text) {
        return List.of(text.split("\r?\n", -1));
    }
}
