package org.jvirt.vmm.machine;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.kvm.Kvm;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Boots each test-fixtures guest under KVM and checks its "ok NAME" line and exit status; where
 * qemu-system-x86_64 exists, runs the same image under QEMU and expects the same result.
 */
class GuestImagesKvmTest {
    static final long MEMORY = 64L << 20;

    @BeforeAll
    static void needKvm() {
        assumeTrue(Kvm.isPresent(), "skipped: /dev/kvm is missing or not accessible");
    }

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
    })
    void guestPassesUnderJvirtAndQemu(String name, int cpus, int status) throws Exception {
        Path elf = GuestImages.require(name);
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig cfg = MachineConfig.of(elf).withMemory(MEMORY).withVcpus(cpus)
                .withSerial(new MachineConfig.Serial.Custom(serial));
        MachineExit exit;
        try (Machine m = Machine.create(cfg)) {
            m.start();
            exit = m.awaitExit(Duration.ofSeconds(60));
        }
        String out = serial.output().replace("\r\n", "\n");
        assertNotNull(exit, name + " did not finish; serial:\n" + out);
        assertTrue(out.contains("\nok " + name + "\n"), "serial:\n" + out);
        assertFalse(out.contains("not ok"), out);
        assertEquals(status, exit.exitStatus(), exit + "\n" + out);
        if (name.equals("reset")) assertTrue(out.contains("second boot"), out);

        if (!GuestImages.onPath("qemu-system-x86_64")) return; // reference run only where QEMU is installed
        QemuResult q = runQemu(elf, cpus);
        String qout = q.output.replace("\r\n", "\n");
        assertTrue(qout.contains("\nok " + name + "\n"), "under QEMU:\n" + qout);
        assertFalse(qout.contains("not ok"), qout);
        assertEquals(status, q.status, "QEMU exit status; output:\n" + q.output);
    }

    record QemuResult(int status, String output) { }

    /** The reference command line (as test-fixtures/run-under-qemu.sh): pc machine, KVM, COM1 on stdio, isa-debug-exit at 0xf4. */
    static QemuResult runQemu(Path elf, int cpus) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-M", "pc", "-accel", "kvm",
                "-m", String.valueOf(MEMORY >> 20), "-smp", String.valueOf(cpus), "-nodefaults", "-no-user-config",
                "-nographic", "-serial", "stdio", "-monitor", "none",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", elf.toString()));
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
