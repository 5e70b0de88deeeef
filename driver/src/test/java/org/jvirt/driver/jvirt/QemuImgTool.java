package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real qemu-img (Debian's qemu-utils), the reference for what a qcow2 image holds. */
final class QemuImgTool {

    private QemuImgTool() { }

    record Result(int exit, String out) { }

    static void assumeAvailable(String what) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")), "qemu-img (Debian qemu-utils) missing: " + what + " not run");
    }

    /** qemu-img ARGS..., its exit status and its output (stdout and stderr). */
    static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-img"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /**
     * qemu-img compare of two qcow2 images (-U: one may be open in a VMM): 0 identical,
     * 1 different, 2 and up an error.
     */
    static Result compare(Path a, Path b) throws IOException, InterruptedException {
        return run("compare", "-U", "-f", "qcow2", "-F", "qcow2", a.toString(), b.toString());
    }

    /** qemu-img check: 0 when the image has no errors (leaked clusters are 3). */
    static Result check(Path image) throws IOException, InterruptedException {
        return run("check", "-U", "-f", "qcow2", image.toString());
    }

    /** The image's content as a raw file at RAW (qemu-img convert -U). */
    static void toRaw(Path image, Path raw) throws IOException, InterruptedException {
        Result r = run("convert", "-U", "-f", "qcow2", "-O", "raw", image.toString(), raw.toString());
        if (r.exit() != 0) throw new IOException("qemu-img convert failed: " + r.out());
    }
}
