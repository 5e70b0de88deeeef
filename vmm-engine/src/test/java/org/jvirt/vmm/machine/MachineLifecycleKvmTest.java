package org.jvirt.vmm.machine;

import org.jvirt.vmm.testing.RequiresKvm;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Pause, resume, host reset, stop and error reporting of a running KVM guest. */
@RequiresKvm
class MachineLifecycleKvmTest {

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    @Test
    void pauseStopsTheGuestResumeContinuesResetRebootsStopEnds() throws Exception {
        Path elf = GuestImages.require("ticker");
        InMemorySerialBackend serial = new InMemorySerialBackend();
        try (Machine m = Machine.create(MachineConfig.of(elf).withMemory(64L << 20)
                .withSerial(new MachineConfig.Serial.Custom(serial)))) {
            m.start();
            assertTrue(serial.awaitOutput("tick 3\r\n", Duration.ofSeconds(20)), serial.output());

            m.pause();
            String atPause = serial.output();
            Thread.sleep(400); // 4 ticks of guest time would pass if it were running
            assertEquals(atPause, serial.output(), "a paused guest prints nothing");
            assertTrue(m.isRunning());

            m.resume();
            int ticksBefore = count(atPause, "tick ");
            assertTrue(serial.awaitOutput("tick " + (ticksBefore + 3) + "\r\n", Duration.ofSeconds(20)), serial.output());

            m.reset();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (count(serial.output(), "ticker: running") < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            assertEquals(2, count(serial.output(), "ticker: running"), "guest booted again after reset:\n" + serial.output());
            assertEquals(1, m.resetCount());

            m.stop();
            MachineExit exit = m.awaitExit(Duration.ofSeconds(20));
            assertNotNull(exit);
            assertEquals(MachineExit.Kind.STOPPED, exit.kind());
            assertEquals(0, exit.exitStatus());
            assertFalse(m.isRunning());
        }
    }

    @Test
    void codeThatTheCpuCannotRunEndsTheVmWithAnErrorNamingRip(@TempDir Path dir) throws Exception {
        // mov eax, 0xd0000000; jmp eax -- executes from the PCI hole, where there is no RAM
        byte[] code = TestImages.bytes(0xB8, 0x00, 0x00, 0x00, 0xD0, 0xFF, 0xE0);
        Path kernel = dir.resolve("bad.elf");
        Files.write(kernel, TestImages.pvhElf(false, code, TestImages.LOAD, 0, TestImages.LOAD));
        try (Machine m = Machine.create(MachineConfig.of(kernel).withMemory(16L << 20)
                .withSerial(new MachineConfig.Serial.Custom(new InMemorySerialBackend())))) {
            m.start();
            MachineExit exit = m.awaitExit(Duration.ofSeconds(20));
            assertNotNull(exit, "the VM should have ended");
            assertEquals(MachineExit.Kind.ERROR, exit.kind(), exit.message());
            assertEquals(1, exit.exitStatus());
            assertTrue(exit.message().contains("RIP="), exit.message());
        }
    }

    @Test
    void tripleFaultResetsTheGuestKeepingRam(@TempDir Path dir) throws Exception {
        byte[] code = TestImages.bytes(
                0xA1, 0x00, 0x00, 0x80, 0x00,                          // mov eax, [0x800000]
                0x3D, 0x78, 0x56, 0x34, 0x12,                          // cmp eax, 0x12345678
                0x74, 0x10,                                            // je second_boot
                0xC7, 0x05, 0x00, 0x00, 0x80, 0x00, 0x78, 0x56, 0x34, 0x12, // mov dword [0x800000], 0x12345678
                0x66, 0xB8, 0x40, 0x00, 0x8E, 0xD8,                    // mov ds, 0x40: beyond the GDT, #GP with no IDT -> triple fault
                0xB0, 0x05, 0xE6, 0xF4, 0xF4, 0xEB, 0xFD);             // second_boot: debug-exit 5
        Path kernel = dir.resolve("tf.elf");
        Files.write(kernel, TestImages.pvhElf(false, code, TestImages.LOAD, 0, TestImages.LOAD));
        try (Machine m = Machine.create(MachineConfig.of(kernel).withMemory(16L << 20)
                .withSerial(new MachineConfig.Serial.Custom(new InMemorySerialBackend())))) {
            m.start();
            MachineExit exit = m.awaitExit(Duration.ofSeconds(20));
            assertNotNull(exit);
            assertEquals(MachineExit.Kind.DEBUG_EXIT, exit.kind(), exit.message());
            assertEquals(5, exit.debugExitValue());
            assertEquals(1, m.resetCount(), "one reset, from the triple fault");
        }
    }
}
