package org.jvirt.vmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * jvirt-vmm's pid file lock: a VMM whose pid file another process holds, or whose start its
 * manager cancelled, exits at once with one line and touches none of the running VM's files.
 * (No KVM needed: the lock comes before anything else.)
 */
class PidFileLockTest {

    @Test
    void aCancelledStartExitsWithoutTouchingAnything(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("vm.pid");
        Files.writeString(pid, "cancelled\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = JvirtVmmMain.run(new String[]{"--kernel", dir.resolve("k.elf").toString(), "--pidfile", pid.toString(),
                    "--start-token", "7d0c", "--exit-file", dir.resolve("vm.exit").toString(),
                    "--control", dir.resolve("vm.monitor").toString()}, dir.resolve("log"));
        } finally {
            System.setErr(saved);
        }
        assertEquals(JvirtVmmMain.EXIT_ERROR, status);
        assertEquals("jvirt-vmm: start cancelled: " + pid + " no longer holds this start's token (the manager gave up on it)\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals("cancelled\n", Files.readString(pid));
        assertFalse(Files.exists(dir.resolve("vm.exit")), "the exit file is not this VMM's to write");
        assertFalse(Files.exists(dir.resolve("vm.monitor")));
    }

    @Test
    void aSecondVmmForALockedPidFileRefusesToStart(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("vm.pid");
        Path exit = dir.resolve("vm.exit");
        Path monitor = dir.resolve("vm.monitor");
        Files.writeString(exit, "reason=running-one's\n");
        Files.writeString(monitor, "the running VMM's socket\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (FileChannel ch = FileChannel.open(pid, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = ch.lock()) {
            ch.write(ByteBuffer.wrap("4242\n".getBytes(StandardCharsets.US_ASCII))); // not Files.write: closing another fd drops fcntl locks
            Process second = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    JvirtVmmMain.class.getName(), "--kernel", dir.resolve("k.elf").toString(), "--pidfile", pid.toString(),
                    "--exit-file", exit.toString(), "--control", monitor.toString()))
                    .redirectErrorStream(true).start();
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(JvirtVmmMain.EXIT_ERROR, second.exitValue(), out);
            assertEquals("jvirt-vmm: " + pid + " is locked by another jvirt-vmm (pid 4242): this VM is already running\n", out);
            assertTrue(held.isValid());
        }
        assertEquals("4242\n", Files.readString(pid));
        assertEquals("reason=running-one's\n", Files.readString(exit));
        assertEquals("the running VMM's socket\n", Files.readString(monitor));
    }

    @Test
    void aStartTokenNeedsAPidFile() {
        CliArguments.UsageException e = assertThrows(CliArguments.UsageException.class,
                () -> CliArguments.parseOptions(new String[]{"--kernel", "k", "--start-token", "x"}));
        assertEquals("--start-token needs --pidfile", e.getMessage());
    }
}
