package org.jvirt.vmm.emu.fpu;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A C reference program from the test resources (/fpu/NAME.c), compiled with gcc and run on this machine's CPU. */
final class ReferenceProgram {
    private ReferenceProgram() { }

    /** The program's output lines; skips the test when gcc is missing. */
    static List<String> run(String name) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")) || Files.isExecutable(Path.of("/usr/local/bin/gcc")), "gcc missing");
        Path dir = Files.createTempDirectory(name);
        Path src = dir.resolve(name + ".c"), exe = dir.resolve(name);
        try (InputStream in = ReferenceProgram.class.getResourceAsStream("/fpu/" + name + ".c")) {
            Files.copy(in, src);
        }
        Process cc = new ProcessBuilder("gcc", "-O1", "-o", exe.toString(), src.toString()).redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(120, TimeUnit.SECONDS) && cc.exitValue() == 0, "gcc failed: " + ccOut);
        Process run = new ProcessBuilder(exe.toString()).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader rd = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = rd.readLine()) != null; ) lines.add(l);
        }
        assertTrue(run.waitFor(60, TimeUnit.SECONDS) && run.exitValue() == 0, "reference program failed");
        return lines;
    }
}
