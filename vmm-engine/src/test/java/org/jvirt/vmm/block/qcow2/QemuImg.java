package org.jvirt.vmm.block.qcow2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Runs the real qemu-img and qemu-io (Debian's qemu-utils), the reference for qcow2. */
final class QemuImg {
    private QemuImg() { }

    record Result(int exit, String out) { }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/qemu-img")) && Files.isExecutable(Path.of("/usr/bin/qemu-io"));
    }

    static void assumeAvailable() {
        Assumptions.assumeTrue(available(), "qemu-img/qemu-io (Debian qemu-utils) not installed; scripts/setup.sh installs them");
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Runs and insists on exit status 0; returns the output. */
    static String ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertEquals(0, r.exit(), () -> String.join(" ", args) + " failed:\n" + r.out());
        return r.out();
    }

    static String img(String... args) throws IOException, InterruptedException {
        String[] a = new String[args.length + 1];
        a[0] = "qemu-img";
        System.arraycopy(args, 0, a, 1, args.length);
        return ok(a);
    }

    /** qemu-io on an image of the given format with one or more -c commands. */
    static String io(Path image, String format, String... commands) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of("qemu-io", "-f", format));
        for (String c : commands) {
            a.add("-c");
            a.add(c);
        }
        a.add(image.toString());
        return ok(a.toArray(String[]::new));
    }
}
