package org.jvirt.vmm.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** With umask 000 (bind(2) would make the socket 0777) the control and console sockets are still 0600. */
class UmaskTest {

    @Test
    void socketsAre0600UnderUmask000(@TempDir Path dir) throws Exception {
        Path control = dir.resolve("c.monitor"), console = dir.resolve("console.sock");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("sh", "-c", "umask 000; exec \"$@\"", "sh", java, "-cp",
                System.getProperty("java.class.path"), UmaskProbe.class.getName(), control.toString(), console.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertEquals("ready", new BufferedReader(new InputStreamReader(p.getInputStream())).readLine());
            assertEquals("rw-------", SocketAccessTest.mode(control));
            assertEquals("rw-------", SocketAccessTest.mode(console));
            assertEquals(Set.of(console, control), Set.copyOf(Files.list(dir).toList()), "no private directory left");
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }
}
