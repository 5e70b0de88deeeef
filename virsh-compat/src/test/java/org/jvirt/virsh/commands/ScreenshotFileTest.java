package org.jvirt.virsh.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jvirt.virsh.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What screenshot writes (the golden transcripts compare only what it prints): on
 * test:///default the same file as the real virsh, under the name virsh makes up
 * (NAME-YYYY-MM-DD-HH:MM:SS.png) in the working directory.
 */
class ScreenshotFileTest {

    @TempDir
    Path tmp;

    @Test
    void theFileIsVirshs() throws Exception {
        assumeTrue(Files.exists(Path.of("/usr/share/libvirt/test-screenshot.png")), "libvirt's test-screenshot.png is not installed");
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"-c", "test:///default", "screenshot test; screenshot test --file x.png"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), ours);
        assertEquals(0, rc);
        List<Path> made;
        try (var s = Files.list(ours)) {
            made = s.filter(p -> !p.getFileName().toString().equals("x.png")).toList();
        }
        assertEquals(1, made.size(), made.toString());
        String name = made.get(0).getFileName().toString();
        assertEquals(true, name.matches("test-\\d{4}-\\d\\d-\\d\\d-\\d\\d:\\d\\d:\\d\\d\\.png"), name);
        assertEquals("Screenshot saved to " + name + ", with type of image/png\nScreenshot saved to x.png, with type of image/png\n",
                out.toString(StandardCharsets.UTF_8));
        byte[] png = Files.readAllBytes(ours.resolve("x.png"));
        assertArrayEquals(png, Files.readAllBytes(made.get(0)));
        assumeTrue(onPath("virsh"), "no virsh on PATH: not compared with the real virsh's file");
        Path theirs = Files.createDirectories(tmp.resolve("theirs"));
        Process p = new ProcessBuilder("virsh", "-c", "test:///default", "screenshot test --file y.png").directory(theirs.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
        assertArrayEquals(Files.readAllBytes(theirs.resolve("y.png")), png);
        assertFalse(png.length == 0);
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) return true;
        }
        return false;
    }
}
