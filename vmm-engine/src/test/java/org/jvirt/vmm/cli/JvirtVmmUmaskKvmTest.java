package org.jvirt.vmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirt.vmm.protocol.Chardevs;
import org.jvirt.vmm.protocol.Command;
import org.jvirt.vmm.protocol.ControlClient;
import org.jvirt.vmm.testing.GuestImages;
import org.jvirt.vmm.testing.RequiresKvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** jvirt-vmm started with umask 000: its control socket and every kind of console it creates are 0600. */
@RequiresKvm
class JvirtVmmUmaskKvmTest {

    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Runs jvirt-vmm under umask 000 with the ticker guest and this console; checks the sockets once it answers. */
    private void withVmm(String serial, Check check) throws Exception {
        Path control = dir.resolve("vm.monitor");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", "umask 000; exec \"$@\"", "sh", java, "-cp", System.getProperty("java.class.path"),
                JvirtVmmMain.class.getName(), "--kernel", GuestImages.require("ticker").toString(), "--memory", "64M",
                "--control", control.toString(), "--serial", serial)
                .redirectErrorStream(true).redirectOutput(dir.resolve("vmm.out").toFile()).start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(control)) {
                assertTrue(p.isAlive(), () -> "jvirt-vmm exited: " + read(dir.resolve("vmm.out")));
                assertTrue(System.nanoTime() < end, "no control socket within 60 s");
                Thread.sleep(20);
            }
            try (ControlClient c = ControlClient.connect(control, Duration.ofSeconds(10))) {
                assertEquals("rw-------", mode(control));
                check.run(c.call(new Command.QueryChardev()));
            } catch (IOException e) {
                throw new AssertionError(e + "; jvirt-vmm said: " + read(dir.resolve("vmm.out")), e);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private interface Check {
        void run(Chardevs chardevs) throws Exception;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void unixConsoleIs0600() throws Exception {
        Path console = dir.resolve("console.sock");
        withVmm("unix:" + console, chardevs -> assertEquals("rw-------", mode(console)));
    }

    @Test
    void fileConsoleIs0600() throws Exception {
        Path out = dir.resolve("console.log");
        withVmm("file:" + out, chardevs -> assertEquals("rw-------", mode(out)));
    }

    @Test
    void ptyConsoleIs0600() throws Exception {
        withVmm("pty", chardevs -> {
            String pty = chardevs.ptyPath();
            assertTrue(pty != null && pty.startsWith("/dev/pts/"), String.valueOf(chardevs));
            assertEquals("rw-------", mode(Path.of(pty)), "grantpt's 0620 group tty is narrowed");
        });
    }
}
