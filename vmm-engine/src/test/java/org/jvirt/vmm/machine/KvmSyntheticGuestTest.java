package org.jvirt.vmm.machine;

import org.jvirt.vmm.testing.RequiresKvm;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Boots a tiny synthetic PVH guest under KVM: start info, COM1 output, debug exit. */
@RequiresKvm
class KvmSyntheticGuestTest {

    @Test
    void pvhGuestPrintsOnSerialAndExitsThroughDebugPort(@TempDir Path dir) throws Exception {
        Path kernel = dir.resolve("ok.elf");
        Files.write(kernel, TestImages.pvhElf(false, TestImages.PVH_OK_CODE, TestImages.LOAD, 0, TestImages.LOAD));
        InMemorySerialBackend serial = new InMemorySerialBackend();
        MachineConfig cfg = MachineConfig.of(kernel).withMemory(64L << 20)
                .withSerial(new MachineConfig.Serial.Custom(serial));
        try (Machine m = Machine.create(cfg)) {
            m.start();
            MachineExit exit = m.awaitExit(Duration.ofSeconds(20));
            assertNotNull(exit, "guest did not exit; serial so far: " + serial.output());
            assertEquals(MachineExit.Kind.DEBUG_EXIT, exit.kind(), exit.message());
            assertEquals(5, exit.debugExitValue());
            assertEquals(11, exit.exitStatus());
            assertEquals("ok\n", serial.output());
        }
    }
}
