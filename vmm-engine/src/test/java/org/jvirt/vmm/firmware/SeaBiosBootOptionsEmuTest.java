package org.jvirt.vmm.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.jvirt.vmm.machine.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, deliver 1: libvirt's {@code <bootmenu enable='yes' timeout='N'/>} and {@code <bios
 * rebootTimeout='N'/>} reach SeaBIOS as QEMU's -boot menu=on,splash-time=N,reboot-timeout=N
 * (fw_cfg's boot-menu key, etc/boot-menu-wait, etc/boot-fail-wait): SeaBIOS offers its menu on
 * the serial console, boots nothing, and announces its reboot, byte for byte as under QEMU TCG.
 */
class SeaBiosBootOptionsEmuTest {
    static final String RETRY = "No bootable device.  Retrying in 3 seconds.";

    @Test
    void theBootMenuAndTheRebootTimeoutAreSeaBiosOwnUnderBoth(@TempDir Path dir) throws Exception {
        SeaBiosReference.assumeBios();
        SeaBiosReference.assumeQemu();
        String qemu = SeaBiosReference.bootOnQemu(dir, null, List.of("-boot", "menu=on,splash-time=500,reboot-timeout=3000"), RETRY);
        String jvirt = SeaBiosReference.bootOnJvirt(MachineConfig.Accel.EMU, null,
                new MachineConfig.Boot(null, false, true, 500, 3000), RETRY);
        assertTrue(qemu.contains("Press ESC for boot menu."), "QEMU's output: " + qemu);
        assertEquals(SeaBiosReference.lines(qemu), SeaBiosReference.lines(jvirt));
        assertEquals(qemu, jvirt, "byte for byte (terminal escapes, CR LF)");
    }
}
