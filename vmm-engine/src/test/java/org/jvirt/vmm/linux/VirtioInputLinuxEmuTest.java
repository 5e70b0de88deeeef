package org.jvirt.vmm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * Linux's own virtio_input driver (the Debian cloud kernel's module, in the initrd variant made by
 * test-fixtures/linux/virtio-input-initrd.sh) on a virtio keyboard, tablet and mouse at 05.0,
 * 06.0, 07.0: under jvirt's emulator and under QEMU TCG the /init prints the same
 * /proc/bus/input/devices (names, ids, every capability bitmap Linux built from the config
 * space, the sysfs paths) and the same four evdev events for the 'a' key the host types into the
 * virtio keyboard. A Linux boot on the emulator takes about half a minute: opt in with
 * -Djvirt.linux.vinput=true (the first run downloads the kernel package again for its modules).
 */
class VirtioInputLinuxEmuTest {
    private static final Duration BOOT_WITHIN = Duration.ofSeconds(300);
    private static final String CMDLINE = LinuxImages.CMDLINE + " jvirt.vinput=1";

    @TempDir
    Path tmp;

    @Test
    void linuxSeesWhatItSeesUnderQemu() throws Exception {
        assumeTrue(Boolean.getBoolean("jvirt.linux.vinput"), "a Linux boot on the emulator (~30 s): runs with -Djvirt.linux.vinput=true");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: no qemu-system-x86_64");
        Path kernel = LinuxImages.require("vmlinuz");
        LinuxImages.require("initrd.img");
        Path dir = LinuxImages.dir();
        Path script = dir.resolve("../../linux/virtio-input-initrd.sh").normalize();
        Process p = new ProcessBuilder("sh", script.toString(), dir.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), script + " failed");
        Path why = dir.resolve("UNAVAILABLE-vinput");
        assumeTrue(!Files.exists(why), () -> "skipped: " + readQuietly(why));
        Path initrd = dir.resolve("initrd-vinput.img");

        String qemu;
        try (QemuQmp q = QemuQmp.start(tmp, "-M", "pc", "-accel", "tcg", "-m", String.valueOf(LinuxImages.MEMORY >> 20), "-nodefaults",
                "-no-user-config", "-display", "none", "-no-reboot", "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", CMDLINE, "-device", "virtio-keyboard-pci,addr=05.0", "-device", "virtio-tablet-pci,addr=06.0",
                "-device", "virtio-mouse-pci,addr=07.0", "-bios", "/usr/share/qemu/qboot.rom")) {
            assertTrue(q.awaitOutput("init: VINPUT-READ", BOOT_WITHIN), q.output());
            q.command("qmp_capabilities");
            String r = q.command("send-key", "{\"keys\":[{\"type\":\"number\",\"data\":30}],\"hold-time\":1}");
            assertTrue(r.contains("\"return\""), r);
            assertTrue(q.awaitOutput(LinuxImages.READY, Duration.ofSeconds(60)), q.output());
            qemu = q.output();
        }

        InMemorySerialBackend serial = new InMemorySerialBackend();
        long t0 = System.nanoTime();
        try (Machine m = Machine.create(MachineConfig.of(kernel).withAccel(MachineConfig.Accel.EMU).withMemory(LinuxImages.MEMORY)
                .withInitrd(initrd).withCmdline(CMDLINE).withSerial(new MachineConfig.Serial.Custom(serial)).withInputs(List.of(
                        new MachineConfig.InputDevice(MachineConfig.InputKind.KEYBOARD, MachineConfig.InputBus.VIRTIO, PciAddress.root(5, 0)),
                        new MachineConfig.InputDevice(MachineConfig.InputKind.TABLET, MachineConfig.InputBus.VIRTIO, PciAddress.root(6, 0)),
                        new MachineConfig.InputDevice(MachineConfig.InputKind.MOUSE, MachineConfig.InputBus.VIRTIO, PciAddress.root(7, 0)))))) {
            m.start();
            assertTrue(serial.awaitOutput("init: VINPUT-READ", BOOT_WITHIN), serial.output());
            Thread.sleep(200); // dd is reading
            m.board().input().key(0x1e, true);
            m.board().input().key(0x1e, false);
            MachineExit exit = m.awaitExit(Duration.ofSeconds(60));
            assertTrue(exit != null && exit.kind() == MachineExit.Kind.POWER_OFF, "no power-off: " + exit + "\n" + serial.output());
        }
        System.out.printf("[linux] emu virtio-input boot and check: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        List<String> mine = initLines(serial.output()), theirs = initLines(qemu);
        assertTrue(theirs.contains("init: N: Name=\"QEMU Virtio Keyboard\"") && theirs.contains("init: N: Name=\"QEMU Virtio Mouse\"")
                && theirs.contains("init: event 0001 001e 0001 0000"), qemu);
        assertEquals(theirs, mine, "jvirt:\n" + serial.output() + "\nQEMU:\n" + qemu);
    }

    /**
     * The init lines from the first virtio device's (Bus=0006) on, input numbers left out: the
     * platform before them differs (QEMU's i8042 left untranslated by qboot, "AT Raw Set 2
     * keyboard"; jvirt's translated, as after a BIOS; and jvirt's kernel boot numbers two more
     * input devices first, gone by then), which is not virtio-input's doing.
     */
    private static List<String> initLines(String serial) {
        List<String> out = new ArrayList<>();
        boolean on = false;
        for (String l : serial.replace("\r", "").split("\n")) {
            if (l.startsWith("init: I: Bus=0006")) on = true;
            if (on && l.startsWith("init: ")) out.add(l.replaceAll("/input/input\\d+", "/input/inputN"));
        }
        return out;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p).strip();
        } catch (java.io.IOException e) {
            return e.getMessage();
        }
    }
}
