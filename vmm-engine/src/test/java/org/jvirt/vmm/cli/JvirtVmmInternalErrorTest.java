package org.jvirt.vmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** An unexpected exception in jvirt-vmm: one line on stderr (the domain log), the trace in jvirt-vmm.log. */
class JvirtVmmInternalErrorTest {

    @Test
    void anUnexpectedExceptionIsOneLineAndTheTraceIsLogged(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            // a NUL in a path: Path.of throws InvalidPathException while the options are read
            status = JvirtVmmMain.run(new String[]{"--kernel", "k\0.elf"}, dir.resolve("log"));
        } finally {
            System.setErr(saved);
        }
        assertEquals(JvirtVmmMain.EXIT_ERROR, status);
        Path log = dir.resolve("log/jvirt-vmm.log");
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals("jvirt-vmm: internal error: InvalidPathException: Nul character not allowed: k\0.elf; details in " + log + "\n", e);
        assertFalse(e.contains("\tat "), e);
        assertTrue(Files.readString(log).contains("\tat org.jvirt.vmm.cli.CliArguments"));
    }
}
