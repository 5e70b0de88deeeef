package org.jvirt.vmm.firmware;

import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.RequiresKvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SeaBIOS under KVM: the ROM at the top of 4 GiB is a read-only KVM memory slot (KVM cannot
 * fetch instructions from MMIO); COM1 shows what QEMU TCG shows with the same firmware.
 */
@RequiresKvm
class SeaBiosKvmTest {

    @Test
    void seabiosSerialOutputMatchesQemu(@TempDir Path dir) throws Exception {
        SeaBiosReference.assumeBios();
        SeaBiosReference.assumeQemu();
        String qemu = SeaBiosReference.bootOnQemu(dir);
        String jvirt = SeaBiosReference.bootOnJvirt(MachineConfig.Accel.KVM);
        assertEquals(SeaBiosReference.lines(qemu), SeaBiosReference.lines(jvirt));
        assertEquals(qemu, jvirt);
    }
}
