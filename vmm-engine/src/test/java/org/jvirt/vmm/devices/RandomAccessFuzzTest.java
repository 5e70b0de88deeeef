package org.jvirt.vmm.devices;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Clock;
import java.util.Random;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.devices.acpi.AcpiPm;
import org.jvirt.vmm.devices.i8042.I8042;
import org.jvirt.vmm.devices.rtc.CmosRtc;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.devices.serial.Uart16550;
import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.Test;

/** Random register accesses (any offset in range, any size, any value) never throw out of a device. */
class RandomAccessFuzzTest {

    @Test
    void legacyDevicesSurviveRandomAccesses() {
        RecordingInterruptLine line = new RecordingInterruptLine();
        I8042 kbc = new I8042(line, line, () -> { });
        IoDevice[] devices = {
                new Uart16550(line, new InMemorySerialBackend()),
                kbc, kbc.dataPort(), kbc.commandPort(),
                new CmosRtc(Clock.systemUTC(), 1L << 30, 0),
                new AcpiPm(line, () -> { }),
        };
        int[] lengths = {8, 5, 1, 1, 2, AcpiPm.LENGTH};
        Random rnd = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            int k = rnd.nextInt(devices.length);
            long offset = rnd.nextInt(lengths[k]);
            int size = 1 << rnd.nextInt(3);
            if (rnd.nextBoolean()) {
                long v = devices[k].read(offset, size);
                assertTrue(size == 8 || (v >>> (8 * size)) == 0, "value wider than the access");
            } else {
                devices[k].write(offset, size, rnd.nextLong());
            }
        }
    }
}
