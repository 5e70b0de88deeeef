package org.jvirt.daemon;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real virsh (Debian's libvirt-clients) as a client of a daemon. */
final class Virsh {
    static final Path BINARY = Path.of("/usr/bin/virsh");

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static boolean available() {
        return Files.isExecutable(BINARY);
    }

    static Result run(String uri, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-c", uri));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LC_ALL", "C");
        pb.environment().remove("LIBVIRT_DEFAULT_URI");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("virsh " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
