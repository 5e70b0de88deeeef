package org.jvirt.vmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.RequiresKvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A machine moves between CPU backends through one state file: the ticker runs on KVM, is
 * saved, restored in a new jvirt-vmm on the emulator ({@code --accel emu}) and goes on
 * ticking from where it stopped; saved there, restored on KVM, and goes on again. Each
 * restore must continue (no second "ticker: running" boot banner) and the tick numbers must
 * run on without a gap or a repeat across both moves.
 */
@RequiresKvm
class CrossBackendSaveRestoreKvmTest {

    @TempDir
    Path dir;

    @Test
    void tickerSavedOnKvmGoesOnOnTheEmulatorAndBack() throws Exception {
        VmmProcessFixture vmms = new VmmProcessFixture(dir);
        String banner = "ticker: running";

        Path onKvm = dir.resolve("kvm.sav");
        Process kvm = vmms.start(dir.resolve("kvm.out"), "--memory", "64M", "--accel", "kvm", "--control", dir.resolve("kvm.monitor").toString());
        saveAfter(vmms, kvm, dir.resolve("kvm.monitor"), "tick 3\n", onKvm);
        String first = vmms.serial();
        int kvmLast = VmmProcessFixture.lastTick(first);

        Path onEmu = dir.resolve("emu.sav");
        Process emu = vmms.start(dir.resolve("emu.out"), "--memory", "64M", "--accel", "emu", "--restore", onKvm.toString(),
                "--control", dir.resolve("emu.monitor").toString());
        saveAfter(vmms, emu, dir.resolve("emu.monitor"), "tick " + (kvmLast + 3) + "\n", onEmu);
        String second = vmms.serial();
        assertFalse(second.substring(first.length()).contains(banner), "the emulator continued, it did not boot: " + second);
        int emuLast = VmmProcessFixture.lastTick(second);

        Process back = vmms.start(dir.resolve("back.out"), "--memory", "64M", "--accel", "kvm", "--restore", onEmu.toString());
        try {
            vmms.awaitSerial("tick " + (emuLast + 3) + "\n");
        } finally {
            back.destroyForcibly();
            back.waitFor(10, TimeUnit.SECONDS);
        }
        String all = vmms.serial();
        assertFalse(all.substring(second.length()).contains(banner), "KVM continued, it did not boot: " + all);
        assertEquals(1, all.split(banner, -1).length - 1, "one boot in all: " + all);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("tick (\\d+)\n").matcher(all);
        int expected = 1;
        while (m.find()) {
            assertEquals(expected, Integer.parseInt(m.group(1)), "ticks run on without a gap or a repeat: " + all);
            expected++;
        }
    }

    /** Waits for {@code text} on the serial console, then saves {@code vmm} to {@code state}; the VMM must exit as saved. */
    private static void saveAfter(VmmProcessFixture vmms, Process vmm, Path control, String text, Path state) throws Exception {
        try (ControlClient c = VmmProcessFixture.connect(control, vmm)) {
            vmms.awaitSerial(text);
            c.call(new Command.JvirtSave(state.toString(), "<domain/>", null));
        }
        assertTrue(vmm.waitFor(60, TimeUnit.SECONDS), "the VMM exits after a save");
        assertEquals(0, vmm.exitValue(), Files.readString(vmms.dir().resolve("exit")));
        assertTrue(Files.readString(vmms.dir().resolve("exit")).startsWith("reason=saved\n"), Files.readString(vmms.dir().resolve("exit")));
    }
}
