package org.jvirt.vmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code jvirt-vmm --restore FILE} without --kernel: the machine is built from the state file
 * alone (RAM, vCPUs, disks as saved) and its kernel is not read, so the ticker goes on even
 * with its kernel file gone; a reboot reads the kernel again from where it was. Runs on the
 * emulator, so it needs no /dev/kvm.
 */
class RestoreFromStateAloneTest {

    @TempDir
    Path dir;

    @Test
    void theStateFileAloneRebuildsTheMachineAndARebootReadsTheKernelAgain() throws Exception {
        VmmProcessFixture vmms = new VmmProcessFixture(dir);
        Path kernel = dir.resolve("kernel.elf");
        Files.copy(GuestImages.require("ticker"), kernel);
        Path state = dir.resolve("vm.sav");
        Path control = dir.resolve("first.monitor");
        Process first = vmms.startWithArgs(dir.resolve("first.out"), "--kernel", kernel.toString(), "--memory", "48M", "--accel", "emu",
                "--control", control.toString());
        try (ControlClient c = VmmProcessFixture.connect(control, first)) {
            vmms.awaitSerial("tick 2\n");
            c.call(new Command.JvirtSave(state.toString(), null, null));
        }
        assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the VMM exits after a save");
        String before = vmms.serial();
        int savedAt = VmmProcessFixture.lastTick(before);

        Process refused = vmms.startWithArgs(dir.resolve("refused.out"), "--restore", state.toString(), "--memory", "48M");
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, refused.exitValue());
        assertTrue(Files.readString(dir.resolve("refused.out")).startsWith(
                "jvirt-vmm: --memory needs --kernel (with --restore alone, the VM is the one the file describes)\n"),
                Files.readString(dir.resolve("refused.out")));

        Path moved = dir.resolve("kernel.away");
        Files.move(kernel, moved);
        control = dir.resolve("second.monitor");
        Process second = vmms.startWithArgs(dir.resolve("second.out"), "--restore", state.toString(), "--accel", "emu",
                "--control", control.toString());
        try (ControlClient c = VmmProcessFixture.connect(control, second)) {
            vmms.awaitSerial("tick " + (savedAt + 2) + "\n");
            assertFalse(vmms.serial().substring(before.length()).contains("ticker: running"), "restored, not booted: " + vmms.serial());
            Files.move(moved, kernel);
            c.call(new Command.SystemReset());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (vmms.serial().split("ticker: running", -1).length - 1 < 2) {
                assertTrue(System.nanoTime() < end, "a reboot boots the saved machine's kernel again: " + vmms.serial());
                Thread.sleep(50);
            }
        } finally {
            second.destroyForcibly();
            second.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
