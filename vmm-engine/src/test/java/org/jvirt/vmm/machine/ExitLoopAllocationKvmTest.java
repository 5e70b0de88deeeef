package org.jvirt.vmm.machine;

import org.jvirt.vmm.testing.RequiresKvm;

import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.testing.GuestImages;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The vCPU thread allocates (next to) nothing while the pio-loop guest makes 100 000 port-I/O exits. */
@RequiresKvm
class ExitLoopAllocationKvmTest {

    @Test
    void portIoExitsAllocateNothing() throws Exception {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "skipped: this JVM cannot count per-thread allocation");
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "skipped: per-thread allocation counting unsupported");
        mx.setThreadAllocatedMemoryEnabled(true);
        Path elf = GuestImages.require("pio-loop");
        InMemorySerialBackend serial = new InMemorySerialBackend();
        try (Machine m = Machine.create(MachineConfig.of(elf).withMemory(64L << 20)
                .withSerial(new MachineConfig.Serial.Custom(serial)))) {
            m.start();
            Thread vcpu = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (vcpu == null && System.nanoTime() < deadline) {
                for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().equals("jvirt-vcpu-0")) vcpu = t;
            }
            assertNotNull(vcpu);
            // the guest prints nothing until the loop is done: sample from boot to its result line
            long first = mx.getThreadAllocatedBytes(vcpu.getId()), last = first;
            long t0 = System.nanoTime(), t1 = t0;
            while (!serial.output().contains("outs to port") && vcpu.isAlive()) {
                long a = mx.getThreadAllocatedBytes(vcpu.getId());
                if (a < 0) break;
                last = a;
                t1 = System.nanoTime();
                Thread.sleep(20);
            }
            assertTrue(serial.awaitOutput("ok pio-loop", Duration.ofSeconds(30)), serial.output());
            double seconds = (t1 - t0) / 1e9;
            assumeTrue(seconds > 0.5, "skipped: sampled only " + seconds + " s of the loop");
            long exitsSampled = (long) (seconds * 20_000); // well under the ~30 000/s measured here
            assertTrue(last - first < exitsSampled / 10,
                    "vCPU thread allocated " + (last - first) + " bytes over ~" + exitsSampled + " port-I/O exits");
        }
    }
}
