package org.jvirt.vmm.machine;

import org.jvirt.vmm.testing.RequiresKvm;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.QemuQmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ACPI power button end to end: the ticker guest arms PWRBTN_EN and takes the SCI (IRQ 9,
 * level, through the 8259); a host press makes it print "ticker: power button" and enter S5.
 * Under jvirt the press is {@link Machine#requestPowerButton()}; under QEMU (the reference,
 * when installed) it is QMP's system_powerdown. Both must end with a power-off (status 0).
 */
@RequiresKvm
class PowerButtonKvmTest {
    static final Duration POWER_OFF_WITHIN = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @Test
    void tickerPowersOffOnThePowerButtonUnderJvirt() throws Exception {
        Path elf = GuestImages.require("ticker");
        InMemorySerialBackend serial = new InMemorySerialBackend();
        try (Machine m = Machine.create(MachineConfig.of(elf).withMemory(64L << 20)
                .withSerial(new MachineConfig.Serial.Custom(serial)))) {
            m.start();
            assertTrue(serial.awaitOutput("tick 1\r\n", Duration.ofSeconds(20)), serial.output());
            assertTrue(serial.output().contains("ticker: power button on SCI 9 (PM1a_EVT 0x600, PM1a_CNT 0x604, SCI_EN 1)"),
                    serial.output());
            assertNull(m.awaitExit(Duration.ofMillis(300)), "the ticker runs until powered off");

            m.requestPowerButton();
            MachineExit exit = m.awaitExit(POWER_OFF_WITHIN);
            String out = serial.output();
            assertNotNull(exit, "no power-off within " + POWER_OFF_WITHIN + "; serial:\n" + out);
            assertEquals(MachineExit.Kind.POWER_OFF, exit.kind(), exit + "\n" + out);
            assertEquals(0, exit.exitStatus());
            assertTrue(out.contains("ticker: power button\r\n"), out);
            assertFalse(out.contains("not ok"), out);
        }
    }

    @Test
    void tickerPowersOffOnSystemPowerdownUnderQemu() throws Exception {
        Path elf = GuestImages.require("ticker");
        assumeTrue(GuestImages.onPath("qemu-system-x86_64"), "skipped: qemu-system-x86_64 is not installed");
        List<String> args = new ArrayList<>(List.of("-M", "pc", "-accel", "kvm", "-m", "64", "-nodefaults",
                "-no-user-config", "-display", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-kernel", elf.toString()));
        Path qboot = Path.of("/usr/share/qemu/qboot.rom"); // as run-under-qemu.sh: fast firmware when present
        if (Files.isRegularFile(qboot)) args.addAll(List.of("-bios", qboot.toString()));
        try (QemuQmp q = QemuQmp.start(tmp, args.toArray(String[]::new))) {
            assertTrue(q.awaitOutput("tick 1\r\n", Duration.ofSeconds(30)), q.output());
            assertTrue(q.output().contains("ticker: power button on SCI 9 (PM1a_EVT 0x600, PM1a_CNT 0x604"), q.output());
            assertFalse(q.hasExited(), "the ticker runs until powered off");

            q.command("system_powerdown");
            Integer status = q.awaitExit(POWER_OFF_WITHIN);
            String out = q.output();
            assertNotNull(status, "QEMU still running " + POWER_OFF_WITHIN + " after system_powerdown; serial:\n" + out);
            assertEquals(0, status, out);
            assertTrue(out.contains("ticker: power button\r\n"), out);
            assertFalse(out.contains("not ok"), out);
        }
    }
}
