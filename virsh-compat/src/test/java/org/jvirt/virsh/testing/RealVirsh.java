package org.jvirt.virsh.testing;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Debian's real virsh on test:///default, run in dir with a C locale: its exit status, a newline, and its output. */
public final class RealVirsh {

    private RealVirsh() { }

    public static String onTestDriver(Path dir, String line) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/virsh", "-c", "test:///default", line).directory(dir.toFile())
                .redirectInput(new File("/dev/null")).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("virsh did not finish: " + line);
        }
        return p.exitValue() + "\n" + text;
    }
}
