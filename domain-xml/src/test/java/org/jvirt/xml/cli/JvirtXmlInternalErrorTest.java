package org.jvirt.xml.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** An unexpected exception in jvirt-xml: one line on stderr, the stack trace in jvirt-xml.log. */
class JvirtXmlInternalErrorTest {

    @Test
    void anUnexpectedExceptionIsOneLineAndTheTraceIsLogged(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        Path logDir = dir.resolve("log");
        // a NUL in a file name: Path.of throws InvalidPathException, which no handler expects
        int status = new JvirtXmlMain(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), logDir).run(new String[]{"canon", "a\0b.xml"});
        assertEquals(1, status);
        Path log = logDir.resolve("jvirt-xml.log");
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals("error: internal error: InvalidPathException: Nul character not allowed: a\0b.xml; details in " + log + "\n", e);
        assertFalse(e.contains("\tat "), e);
        String trace = Files.readString(log);
        assertTrue(trace.contains("\tat org.jvirt.xml.cli.JvirtXmlMain"), trace);
    }
}
