package org.jvirt.vmm.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.testing.RequiresKvm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * jvirt-vmm's control command jvirt-save (state file with the domain XML and run state, then
 * exit reason "saved") and --restore FILE (the ticker goes on; a file that does not fit the
 * command line's machine is refused in one line, exit status 1).
 */
@RequiresKvm
class JvirtVmmSaveRestoreKvmTest {

    @TempDir
    Path dir;

    private VmmProcessFixture vmms;

    @BeforeEach
    void fixture() {
        vmms = new VmmProcessFixture(dir);
    }

    @Test
    void saveEndsTheVmAndRestoreGoesOnOrRefusesAMismatch() throws Exception {
        Path control = dir.resolve("vm.monitor");
        Path state = dir.resolve("vm.sav");
        Process first = vmms.start(dir.resolve("first.out"), "--memory", "64M", "--control", control.toString());
        try (ControlClient c = VmmProcessFixture.connect(control, first)) {
            vmms.awaitSerial("tick 3\n");
            c.call(new Command.JvirtSave(state.toString(), "<domain/>", null));
        }
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the VMM exits after a save");
        assertEquals(0, first.exitValue());
        assertTrue(Files.readString(dir.resolve("exit")).startsWith("reason=saved\n"), Files.readString(dir.resolve("exit")));
        MachineStateFile.SavedDomain saved = MachineStateFile.savedDomain(state);
        assertEquals("<domain/>", saved.domainXml());
        assertTrue(saved.wasRunning());
        String before = vmms.serial();

        Process wrong = vmms.start(dir.resolve("wrong.out"), "--memory", "128M", "--restore", state.toString());
        assertTrue(wrong.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, wrong.exitValue());
        assertEquals("jvirt-vmm: state file " + state + ": its RAM layout (0x0+0x4000000) differs from this machine's (0x0+0x8000000)\n",
                Files.readString(dir.resolve("wrong.out")));
        assertTrue(Files.readString(dir.resolve("exit")).startsWith("reason=failed\n"));
        assertEquals(before, vmms.serial(), "a refused restore runs nothing");

        int savedAt = VmmProcessFixture.lastTick(before);
        Process second = vmms.start(dir.resolve("second.out"), "--memory", "64M", "--restore", state.toString());
        try {
            vmms.awaitSerial("tick " + (savedAt + 2) + "\n");
            assertFalse(vmms.serial().substring(before.length()).contains("ticker: running"), "restored, not booted: " + vmms.serial());
        } finally {
            second.destroyForcibly();
            second.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
