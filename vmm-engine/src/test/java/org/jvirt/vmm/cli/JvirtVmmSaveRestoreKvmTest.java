package org.jvirt.vmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.machine.MachineStateFile;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.RequiresKvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private Process vmm(Path out, String... extra) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), JvirtVmmMain.class.getName(),
                "--kernel", GuestImages.require("ticker").toString(), "--serial", "file:" + dir.resolve("serial.log"),
                "--exit-file", dir.resolve("exit").toString()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    private String serial() throws IOException {
        Path p = dir.resolve("serial.log");
        return Files.exists(p) ? Files.readString(p).replace("\r\n", "\n") : "";
    }

    private void awaitSerial(String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!serial().contains(text)) {
            assertTrue(System.nanoTime() < end, "serial never showed '" + text.trim() + "': " + serial());
            Thread.sleep(20);
        }
    }

    private static ControlClient connect(Path control, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(control)) {
            assertTrue(p.isAlive() && System.nanoTime() < end, "no control socket");
            Thread.sleep(20);
        }
        return ControlClient.connect(control, Duration.ofSeconds(30));
    }

    @Test
    void saveEndsTheVmAndRestoreGoesOnOrRefusesAMismatch() throws Exception {
        Path control = dir.resolve("vm.monitor");
        Path state = dir.resolve("vm.sav");
        Process first = vmm(dir.resolve("first.out"), "--memory", "64M", "--control", control.toString());
        try (ControlClient c = connect(control, first)) {
            awaitSerial("tick 3\n");
            c.call(new Command.JvirtSave(state.toString(), "<domain/>", null));
        }
        assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the VMM exits after a save");
        assertEquals(0, first.exitValue());
        assertTrue(Files.readString(dir.resolve("exit")).startsWith("reason=saved\n"), Files.readString(dir.resolve("exit")));
        MachineStateFile.SavedDomain saved = MachineStateFile.savedDomain(state);
        assertEquals("<domain/>", saved.domainXml());
        assertTrue(saved.wasRunning());
        String before = serial();

        Process wrong = vmm(dir.resolve("wrong.out"), "--memory", "128M", "--restore", state.toString());
        assertTrue(wrong.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, wrong.exitValue());
        assertEquals("jvirt-vmm: state file " + state + ": its RAM layout (0x0+0x4000000) differs from this machine's (0x0+0x8000000)\n",
                Files.readString(dir.resolve("wrong.out")));
        assertTrue(Files.readString(dir.resolve("exit")).startsWith("reason=failed\n"));
        assertEquals(before, serial(), "a refused restore runs nothing");

        java.util.regex.Matcher m = java.util.regex.Pattern.compile("tick (\\d+)\n").matcher(before);
        int savedAt = -1;
        while (m.find()) savedAt = Integer.parseInt(m.group(1));
        Process second = vmm(dir.resolve("second.out"), "--memory", "64M", "--restore", state.toString());
        try {
            awaitSerial("tick " + (savedAt + 2) + "\n");
            assertFalse(serial().substring(before.length()).contains("ticker: running"), "restored, not booted: " + serial());
        } finally {
            second.destroyForcibly();
            second.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
